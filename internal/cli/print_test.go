package cli

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// home makes a fresh HOME with a bots/ directory and returns its path.
// XDG_STATE_HOME is cleared so the default pidfile lives under HOME.
func home(t *testing.T) string {
	t.Helper()
	h := t.TempDir()
	t.Setenv("HOME", h)
	t.Setenv("XDG_STATE_HOME", "")
	t.Chdir(h)
	if err := os.Mkdir(filepath.Join(h, "bots"), 0o755); err != nil {
		t.Fatal(err)
	}
	return h
}

// script writes an executable file under dir.
func script(t *testing.T, path, content string, mode fs.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// mkd runs the CLI in-process without a terminal.
func mkd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// snapshot lists every path under root with its size and mode, to prove a
// failed run wrote nothing.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		b.WriteString(p + " " + fi.Mode().String() + " " + fi.ModTime().String() + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPrintRejectsBadInput(t *testing.T) {
	h := home(t)
	bots := filepath.Join(h, "bots")
	good := script(t, filepath.Join(bots, "bot.py"), "#!/usr/bin/python3\n", 0o755)
	script(t, filepath.Join(bots, "noexec.py"), "#!/usr/bin/python3\n", 0o644)
	script(t, filepath.Join(bots, `back\slash.py`), "#!/usr/bin/python3\n", 0o755)
	script(t, filepath.Join(bots, "crlf.py"), "#!/usr/bin/python3\r\nprint()\r\n", 0o755)
	script(t, filepath.Join(bots, "nointerp.sh"), "#!/usr/bin/no-such-interpreter\n", 0o755)
	script(t, filepath.Join(bots, "envmissing.py"), "#!/usr/bin/env no-such-interp-xyz\n", 0o755)
	wwDir := filepath.Join(h, "ww")
	os.Mkdir(wwDir, 0o777)
	os.Chmod(wwDir, 0o777)
	wwPid := script(t, filepath.Join(bots, "ww.pid"), "", 0o666)
	os.Chmod(wwPid, 0o666)

	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	// Only root may name another user; to anyone else --user is refused
	// before the name is looked up.
	unknownUser := "--user no-such-user-xyz: no such user"
	if os.Getuid() != 0 {
		unknownUser = "--user no-such-user-xyz: only root can edit another user's crontab"
	}
	tests := []struct {
		name string
		args []string
		want string // in stderr, after "mkdaemon: error: "
	}{
		{"no program, no terminal", []string{"--print"}, "--program is required when not running interactively"},
		{"program missing", []string{"--program", "bots/nope.py"}, "--program bots/nope.py: " + filepath.Join(bots, "nope.py") + " does not exist"},
		{"program is a directory", []string{"--program", bots}, "is a directory"},
		{"program not executable", []string{"--program", filepath.Join(bots, "noexec.py")}, "is not executable by " + me.Username},
		{"CRLF shebang", []string{"--program", filepath.Join(bots, "crlf.py")}, "ends in a carriage return"},
		{"missing interpreter", []string{"--program", filepath.Join(bots, "nointerp.sh")}, "interpreter /usr/bin/no-such-interpreter"},
		{"env interpreter not on cron's PATH", []string{"--program", filepath.Join(bots, "envmissing.py")}, "cron's PATH (/usr/bin:/bin) has no no-such-interp-xyz"},
		{"name too long", []string{"--program", good, "--name", "a-sixteen-chars!"}, "--name a-sixteen-chars!: is 16 bytes; the kernel keeps at most 15"},
		{"name with slash", []string{"--program", good, "--name", "a/b"}, "cannot contain / or white space"},
		{"name with space", []string{"--program", good, "--name", "a b"}, "cannot contain / or white space"},
		{"name like an option", []string{"--program", good, "--name", "-x"}, "would be read as an option"},
		{"name with a backslash", []string{"--program", good, "--name", `a\b`}, "shown doubled in /proc/PID/status"},
		{"program named with a backslash", []string{"--program", filepath.Join(bots, `back\slash.py`)}, "has a backslash"},
		{"pidfile dir missing", []string{"--program", good, "--pidfile", "nodir/x.pid"}, "its directory " + filepath.Join(h, "nodir") + " does not exist"},
		{"world-writable pidfile", []string{"--program", good, "--pidfile", wwPid}, "is world-writable"},
		{"world-writable dir without sticky bit", []string{"--program", good, "--pidfile", filepath.Join(wwDir, "x.pid")}, "has no sticky bit"},
		{"log dir missing", []string{"--program", good, "--background", "--log", "/nonexistent/x.log"}, "--log /nonexistent/x.log: its directory /nonexistent does not exist"},
		{"chdir missing", []string{"--program", good, "--chdir", "/nonexistent"}, "--chdir /nonexistent: is not an existing directory"},
		{"interval not dividing", []string{"--program", good, "--interval", "7m"}, "--interval 7m: 7m does not divide an hour evenly"},
		{"six fields", []string{"--program", good, "--interval", "0 */5 * * * *"}, "6 fields"},
		{"@every", []string{"--program", good, "--interval", "@every 90m"}, "@every is not crontab syntax"},
		{"CRON_TZ", []string{"--program", good, "--interval", "CRON_TZ=UTC"}, "time-zone prefixes"},
		{"never fires", []string{"--program", good, "--interval", "0 0 30 2 *"}, "never fires"},
		{"out of range", []string{"--program", good, "--interval", "0 25 * * *"}, "25 is out of range 0-23"},
		{"newline in argument", []string{"--program", good, "--", "a\nb"}, "program argument 1 \"a\\nb\": contains a newline"},
		{"carriage return in name", []string{"--program", good, "--name", "x\r"}, "--name \"x\\r\": contains a carriage return"},
		{"newline in interval", []string{"--program", good, "--interval", "* * * * *\n* * * * * evil"}, "contains a newline"},
		{"command too long", []string{"--program", good, "--", strings.Repeat("x", 990)}, "Debian cron refuses commands longer than 998 bytes"},
		{"unknown user", []string{"--program", good, "--user", "no-such-user-xyz"}, unknownUser},
		{"unknown flag", []string{"--program", good, "--frobnicate"}, "unknown flag: --frobnicate"},
		{"stray argument", []string{"--program", good, "wiki"}, `unexpected argument "wiki"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			badInput(t, h, tt.want, tt.args, [][]string{{"--print"}, {"--print", "--json"}, {}})
		})
	}
}

// badInput runs mkdaemon with args followed by each of extras and checks
// that bad input gets what it must: exit 2, `mkdaemon: error: ` with want,
// no stack trace, nothing on stdout and nothing written under home.
func badInput(t *testing.T, home, want string, args []string, extras [][]string) {
	t.Helper()
	before := snapshot(t, home)
	for _, extra := range extras {
		code, stdout, stderr := mkd(t, append(append([]string{}, args...), extra...)...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2\nstderr: %s", extra, code, stderr)
		}
		if !strings.HasPrefix(stderr, "mkdaemon: error: ") || !strings.Contains(stderr, want) {
			t.Errorf("%q: stderr = %q, want it to start with mkdaemon: error: and contain %q", extra, stderr, want)
		}
		if stdout != "" {
			t.Errorf("%q: stdout = %q, want nothing", extra, stdout)
		}
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
			t.Errorf("%q: a stack trace: %s", extra, stderr)
		}
	}
	if after := snapshot(t, home); after != before {
		t.Errorf("the run wrote something:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestPrintJSON(t *testing.T) {
	h := home(t)
	prog := script(t, filepath.Join(h, "bots", "mybot.py"), "#!/usr/bin/python3\n", 0o755)
	before := snapshot(t, h)
	code, stdout, stderr := mkd(t, "--print", "--json", "--program", "~/bots/mybot.py", "--interval", "30m", "--at-boot", "--", "--wiki", "en", "50%")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Name         string   `json:"name"`
		Program      string   `json:"program"`
		Args         []string `json:"args"`
		Pidfile      string   `json:"pidfile"`
		Mode         string   `json:"mode"`
		Schedule     string   `json:"schedule"`
		ScheduleText string   `json:"schedule_text"`
		NextRuns     []string `json:"next_runs"`
		Argv         []string `json:"argv"`
		Command      string   `json:"command"`
		CrontabLines []string `json:"crontab_lines"`
		Warnings     []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	pidfile := filepath.Join(h, ".local/state/mkdaemon/mybot.py.pid")
	state := filepath.Join(h, ".local/state/mkdaemon")
	wantArgv := []string{"/usr/sbin/start-stop-daemon", "--start", "--quiet", "--pidfile", pidfile,
		"--name", "mybot.py", "--background", "--make-pidfile", "--output", filepath.Join(state, "mybot.py.log"), "--startas", prog, "--", "--wiki", "en", "50%"}
	if got.Name != "mybot.py" || got.Program != prog || got.Pidfile != pidfile || got.Mode != "foreground" ||
		got.Schedule != "*/30 * * * *" || got.ScheduleText != "At every 30th minute" ||
		!reflect.DeepEqual(got.Args, []string{"--wiki", "en", "50%"}) || !reflect.DeepEqual(got.Argv, wantArgv) {
		t.Errorf("unexpected JSON:\n%s", stdout)
	}
	cmd := strings.Join(wantArgv, " ") + " && /bin/date -u +%Y-%m-%dT%H:%M:%SZ >> " + filepath.Join(state, "mybot.py.starts")
	if got.Command != cmd {
		t.Errorf("command = %q, want %q", got.Command, cmd)
	}
	wantLines := []string{"*/30 * * * * " + strings.ReplaceAll(cmd, "%", `\%`), "@reboot " + strings.ReplaceAll(cmd, "%", `\%`),
		"@hourly /usr/sbin/logrotate -s " + filepath.Join(state, "mybot.py.logrotate.state") + " " + filepath.Join(state, "mybot.py.logrotate")}
	if !reflect.DeepEqual(got.CrontabLines, wantLines) {
		t.Errorf("crontab_lines = %q, want %q", got.CrontabLines, wantLines)
	}
	if len(got.NextRuns) != 3 {
		t.Errorf("next_runs = %q, want 3", got.NextRuns)
	}
	prev := time.Now()
	for _, r := range got.NextRuns {
		tm, err := time.Parse(time.RFC3339, r)
		if err != nil || !tm.After(prev) || tm.Minute()%30 != 0 {
			t.Errorf("next run %q is not an RFC 3339 time on the half hour after %v", r, prev)
		}
		prev = tm
	}
	if got.Warnings == nil || len(got.Warnings) != 0 {
		t.Errorf("warnings = %#v, want an empty list", got.Warnings)
	}
	if after := snapshot(t, h); after != before {
		t.Errorf("--print wrote something (the state directory must only be made on install)")
	}
}

func TestPrintText(t *testing.T) {
	h := home(t)
	prog := script(t, filepath.Join(h, "bots", "a-bot-with-a-long-name.pl"), "#!/usr/bin/perl\n", 0o755)
	code, stdout, stderr := mkd(t, "--print", "--program", prog, "--background", "--log", "~/bot.log", "--chdir", "~", "--interval", "@reboot")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pidfile := filepath.Join(h, ".local/state/mkdaemon/a-bot-with-a-lo.pid")
	state := filepath.Join(h, ".local/state/mkdaemon")
	cmd := "/usr/sbin/start-stop-daemon --start --quiet --pidfile " + pidfile + " --name a-bot-with-a-lo --background --make-pidfile --output " +
		filepath.Join(h, "bot.log") + " --chdir " + h + " --startas " + prog + " && /bin/date -u +%Y-%m-%dT%H:%M:%SZ >> " + filepath.Join(state, "a-bot-with-a-lo.starts")
	want := "# start-stop-daemon command line (starts a-bot-with-a-lo unless it is already running):\n" + cmd + "\n\n" +
		"# crontab entry: At reboot (when cron starts)\n@reboot " + strings.ReplaceAll(cmd, "%", `\%`) + "\n" +
		"@hourly /usr/sbin/logrotate -s " + filepath.Join(state, "a-bot-with-a-lo.logrotate.state") + " " + filepath.Join(state, "a-bot-with-a-lo.logrotate") + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "mkdaemon: warning: the process name defaults to \"a-bot-with-a-lo\": the kernel keeps only the first 15 characters") {
		t.Errorf("no warning about the cut name: %q", stderr)
	}
}

func TestPrintEnvShebangWarns(t *testing.T) {
	h := home(t)
	prog := script(t, filepath.Join(h, "bots", "bot.pl"), "#!/usr/bin/env perl\n", 0o755)
	code, stdout, stderr := mkd(t, "--print", "--program", prog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "--name perl ") {
		t.Errorf("the name is not the interpreter's: %s", stdout)
	}
	if !strings.Contains(stderr, "#!/usr/bin/perl") {
		t.Errorf("no warning recommending the absolute interpreter path: %q", stderr)
	}
}

func TestPrintStickyDirWarns(t *testing.T) {
	h := home(t)
	prog := script(t, filepath.Join(h, "bots", "bot.py"), "#!/usr/bin/python3\n", 0o755)
	code, _, stderr := mkd(t, "--print", "--program", prog, "--pidfile", "/tmp/bot.pid")
	if code != 0 || !strings.Contains(stderr, "mkdaemon: warning: the pidfile /tmp/bot.pid is in /tmp, where any user can create it first") {
		t.Errorf("exit %d, stderr %q: want 0 and a warning about /tmp", code, stderr)
	}
}

// Without a terminal an install needs --yes: exit 2 before the crontab is
// even read.
func TestInstallNeedsYes(t *testing.T) {
	h := home(t)
	prog := script(t, filepath.Join(h, "bots", "bot.py"), "#!/usr/bin/python3\n", 0o755)
	before := snapshot(t, h)
	code, _, stderr := mkd(t, "--program", prog)
	if code != 2 || !strings.Contains(stderr, "mkdaemon: error: --yes required when not running interactively\n") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if snapshot(t, h) != before {
		t.Errorf("a refused install wrote something")
	}
}
