package entry

import (
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// EnvPrefix is what stands before start-stop-daemon in the crontab command
// to give the program its environment, "" when it has none beyond cron's:
//
//	set -a && . /home/me/bot.env && LANG=C.UTF-8 /usr/sbin/start-stop-daemon ...
//
// It is plain sh, run by cron's /bin/sh on every tick. `set -a` exports
// every variable the env file sets, and `.` reads the file anew at each
// start, so its values never enter the crontab; a missing or unreadable
// file makes sh stop there (status 2, mailed by cron) instead of starting
// the program without its secrets. The --env assignments come last, so
// they win over the file, and sh passes them to start-stop-daemon, which
// passes its environment on to the program it execs: the program keeps its
// own process name.
func EnvPrefix(s spec.Spec) string {
	var b strings.Builder
	if s.EnvFile != "" {
		b.WriteString("set -a && . " + shell.Quote(s.EnvFile) + " && ")
	}
	for _, e := range s.Env {
		name, value, _ := strings.Cut(e, "=")
		b.WriteString(name + "=" + shell.Quote(value) + " ")
	}
	return b.String()
}
