package entry

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestEnvPrefix(t *testing.T) {
	for _, tt := range []struct {
		name string
		s    spec.Spec
		want string
	}{
		{"none", spec.Spec{}, ""},
		{"variables", spec.Spec{Env: []string{"LANG=C.UTF-8", "MSG=it's 100%", "EMPTY="}}, `LANG=C.UTF-8 MSG="it's 100%" EMPTY='' `},
		{"file", spec.Spec{EnvFile: "/home/me/my bot.env"}, "set -a && . '/home/me/my bot.env' && "},
		{"both", spec.Spec{Env: []string{"A=$HOME"}, EnvFile: "/e"}, "set -a && . /e && A='$HOME' "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := EnvPrefix(tt.s)
			if got != tt.want {
				t.Fatalf("EnvPrefix = %q, want %q", got, tt.want)
			}
			if _, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(got+"/usr/sbin/start-stop-daemon --start"), ""); err != nil {
				t.Errorf("not POSIX sh: %v", err)
			}
		})
	}
}

// The variables count towards cron's 998 bytes, and their % is escaped.
func TestBuildWithEnvironment(t *testing.T) {
	sched, err := schedule.Parse("")
	if err != nil {
		t.Fatal(err)
	}
	r := &spec.Resolved{Schedule: sched, Spec: spec.Spec{Program: "/home/me/bot.py", Name: "bot.py", Pidfile: "/home/me/bot.pid",
		Mode: spec.ModeForeground, Schedule: sched.Expr, Env: []string{"MSG=100%"}, EnvFile: "/home/me/bot.env"}}
	e, err := Build(r, "/usr/sbin/start-stop-daemon", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := "*/5 * * * * set -a && . /home/me/bot.env && MSG=100\\% /usr/sbin/start-stop-daemon --start "
	if !strings.HasPrefix(e.CrontabLines[0], want) {
		t.Errorf("line %s\nwant it to start %s", e.CrontabLines[0], want)
	}
	if e.EnvFile != "/home/me/bot.env" || len(e.Env) != 1 {
		t.Errorf("entry env %q, env file %q", e.Env, e.EnvFile)
	}
	r.Spec.Env = []string{"LONG=" + strings.Repeat("x", 900)}
	_, err = Build(r, "/usr/sbin/start-stop-daemon", time.Now())
	var tl *crontab.CommandTooLongError
	if !errors.As(err, &tl) {
		t.Errorf("a 900-byte variable: err %v, want the command too long for cron", err)
	}
}
