package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// TestRealCronRestartsAndRecords installs an entry with `* * * * *` and
// --notify into a throwaway user's crontab, kills the daemon, and lets the
// real cron daemon start it again: within 70 s a new process runs and its
// start is recorded.
func TestRealCronRestartsAndRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real cron tick (up to 70 s)")
	}
	u, prog, _ := tickUser(t)
	crontest.Cron(t)
	const name = "tickbot.pl"
	t.Cleanup(func() {
		for _, pid := range daemons(t, name, u.UID) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	out := mustRun(t, "--user", u.Name, "--program", prog, "--interval", "* * * * *", "--notify", "--yes")
	first := pids(out)[0]
	crontest.Poke(t, u.Name)
	state := filepath.Join(u.Home, ".local/state/mkdaemon")
	starts := filepath.Join(state, name+".starts")

	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for proc.Alive(first) {
		time.Sleep(10 * time.Millisecond)
	}
	killed := time.Now()
	acct := proc.Account{UID: u.UID, GID: u.GID}
	pidfile := filepath.Join(state, name+".pid")
	for {
		st := proc.InspectAs(pidfile, name, acct)
		if st.State == proc.Running && st.PID != first {
			t.Logf("cron started PID %d %s after the kill", st.PID, time.Since(killed).Round(time.Second))
			break
		}
		if time.Since(killed) > 70*time.Second {
			t.Fatalf("cron did not start %s again within 70 s: %+v", name, st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(starts)
		if n := strings.Count(string(b), "\n"); n == 2 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the record holds %d starts, want 2 (install, then cron's):\n%s", n, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := daemons(t, name, u.UID); len(got) != 1 {
		t.Errorf("after cron's restart: daemons %v, want one", got)
	}
}

// TestRealCronCrashLoop lets the real cron daemon start a program that
// exits at once, tick after tick: after three consecutive ticks that each
// started it, list and status call it crash-looping and show its log.
func TestRealCronCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for three real cron ticks (up to 4 minutes)")
	}
	u, _, crash := tickUser(t)
	crontest.Cron(t)
	const name = "crashbot.pl"
	mustRun(t, "--user", u.Name, "--program", crash, "--interval", "* * * * *", "--no-start", "--yes")
	crontest.Poke(t, u.Name)
	starts := filepath.Join(u.Home, ".local/state/mkdaemon", name+".starts")
	deadline := time.Now().Add(4*time.Minute + 10*time.Second)
	for {
		b, _ := os.ReadFile(starts)
		if n := strings.Count(string(b), "\n"); n >= 3 {
			t.Logf("cron started it %d times:\n%s", n, b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cron did not start %s three times within 4 minutes; starts:\n%s", name, b)
		}
		time.Sleep(time.Second)
	}
	// The record is written as soon as start-stop-daemon returns; the
	// program may still be printing its last words.
	time.Sleep(500 * time.Millisecond)
	out := mustRun(t, "status", name, "--user", u.Name)
	if !strings.Contains(out, "crash-looping") || !strings.Contains(out, "crashed") {
		t.Errorf("status after three ticks that each started it:\n%s", out)
	}
	if out := mustRun(t, "list", "--user", u.Name); !strings.Contains(out, "crash-looping") {
		t.Errorf("list after three ticks that each started it:\n%s", out)
	}
}
