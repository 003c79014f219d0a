package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// machine is the facts of a tidy Debian account: interpreters in
// /usr/bin, start-stop-daemon in /usr/sbin, and a few bots in the home.
func machine() Facts {
	me := spec.Account{Name: "me", UID: 1000, GID: 1000, Home: "/home/me", Groups: []int{1000}}
	dir := func(mode fs.FileMode, uid int) spec.File {
		return spec.File{Mode: fs.ModeDir | mode, UID: uid, GID: uid}
	}
	exe := func(first string, uid int) spec.File {
		return spec.File{Mode: 0o755, UID: uid, GID: uid, FirstLine: first}
	}
	return Facts{Account: me, Spec: spec.Facts{
		Cwd: "/home/me", Current: me, SSD: "/usr/sbin/start-stop-daemon",
		Files: map[string]spec.File{
			"/":                              dir(0o755, 0),
			"/usr/bin":                       dir(0o755, 0),
			"/bin":                           dir(0o755, 0),
			"/usr/sbin":                      dir(0o755, 0),
			"/tmp":                           dir(0o777|fs.ModeSticky, 0),
			"/usr/bin/python3":               exe("", 0),
			"/usr/bin/perl":                  exe("", 0),
			"/usr/bin/env":                   exe("", 0),
			"/usr/bin/pgrep":                 exe("", 0),
			"/usr/bin/date":                  exe("", 0),
			"/bin/ps":                        exe("", 0),
			"/bin/grep":                      exe("", 0),
			"/usr/bin/nohup":                 exe("", 0),
			"/usr/sbin/start-stop-daemon":    exe("", 0),
			"/home/me":                       dir(0o755, 1000),
			"/usr/bin/php":                   exe("", 0),
			"/home/me/bot.py":                exe("#!/usr/bin/python3\n", 1000),
			"/home/me/bot.js":                {Mode: 0o644, UID: 1000, GID: 1000},
			"/home/me/app":                   dir(0o755, 1000),
			"/home/me/app/artisan":           {Mode: 0o644, UID: 1000, GID: 1000},
			"/home/me/envbot.py":             exe("#!/usr/bin/env python3\n", 1000),
			"/home/me/skel.py":               {Mode: 0o755, UID: 1000, GID: 1000, FirstLine: "#!/usr/bin/python3\n", Skeleton: true},
			"/home/me/run":                   dir(0o755, 1000),
			"/home/me/run/open.pid":          {Mode: 0o666, UID: 1000, GID: 1000},
			"/home/me/pub":                   dir(0o777, 1000),
			"/home/me/notes.txt":             {Mode: 0o644, UID: 1000, GID: 1000},
			"/bin/pidof":                     exe("", 0),
			"/home/me/.local/state/mkdaemon": dir(0o700, 1000),
			"/etc/environment":               {Mode: 0o644, EnvNames: []string{"http_proxy"}},
		},
	}}
}

const mkd = "/usr/sbin/start-stop-daemon --start --quiet --oknodo --pidfile /home/me/.local/state/mkdaemon/bot.py.pid --name bot.py --background --make-pidfile --startas /home/me/bot.py"

// TestCorpus holds lint to keeper lines in the forms bot-hosting guides and
// wikis have shown over the years, each with the findings it must get:
// "LINE:rule", in line order. MAILTO is set unless a case is about it.
func TestCorpus(t *testing.T) {
	tests := []struct {
		name, crontab string
		want          []string
	}{
		{"mkdaemon's own line is clean", "MAILTO=me@example.org\n*/5 * * * * " + mkd + "\n", nil},
		{"a skeleton that daemonizes itself is clean",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --quiet --pidfile /home/me/run/skel.pid --name skel.py --startas /home/me/skel.py\n", nil},
		{"the Toolserver recipe, as often copied",
			"MAILTO=me@example.org\n*/5 * * * * start-stop-daemon -S -p $HOME/run/bot.pid -x /home/me/bot.py\n",
			[]string{"2:ssd-path", "2:ssd-name", "2:ssd-exec"}},
		{"a missing program without --name", "MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon -S -p ~/run/bot.pid -x ~/gone.py\n",
			[]string{"2:ssd-name", "2:ssd-program"}},
		{"a pidfile in /tmp and a name over 15 bytes",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /tmp/bot.pid --name wikipedia-cleanup-bot --startas /home/me/bot.py --background --make-pidfile\n",
			[]string{"2:ssd-pidfile", "2:ssd-name"}},
		{"a pidfile anyone can write",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /home/me/run/open.pid --name bot.py --startas /home/me/bot.py --background --make-pidfile\n",
			[]string{"2:ssd-pidfile"}},
		{"a pidfile in a directory anyone can write",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /home/me/pub/bot.pid --name bot.py --startas /home/me/bot.py --background --make-pidfile\n",
			[]string{"2:ssd-pidfile"}},
		{"a foreground script without --background",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /home/me/run/bot.pid --name bot.py --startas /home/me/bot.py\n",
			[]string{"2:ssd-foreground"}},
		{"--exec of a script matches the interpreter",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /home/me/run/bot.pid --name bot.py --exec /home/me/bot.py --background --make-pidfile\n",
			[]string{"2:ssd-exec"}},
		{"no pidfile scans every process",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --name bot.py --startas /home/me/bot.py --background\n",
			[]string{"2:ssd-pidfile"}},
		{"an env shebang is named after its interpreter",
			"MAILTO=me@example.org\n*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /home/me/run/envbot.pid --name envbot.py --startas /home/me/envbot.py --background --make-pidfile\n",
			[]string{"2:ssd"}},
		{"pgrep || start", "MAILTO=me@example.org\n*/10 * * * * pgrep -f bot.py || /home/me/bot.py &\n", []string{"2:keeper"}},
		{"ps | grep || nohup", "MAILTO=me@example.org\n* * * * * ps aux | grep -q [b]ot.py || nohup /usr/bin/python3 /home/me/bot.py &\n", []string{"2:keeper"}},
		{"pgrep inside a test", "MAILTO=me@example.org\n*/10 * * * * [ -n \"$(pgrep -u me bot.py)\" ] || /home/me/bot.py &\n", []string{"2:keeper"}},
		{"a word that only mentions pgrep is no keeper", "MAILTO=me@example.org\n*/10 * * * * /home/me/bot.py --after pgrep\n", nil},
		{"a wrapper's -n is not start-stop-daemon's --name",
			"MAILTO=me@example.org\n*/5 * * * * nice -n 10 /usr/sbin/start-stop-daemon --start --pidfile /home/me/run/bot.pid --startas /home/me/bot.py --background --make-pidfile\n",
			[]string{"2:ssd-name"}},
		{"pidof || start", "MAILTO=me@example.org\n*/10 * * * * pidof bot.py || /home/me/bot.py &\n", []string{"2:keeper"}},
		{"@reboot only", "MAILTO=me@example.org\n@reboot /home/me/bot.py &\n", []string{"2:reboot-only"}},
		{"@reboot with a periodic twin is fine", "MAILTO=me@example.org\n@reboot " + mkd + "\n*/5 * * * * " + mkd + "\n", nil},
		{"a relative path", "MAILTO=me@example.org\n0 * * * * ./bot.py\n", []string{"2:relative"}},
		{"a relative path after cd is read from there", "MAILTO=me@example.org\n0 * * * * cd /home/me && ./bot.py\n", nil},
		{"a missing program after cd", "MAILTO=me@example.org\n0 * * * * cd /home/me && ./run.sh\n", []string{"2:not-found"}},
		{"cd to a missing directory", "MAILTO=me@example.org\n0 * * * * cd /home/me/gone && /home/me/bot.py\n", []string{"2:not-found"}},
		{"after a cd that fails only the cd is reported", "MAILTO=me@example.org\n0 * * * * cd /home/me/gone && ./run.sh >> log 2>&1; cd sub\n", []string{"2:not-found"}},
		{"source is not sh's", "MAILTO=me@example.org\n*/5 * * * * source /home/me/.profile; /home/me/bot.py\n", []string{"2:not-on-path"}},
		{"SHELL=/bin/bash lets bash through", "MAILTO=me@example.org\nSHELL=/bin/bash\n*/5 * * * * source /home/me/.profile; [[ -x /home/me/bot.py ]] && /home/me/bot.py\n", nil},
		{"a relative cd", "MAILTO=me@example.org\n0 * * * * cd run && /home/me/bot.py\n", []string{"2:relative"}},
		{"after a cd the shell computes, relative paths are not judged", "MAILTO=me@example.org\nBOTDIR=/srv/bots\n0 * * * * cd \"$BOTDIR\" && ./run.sh\n", nil},
		{"a variable of the login shell is not set under cron", "MAILTO=me@example.org\n*/5 * * * * $BOTDIR/run.sh\n", []string{"2:env"}},
		{"pgrep -u $USER: cron sets LOGNAME, not USER",
			"MAILTO=me@example.org\n*/10 * * * * pgrep -u $USER bot.py || /home/me/bot.py &\n*/10 * * * * pgrep -u \"$LOGNAME\" bot.py || /home/me/bot.py &\n",
			[]string{"2:env", "2:keeper", "3:keeper"}},
		{"a variable the command sets itself", "MAILTO=me@example.org\n*/5 * * * * D=/home/me; for f in a b; do $D/bot.py $f; done\n", nil},
		{"a default covers an unset variable", "MAILTO=me@example.org\n*/5 * * * * ${BOTDIR:-/home/me}/bot.py\n", nil},
		{"a command that reads a file may set anything", "MAILTO=me@example.org\n*/5 * * * * . /home/me/.profile && $BOTDIR/bot.py\n", nil},
		{"a variable pam_env sets from /etc/environment", "MAILTO=me@example.org\n*/5 * * * * /home/me/bot.py --proxy \"$http_proxy\"\n", nil},
		{"~ and $HOME are the home cron sets", "MAILTO=me@example.org\n0 * * * * ~/bot.py >> \"$HOME/log\" 2>&1\n1 * * * * $HOME/gone.py\n", []string{"3:not-found"}},
		{"a HOME= line moves ~", "MAILTO=me@example.org\nHOME=/srv/bot\n0 * * * * ~/bot.py\n", []string{"3:not-found"}},
		{"a cd in a subshell does not carry over", "MAILTO=me@example.org\n0 * * * * (cd /home/me && ./bot.py); ./bot.py\n", []string{"2:relative"}},
		{"an interpreter's missing script", "MAILTO=me@example.org\n0 * * * * python3 /home/me/gone.py\n", []string{"2:not-found"}},
		{"an interpreter's relative script", "MAILTO=me@example.org\n0 * * * * python3 bot.py\n", []string{"2:relative"}},
		{"an interpreter's script after cd", "MAILTO=me@example.org\n0 * * * * cd /home/me && python3 bot.py\n", nil},
		{"python3 -m runs a module, not a file", "MAILTO=me@example.org\n0 * * * * python3 -m http.server\n", nil},
		{"Laravel's scheduler line, as its docs show", "MAILTO=me@example.org\n* * * * * cd /home/me/app && php artisan schedule:run >> /dev/null 2>&1\n", nil},
		{"output into a missing directory", "MAILTO=me@example.org\n0 * * * * /home/me/bot.py >> /home/me/logs/bot.log 2>&1\n", []string{"2:redirect"}},
		{"output into a directory the account cannot write", "MAILTO=me@example.org\n0 * * * * /home/me/bot.py >> /usr/bin/bot.log 2>&1\n", []string{"2:redirect"}},
		{"output into a directory", "MAILTO=me@example.org\n0 * * * * /home/me/bot.py > /home/me/run\n", []string{"2:redirect"}},
		{"a relative output after cd", "MAILTO=me@example.org\n0 * * * * cd /home/me/run && /home/me/bot.py >> bot.log 2>&1\n", nil},
		{"a relative path behind nohup", "MAILTO=me@example.org\n@hourly nohup ./bot.py\n", []string{"2:relative"}},
		{"a bare %", "MAILTO=me@example.org\n0 0 * * * /usr/bin/date +%Y-%m-%d >> /home/me/log\n", []string{"2:percent"}},
		{"an escaped % is fine", "MAILTO=me@example.org\n0 0 * * * /usr/bin/date +\\%Y >> /home/me/log\n", nil},
		{"a schedule that never fires", "MAILTO=me@example.org\n0 0 31 2 * /home/me/bot.py\n", []string{"2:schedule"}},
		{"a schedule cron refuses", "MAILTO=me@example.org\n61 * * * * /home/me/bot.py\n", []string{"2:schedule"}},
		{"a program cron's PATH does not find", "MAILTO=me@example.org\n*/5 * * * * node /home/me/bot.js\n", []string{"2:not-on-path"}},
		{"a PATH= line above makes it found", "MAILTO=me@example.org\nPATH=/home/me/run:/usr/bin\n*/5 * * * * python3 /home/me/bot.py\n", nil},
		{"a quoted missing program", "MAILTO=me@example.org\n*/5 * * * * '/home/me/my bot.py'\n", []string{"2:not-found"}},
		{"a program that is not executable", "MAILTO=me@example.org\n*/5 * * * * /home/me/notes.txt\n", []string{"2:not-found"}},
		{"a missing absolute program", "MAILTO=me@example.org\n*/5 * * * * /home/me/nope.py\n", []string{"2:not-found"}},
		{"SHELL set after the jobs", "MAILTO=me@example.org\n*/5 * * * * /home/me/bot.py\nSHELL=/bin/bash\n", []string{"3:env-order"}},
		{"a CRLF line", "MAILTO=me@example.org\n*/5 * * * * /home/me/bot.py\r\n", []string{"2:crlf"}},
		{"a command over 998 bytes", "MAILTO=me@example.org\n*/5 * * * * /home/me/bot.py " + strings.Repeat("x", 1000) + "\n", []string{"2:too-long"}},
		{"MAILTO empty and no redirection", "MAILTO=\"\"\n*/5 * * * * /home/me/bot.py\n0 * * * * /home/me/bot.py >> /home/me/log 2>&1\n", []string{"2:output"}},
		{"no MAILTO and no redirection", "*/5 * * * * /home/me/bot.py\n", []string{"1:output"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Check(Parse(tt.crontab, "/home/me"), machine())
			if got := rules(fs); !slices.Equal(got, tt.want) {
				t.Errorf("findings %q, want %q", got, tt.want)
				for _, f := range fs {
					t.Log(f)
				}
			}
		})
	}
}

// Every finding says what is wrong and how to fix it.
func TestFindingsSayHowToFix(t *testing.T) {
	text := "MAILTO=\"\"\n*/5 * * * * start-stop-daemon -S -p /tmp/b.pid -n a-name-longer-than-fifteen -a /home/me/bot.py\n" +
		"@reboot /home/me/bot.py &\n0 0 * * * date +%s\n*/10 * * * * pgrep bot || /home/me/bot.py\nPATH=/bin\n"
	fs := Check(Parse(text, "/home/me"), machine())
	if len(fs) < 6 {
		t.Fatalf("only %d findings: %v", len(fs), fs)
	}
	for _, f := range fs {
		if f.Message == "" || f.Fix == "" {
			t.Errorf("%s: %q lacks what or how", f.Rule, f)
		}
	}
}

// lintHere gathers the facts of this machine for text and checks it: the
// findings as "LINE:rule".
func lintHere(t *testing.T, text string) []string {
	t.Helper()
	env, err := spec.EnvOf(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	c := Parse(text, env.Current.Home)
	f, err := Gather(c, "", env)
	if err != nil {
		t.Fatal(err)
	}
	return rules(Check(c, f))
}

// rules gives each finding as "LINE:rule".
func rules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strconv.Itoa(f.Line)+":"+f.Rule)
	}
	return out
}

// Gather looks at the program a wrapper runs, past the wrapper's options,
// where Check will look for it.
func TestGatherSeesPastWrappers(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "bot")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := lintHere(t, "MAILTO=me@example.org\nPATH="+dir+":/usr/bin:/bin\n"+
		"*/5 * * * * nice -n 10 "+prog+"\n"+
		"*/5 * * * * nohup bot\n"+
		"*/5 * * * * flock -n -E 0 "+prog+"\n"+
		"*/5 * * * * nice -n 10 "+prog+"-missing\n")
	if want := []string{"6:not-found"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// A program that an earlier line runs as a plain command is still read
// (its #! line) when a start-stop-daemon line starts it: the foreground
// rule needs it.
func TestGatherReadsAProgramSeenFirstAsACommand(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "bot.py")
	if err := os.WriteFile(prog, []byte("#!/usr/bin/python3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := lintHere(t, "MAILTO=me@example.org\n"+
		"@hourly "+prog+" --once\n"+
		"*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile "+dir+"/bot.pid --name bot.py --startas "+prog+"\n")
	if !slices.Contains(got, "3:ssd-foreground") {
		t.Errorf("findings %q, want 3:ssd-foreground", got)
	}
}
