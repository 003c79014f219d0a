package entry_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// The daemons these tests start are orphaned by their double fork. Being a
// child subreaper makes them our children, so a killed daemon can be reaped
// at once instead of waiting for PID 1, which here reaps only after a second or two.
func TestMain(m *testing.M) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// reapOrphans collects every exited child. It runs only between commands,
// when no exec.Cmd of ours is waiting, so it cannot steal their status.
func reapOrphans() {
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// cronCommand is what cron hands to /bin/sh for the first crontab line.
func cronCommand(t *testing.T, e entry.Entry) string {
	t.Helper()
	field, ok := strings.CutPrefix(e.CrontabLines[0], e.Schedule+" ")
	if !ok {
		t.Fatalf("crontab line %q does not start with its schedule %q", e.CrontabLines[0], e.Schedule)
	}
	cmd, stdin := crontab.Unescape(field)
	if stdin != "" {
		t.Fatalf("cron would feed %q to stdin: an unescaped %%", stdin)
	}
	return cmd
}

// runAsCron runs command exactly as cron runs a job: /bin/sh -c with only
// HOME, LOGNAME, PATH=/usr/bin:/bin and SHELL=/bin/sh, in HOME.
func runAsCron(t *testing.T, home, command string) {
	t.Helper()
	cmd := exec.Command("/usr/bin/env", "-i", "HOME="+home, "LOGNAME=root", "PATH=/usr/bin:/bin", "SHELL=/bin/sh",
		"/bin/sh", "-c", command)
	cmd.Dir = home
	out, err := cmd.CombinedOutput()
	reapOrphans()
	// Status 1 is start-stop-daemon's "nothing to do": the daemon runs.
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 && len(out) == 0 {
		err = nil
	}
	if err != nil {
		t.Fatalf("cron's run of %q failed: %v\n%s", command, err, out)
	}
	if len(out) != 0 {
		t.Errorf("the job printed %q: cron would mail it on every tick", out)
	}
}

// instances lists the live processes named name.
func instances(t *testing.T, name string) []int {
	t.Helper()
	ps, err := proc.All()
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range ps {
		if p.Comm == name && !p.Zombie() {
			pids = append(pids, p.PID)
		}
	}
	return pids
}

// waitRunning waits until the pidfile names a live process called name.
func waitRunning(t *testing.T, pidfile, name string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := proc.Inspect(pidfile, name)
		if st.State == proc.Running {
			return st.PID
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never named a live %s: %+v", pidfile, name, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill stops pid and reaps it, so the next start is not fooled by a zombie.
func kill(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Fatal(err)
	}
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, 0, nil); err != nil && !errors.Is(err, syscall.ECHILD) {
		t.Fatal(err)
	}
	for proc.Alive(pid) {
		time.Sleep(10 * time.Millisecond)
	}
}

func build(t *testing.T, in spec.Input, home string) entry.Entry {
	t.Helper()
	cur, err := spec.CurrentAccount()
	if err != nil {
		t.Fatal(err)
	}
	cur.Home = home
	wd, _ := os.Getwd()
	env := spec.Env{Getenv: func(k string) string { return map[string]string{"PATH": "/usr/bin:/bin"}[k] }, Cwd: wd, Current: cur, Lookup: spec.LookupAccount}
	r, err := spec.Resolve(in, spec.Gather(in, env))
	if err != nil {
		t.Fatal(err)
	}
	e, err := entry.Build(r, r.SSD, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestKeepsOneInstance is the promise of the whole tool, held against the
// real start-stop-daemon: the crontab line starts the daemon, a second tick
// starts nothing, and a tick after the daemon died starts a new one.
func TestKeepsOneInstance(t *testing.T) {
	for _, tc := range []struct {
		name       string
		program    string
		background bool
		comm       string
	}{
		// 23 characters: the kernel's name is the first 15, and only that
		// name ever matches.
		{"self-daemonizing, basename over 15 characters", "testdata/self-daemonizing-bot.pl", false, "self-daemonizin"},
		{"--background", "testdata/foreground-bot.pl", true, "foreground-bot."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			pidfile := filepath.Join(home, "bot.pid")
			log := filepath.Join(home, "bot.log")
			in := spec.Input{Program: tc.program, Pidfile: pidfile, Interval: "* * * * *", Daemonizes: !tc.background}
			in.Args = []string{"50% done", "it's"}
			if tc.background {
				in.Log = log
			} else {
				in.Args = []string{pidfile}
			}
			e := build(t, in, home)
			if e.Name != tc.comm {
				t.Fatalf("name = %q, want %q", e.Name, tc.comm)
			}
			command := cronCommand(t, e)
			stateDir := filepath.Join(home, ".local/state/mkdaemon")
			if err := os.MkdirAll(stateDir, 0o700); err != nil {
				t.Fatal(err)
			}
			starts := func() int {
				b, _ := os.ReadFile(entry.StartsFile(stateDir, tc.comm))
				return strings.Count(string(b), "\n")
			}
			t.Cleanup(func() {
				for _, pid := range instances(t, tc.comm) {
					kill(t, pid, syscall.SIGKILL)
				}
			})

			runAsCron(t, home, command)
			first := waitRunning(t, pidfile, tc.comm)

			if n := starts(); n != 1 {
				t.Fatalf("after the first tick the record holds %d starts, want 1", n)
			}

			runAsCron(t, home, command)
			if got := instances(t, tc.comm); len(got) != 1 || got[0] != first {
				t.Fatalf("after a second tick: instances %v, want only %d", got, first)
			}
			if n := starts(); n != 1 {
				t.Fatalf("a tick that found the daemon running recorded a start: %d starts, want 1", n)
			}

			kill(t, first, syscall.SIGKILL)
			runAsCron(t, home, command)
			second := waitRunning(t, pidfile, tc.comm)
			if second == first {
				t.Fatalf("the pidfile still names the killed PID %d", first)
			}
			if got := instances(t, tc.comm); len(got) != 1 {
				t.Fatalf("after the restart: instances %v, want one", got)
			}
			if n := starts(); n != 2 {
				t.Fatalf("after a kill and a tick the record holds %d starts, want 2", n)
			}
			if tc.background {
				deadline := time.Now().Add(5 * time.Second)
				for {
					b, _ := os.ReadFile(log)
					if strings.Contains(string(b), "50% done|it's\n") {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("the program did not get its arguments intact; log: %q", b)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
}
