package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// checkUser is a throwaway user with internal/check's daemon that does
// everything right installed in their home as goodbot.pl, owned by them.
func checkUser(t *testing.T) (crontest.User, string) {
	t.Helper()
	u, _ := botUser(t)
	b, err := os.ReadFile("../check/testdata/daemons/good.pl")
	if err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(u.Home, "goodbot.pl")
	if err := os.WriteFile(prog, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(prog, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
	return u, prog
}

// TestCheckInstalledEntry installs an entry into a throwaway user's real
// crontab and checks it by NAME: the command cron will run is the one
// checked, as that user; then again with the daemon already running.
func TestCheckInstalledEntry(t *testing.T) {
	t.Parallel()
	u, prog := checkUser(t)
	pidfile := filepath.Join(u.Home, "goodbot.pid")
	if code, out, errs := mkd(t, "--user", u.Name, "--program", prog, "--pidfile", pidfile, "--yes", "--", "--pidfile", pidfile); code != 0 {
		t.Fatalf("install: exit %d\n%s%s", code, out, errs)
	}
	t.Cleanup(func() { stopNamed(t, "goodbot.pl", u.UID) })

	code, out, errs := mkd(t, "check", "--user", u.Name, "goodbot.pl")
	if code != 0 || errs != "" {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	if !strings.HasPrefix(out, "checking goodbot.pl as "+u.Name+": /usr/sbin/start-stop-daemon --start ") {
		t.Errorf("the check does not say it ran the entry as %s:\n%s", u.Name, out)
	}
	if n := strings.Count(out, "\npass  "); n != 10 {
		t.Errorf("%d steps passed, want 10:\n%s", n, out)
	}
	st := proc.Inspect(pidfile, "goodbot.pl")
	p, err := proc.Stat(st.PID)
	if st.State != proc.Running || err != nil || p.UID != u.UID {
		t.Fatalf("after the check: %+v, uid %d (%v); want goodbot.pl running as uid %d", st, p.UID, err, u.UID)
	}
	if !strings.Contains(out, "all steps passed; goodbot.pl is running as PID "+itoa(st.PID)) {
		t.Errorf("the last line does not name PID %d:\n%s", st.PID, out)
	}

	// Running before: left running, even with --stop, under a new PID.
	code, out, errs = mkd(t, "check", "--json", "--stop", "--user", u.Name, "goodbot.pl")
	if code != 0 {
		t.Fatalf("second check: exit %d\n%s%s", code, out, errs)
	}
	var r struct {
		Name   string `json:"name"`
		User   string `json:"user"`
		Passed bool   `json:"passed"`
		check.Report
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if !r.Passed || !r.WasRunning || r.Name != "goodbot.pl" || r.User != u.Name || len(r.Steps) != 10 || r.PID == 0 || r.PID == st.PID {
		t.Errorf("--json: %+v, want passed, was_running, 10 steps and a PID other than %d", r, st.PID)
	}
	if after := proc.Inspect(pidfile, "goodbot.pl"); after.State != proc.Running || after.PID != r.PID {
		t.Errorf("after the second check: %+v, want PID %d running", after, r.PID)
	}
}

func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	u, prog := checkUser(t)
	u.SetCrontab(t, "# BEGIN mkdaemon other\n@daily /bin/true\n# END mkdaemon other\n"+
		"# BEGIN mkdaemon broken\n@daily /usr/sbin/start-stop-daemon --start --pidfile /p --startas /bin/x\n# END mkdaemon broken\n")
	exits := filepath.Join(u.Home, "exits.pl")
	if err := os.WriteFile(exits, []byte("#!/bin/sh\necho 'exits.pl: no config' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no NAME, no --program", []string{"check"}, 2, "mkdaemon: error: check needs the NAME of an installed entry or --program\n"},
		{"two names", []string{"check", "a", "b"}, 2, "check takes one NAME, got 2"},
		{"NAME and --program", []string{"check", "x", "--program", prog}, 2, "give either NAME or --program, not both"},
		{"NAME and --interval", []string{"check", "x", "--interval", "5m"}, 2, "--interval applies only with --program"},
		{"bad --timeout", []string{"check", "--program", prog, "--timeout", "-1s"}, 2, "--timeout must be positive, not -1s"},
		{"unknown user", []string{"check", "x", "--user", "no-such-user-xyz"}, 2, "--user no-such-user-xyz: no such user"},
		{"missing program", []string{"check", "--program", "/nonexistent/bot.pl"}, 2, "mkdaemon: error: --program"},
		{"unknown NAME", []string{"check", "nope", "--user", u.Name}, 1, "no mkdaemon entry named nope in " + u.Name + "'s crontab; it has: other, broken\n"},
		{"entry without --name", []string{"check", "broken", "--user", u.Name}, 1, "the entry broken in " + u.Name + "'s crontab cannot be checked"},
		{"a failing check", []string{"check", "--user", u.Name, "--daemonizes", "--program", exits, "--pidfile", filepath.Join(u.Home, "e.pid"), "--timeout", "2s"}, 1,
			"mkdaemon: error: exits.pl failed the check at step \"start\" (exited)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := mkd(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// stopNamed kills the processes with the name that run as uid and waits
// until they are gone (PID 1 reaps them, late on some machines).
func stopNamed(t *testing.T, name string, uid int) {
	for i := 0; i < 200; i++ {
		ps, _ := proc.All()
		left := 0
		for _, p := range ps {
			if p.Comm == name && p.RunsAs(uid) {
				left++
				if !p.Zombie() {
					syscallKill(p.PID)
				}
			}
		}
		if left == 0 {
			return
		}
		sleep50ms()
	}
	t.Errorf("processes named %s are still there after 10s", name)
}

func itoa(n int) string { return strconv.Itoa(n) }

func syscallKill(pid int) { syscall.Kill(pid, syscall.SIGKILL) }

func sleep50ms() { time.Sleep(50 * time.Millisecond) }

// With the default pidfile, check creates its directory as install would:
// the daemon is about to write there. For another user it is theirs. (A
// program that fails at once keeps the test short: the directory is made
// before anything runs.)
func TestCheckCreatesTheDefaultPidfileDirectory(t *testing.T) {
	t.Parallel()
	u, _ := checkUser(t)
	exits := filepath.Join(u.Home, "exits.pl")
	if err := os.WriteFile(exits, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(u.Home, ".local", "state", "mkdaemon")
	code, out, errs := mkd(t, "check", "--user", u.Name, "--program", exits)
	if code != 1 || !strings.Contains(out, "pidfile "+dir+"/exits.pl.pid") {
		t.Fatalf("exit %d, want 1 with the default pidfile in %s\n%s%s", code, dir, out, errs)
	}
	for _, d := range []string{filepath.Join(u.Home, ".local"), filepath.Dir(dir), dir} {
		var st syscall.Stat_t
		if err := syscall.Stat(d, &st); err != nil || int(st.Uid) != u.UID || st.Mode&0o777 != 0o700 {
			t.Errorf("%s: uid %d mode %o (%v), want %d and 0700", d, st.Uid, st.Mode&0o777, err, u.UID)
		}
	}
}
