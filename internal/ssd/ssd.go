// Package ssd builds the start-stop-daemon command line for a Spec: the
// line cron runs on every tick, which starts the daemon only when the
// pidfile does not name a live process of the right name.
package ssd

import (
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Argv is the start-stop-daemon argument list for s, starting with the
// executable's path.
//
// There is no --oknodo: start-stop-daemon then exits 0 only when it started
// the program and 1 when it found it running, so a command joined with &&
// after the call runs exactly when a tick started the daemon.
//
// Both --pidfile and --name are given: the pidfile picks the one PID to
// look at, and the name makes a PID reused by some other program not count
// as "already running" (and keeps start-stop-daemon from refusing a
// non-root pidfile as the only match).
func Argv(ssdPath string, s spec.Spec) []string {
	argv := []string{ssdPath, "--start", "--quiet",
		"--pidfile", s.Pidfile, "--name", s.Name}
	if s.Mode == spec.ModeForeground {
		argv = append(argv, "--background", "--make-pidfile")
		if s.Log != "" {
			argv = append(argv, "--output", s.Log)
		}
	}
	if s.Chdir != "" {
		argv = append(argv, "--chdir", s.Chdir)
	}
	argv = append(argv, "--startas", s.Program)
	if len(s.Args) > 0 {
		argv = append(argv, "--")
		argv = append(argv, s.Args...)
	}
	return argv
}

// Command is argv as one POSIX sh command line.
func Command(argv []string) string { return shell.Join(argv) }
