// Package ssd builds the start-stop-daemon command line for a Spec: the
// line cron runs on every tick, which starts the daemon only when the
// pidfile does not name a live process of the right name.
package ssd

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// ErrNotFound means no start-stop-daemon executable was found.
var ErrNotFound = errors.New("start-stop-daemon not found in PATH, /usr/sbin or /sbin (on Debian it is in the dpkg package)")

// Lookup finds start-stop-daemon in the directories of pathEnv and then in
// /usr/sbin and /sbin, which a user's PATH often lacks. cron's own PATH
// (/usr/bin:/bin) never has it, so the crontab line must carry the full
// path found here.
func Lookup(pathEnv string) (string, error) {
	dirs := append(filepath.SplitList(pathEnv), "/usr/sbin", "/sbin")
	for _, d := range dirs {
		if d == "" || !filepath.IsAbs(d) {
			continue // a relative PATH entry means nothing under cron
		}
		p := filepath.Join(d, "start-stop-daemon")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Argv is the start-stop-daemon argument list for s, starting with the
// executable's path.
//
// Both --pidfile and --name are given: the pidfile picks the one PID to
// look at, and the name makes a PID reused by some other program not count
// as "already running" (and keeps start-stop-daemon from refusing a
// non-root pidfile as the only match).
func Argv(ssdPath string, s spec.Spec) []string {
	argv := []string{ssdPath, "--start", "--quiet", "--oknodo",
		"--pidfile", s.Pidfile, "--name", s.Name}
	if s.Mode == spec.ModeBackground {
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
