package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/shell"
)

// TestRealCron is the seed's recipe end to end with the real Debian cron
// daemon (crontest.Cron starts `cron -f`, or uses one that already runs):
// a `* * * * *` entry for a throwaway user starts the daemon, a killed
// daemon is started again on the next tick, and the ticks after that start
// no second copy and leave no zombie. Then the check itself runs on the
// same entry, and the environment cron gave the daemon is compared with the
// one the check gave it. It takes three to four minutes.
//
// Who reaps: cron reaps its own job processes, but the daemon and the
// first process of its double fork are orphans. They go to the nearest
// child subreaper among their ancestors: this test process when it started
// cron, and then the test reaps them, promptly, as a good init would;
// otherwise PID 1, which here reaps late, and the test waits for it.
func TestRealCron(t *testing.T) {
	if testing.Short() {
		t.Skip("takes three to four minutes of real cron ticks")
	}
	needTools(t, ssdPath, "/usr/bin/perl", "/usr/sbin/cron", "/usr/bin/crontab")
	t.Parallel()
	acct := newUser(t)
	stopReaper := reapUser(acct.UID)
	defer stopReaper()

	crontest.Cron(t) // starts cron -f unless one runs; one such test at a time
	crons := live("cron")
	if len(crons) == 0 {
		t.Fatal("no cron daemon is running")
	}
	cronPID := crons[0].PID
	d, argv, envout := userDaemon(t, acct, "cronck")
	name := procName(d.name)
	command := shell.Join(argv)
	ticks := filepath.Join(acct.Home, "ticks")
	entry := "* * * * * " + command + "\n* * * * * echo tick >> " + ticks + "\n"
	crontest.SetCrontab(t, acct.Name, entry)
	t.Logf("cron PID %d; crontab of %s:\n%s", cronPID, acct.Name, entry)

	// A watcher samples all the while: never two copies, never a zombie
	// that cron or the daemon leaves behind.
	w := watch(t, name, acct.UID, cronPID)

	first := waitFor(t, 130*time.Second, "cron to start the daemon", func() int { return runningPID(d, name) })
	cronEnv := readEnv(t, envout)
	t.Logf("cron started PID %d", first)

	syscall.Kill(first, syscall.SIGTERM)
	waitFor(t, 10*time.Second, "the killed daemon to be gone", func() int {
		if _, err := proc.Stat(first); err != nil {
			return 1
		}
		return 0
	})
	killed := time.Now()
	second := waitFor(t, 70*time.Second, "cron to start a new daemon within 70s", func() int {
		if pid := runningPID(d, name); pid != first {
			return pid
		}
		return 0
	})
	t.Logf("cron started PID %d %s after the kill", second, time.Since(killed).Round(time.Second))

	base := countTicks(ticks)
	waitFor(t, 130*time.Second, "two more ticks", func() int {
		if countTicks(ticks) >= base+2 {
			return 1
		}
		return 0
	})
	if pid := runningPID(d, name); pid != second {
		t.Errorf("after two more ticks the daemon is PID %d, want still %d", pid, second)
	}
	w.stop()
	if w.maxCopies != 1 {
		t.Errorf("saw %d copies at once named %s (want 1): %v", w.maxCopies, name, w.worst)
	}
	for _, z := range w.zombies {
		t.Errorf("a zombie stayed: %+v", z)
	}
	if want := cronEnvironment(acct); strings.Join(cronEnv, "\n") != strings.Join(want, "\n") {
		t.Errorf("cron started the daemon with\n%s\nwant\n%s", strings.Join(cronEnv, "\n"), strings.Join(want, "\n"))
	}

	// The check on the running entry: it must pass, restart the daemon as
	// cron would start it, and leave it running. A cron tick during the
	// restart step could race it, so the entry goes, and the check runs
	// well inside a minute: cron reads the crontabs again at each tick.
	if out, err := exec.Command("/usr/bin/crontab", "-u", acct.Name, "-r").CombinedOutput(); err != nil {
		t.Fatalf("crontab -u %s -r: %v\n%s", acct.Name, err, out)
	}
	for s := time.Now().Second(); s < 3 || s > 40; s = time.Now().Second() {
		time.Sleep(500 * time.Millisecond)
	}
	// From here the check reaps what it starts; the reaper would also reap
	// the check's shells, which run as the user, from under their exec.Cmd.
	stopReaper()
	os.Remove(envout)
	tg := d.target(argv)
	tg.Account = acct
	r, err := Run(context.Background(), tg, Options{})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, r)
	if !r.WasRunning || r.PID == second {
		t.Errorf("WasRunning %v, PID %d: want the cron-started PID %d replaced by a new one", r.WasRunning, r.PID, second)
	}
	if checkEnv := readEnv(t, envout); strings.Join(checkEnv, "\n") != strings.Join(cronEnv, "\n") {
		t.Errorf("the check started the daemon with\n%s\ncron with\n%s", strings.Join(checkEnv, "\n"), strings.Join(cronEnv, "\n"))
	}
}

// reapUser reaps the uid's zombies handed to the test process, every 100ms,
// until stopped. Only the throwaway user's: the test's own children (cron,
// crontab) run as root and are waited for by their exec.Cmd.
func reapUser(uid int) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			ps, _ := proc.All()
			for _, p := range ps {
				if p.Zombie() && p.UID == uid && p.PPID == os.Getpid() {
					syscall.Wait4(p.PID, nil, syscall.WNOHANG, nil)
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// watcher samples the processes of a cron-run daemon.
type watcher struct {
	done      chan struct{}
	wg        sync.WaitGroup
	maxCopies int
	worst     []proc.Process
	zombies   []proc.Process
}

// watch samples every 100ms: the copies named name (one per session, see
// instances), and zombies of uid or of cron that are not the test's to reap
// and are still there 2s later.
func watch(t *testing.T, name string, uid, cronPID int) *watcher {
	w := &watcher{done: make(chan struct{})}
	firstSeen := map[int]time.Time{}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for {
			select {
			case <-w.done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			ps, _ := proc.All()
			sessions := map[int][]proc.Process{}
			now := time.Now()
			for _, p := range ps {
				if p.Zombie() {
					if (p.UID == uid || p.PPID == cronPID) && p.PPID != os.Getpid() {
						if _, ok := firstSeen[p.PID]; !ok {
							firstSeen[p.PID] = now
						} else if now.Sub(firstSeen[p.PID]) > 2*time.Second && !contains(w.zombies, p.PID) {
							w.zombies = append(w.zombies, p)
						}
					}
					continue
				}
				if p.Comm == name && p.UID == uid {
					sessions[p.Session] = append(sessions[p.Session], p)
				}
			}
			if len(sessions) > w.maxCopies {
				w.maxCopies = len(sessions)
				w.worst = nil
				for _, s := range sessions {
					w.worst = append(w.worst, s...)
				}
			}
		}
	}()
	t.Cleanup(w.stop)
	return w
}

func (w *watcher) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	w.wg.Wait()
}

func contains(ps []proc.Process, pid int) bool {
	for _, p := range ps {
		if p.PID == pid {
			return true
		}
	}
	return false
}

// runningPID is the daemon's PID when its pidfile names it running.
func runningPID(d daemon, name string) int {
	if st := proc.Inspect(d.pidfile, name); st.State == proc.Running {
		return st.PID
	}
	return 0
}

func countTicks(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "tick\n")
}

// waitFor polls f every 100ms until it returns non-zero, or fails the test.
func waitFor(t *testing.T, d time.Duration, what string, f func() int) int {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if v := f(); v != 0 {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatal(fmt.Sprintf("timed out after %s waiting for %s", d, what))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
