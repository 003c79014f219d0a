package ssd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// TestParseReadsBackArgv: whatever Argv writes, Parse reads back, for
// values full of what sh and cron treat specially.
func TestParseReadsBackArgv(t *testing.T) {
	awkward := []string{"/home/a b/bot.pid", `/p/it's \%here`, "/p/$HOME/`x`", `/p/back\slash`, "/p/100%", "/p/\"dq\"", "/p/tab\there", "/p/é"}
	for _, v := range awkward {
		for _, mode := range []spec.Mode{spec.ModeForeground, spec.ModeDaemonizes} {
			s := spec.Spec{Program: v + "/prog", Name: "bot py", Pidfile: v + ".pid", Mode: mode, Log: v + ".log", Chdir: v,
				Args: []string{"--pidfile", "/decoy", "--name", "decoy"}}
			got, err := Parse(Command(Argv("/usr/sbin/start-stop-daemon", s)))
			if err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			want := Call{Pidfile: s.Pidfile, Name: s.Name, Program: s.Program, Chdir: s.Chdir, Background: mode == spec.ModeForeground, Args: s.Args}
			if mode == spec.ModeForeground {
				want.Log = s.Log
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q:\n got %+v\nwant %+v", mode, v, got, want)
			}
		}
	}
}

func TestParseForms(t *testing.T) {
	for command, want := range map[string]Call{
		"/usr/sbin/start-stop-daemon -S -p /p -n fg -a /x -b -m -O /var/log/fg.log -d /srv":  {Pidfile: "/p", Name: "fg", Program: "/x", Log: "/var/log/fg.log", Chdir: "/srv", Background: true},
		"cd /tmp && start-stop-daemon --start --pidfile=/p --name=n --exec /usr/bin/x":       {Pidfile: "/p", Name: "n", Program: "/usr/bin/x", Exec: "/usr/bin/x"},
		`start-stop-daemon --start --pidfile "/a \"b\" \$c" --name n --startas /x --exec /y`: {Pidfile: `/a "b" $c`, Name: "n", Program: "/x", Exec: "/y"},
	} {
		got, err := Parse(command)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", command, got, err, want)
		}
	}
	// The environment prefix mkdaemon writes for --env and --env-file.
	got, err := Parse("set -a && . '/home/me/bot env' && LANG=C.UTF-8 MSG='100% done' X=$HOME /usr/sbin/start-stop-daemon --start --pidfile /p --name n --startas /x")
	if err != nil || got.EnvFile != "/home/me/bot env" || !reflect.DeepEqual(got.Env, []string{"LANG=C.UTF-8", "MSG=100% done"}) {
		t.Errorf("the environment read back: %+v, %v", got, err)
	}
	for command, want := range map[string]string{
		"/bin/true": "no start-stop-daemon call",
		"/usr/sbin/start-stop-daemon --start --name n -a /x":             "no --pidfile",
		"/usr/sbin/start-stop-daemon --start --pidfile /p":               "no --name",
		"/usr/sbin/start-stop-daemon --start --pidfile $HOME/p --name n": "a value the shell computes",
		"/usr/sbin/start-stop-daemon --start --pidfile ~/p --name n":     "a value the shell computes",
		"/usr/sbin/start-stop-daemon 'x":                                 "not valid POSIX sh",
	} {
		if _, err := Parse(command); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error %v, want one containing %q", command, err, want)
		}
	}
}
