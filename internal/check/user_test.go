package check

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// newUser creates a throwaway user with a home directory and removes it,
// its crontab and its processes when the test ends. It needs root.
func newUser(t *testing.T) Account {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("creating a user needs root")
	}
	needTools(t, "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/crontab")
	name := "mkdck" + unique()
	if out, err := exec.Command("/usr/sbin/useradd", "-m", "-s", "/bin/sh", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd %s: %v\n%s", name, err, out)
	}
	acct, err := LookupAccount(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command("/usr/bin/crontab", "-u", name, "-r").Run()
		killUser(t, acct.UID)
		if out, err := exec.Command("/usr/sbin/userdel", "-r", name).CombinedOutput(); err != nil {
			t.Errorf("userdel -r %s: %v\n%s", name, err, out)
		}
	})
	return acct
}

// killUser kills every process of the (throwaway) uid and waits until
// they are gone, reaping those handed to the test process.
func killUser(t *testing.T, uid int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ps, _ := proc.All()
		left := 0
		for _, p := range ps {
			if p.UID != uid {
				continue
			}
			left++
			if p.Zombie() {
				if p.PPID == os.Getpid() {
					syscall.Wait4(p.PID, nil, syscall.WNOHANG, nil)
				}
				continue
			}
			syscall.Kill(p.PID, syscall.SIGKILL)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes of uid %d are still there 10s after SIGKILL", uid)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// userDaemon installs good.pl in the user's home, owned by the user, with
// its pidfile and log there too, and --envout recording its environment.
func userDaemon(t *testing.T, acct Account, base string) (daemon, []string, string) {
	t.Helper()
	dir := filepath.Join(acct.Home, "bot")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d := newDaemon(t, dir, "good.pl", base)
	envout := filepath.Join(dir, "env")
	for _, p := range []string{dir, d.prog} {
		if err := os.Chown(p, acct.UID, acct.GID); err != nil {
			t.Fatal(err)
		}
	}
	return d, append(d.selfArgv(), "--envout", envout), envout
}

// readEnv parses what good.pl --envout wrote: cwd= and the environment.
func readEnv(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	sort.Strings(lines)
	return lines
}

// cronEnvironment is what Debian cron gives a job of acct (FACTS.md), plus
// PWD, which /bin/sh sets to HOME, where the job starts. The program itself
// works in /: start-stop-daemon changes there before it starts it.
func cronEnvironment(acct Account) []string {
	env := []string{"cwd=/", "HOME=" + acct.Home, "LOGNAME=" + acct.Name,
		"PATH=/usr/bin:/bin", "PWD=" + acct.Home, "SHELL=/bin/sh"}
	sort.Strings(env)
	return env
}

func TestCheckRunsAsTheCrontabUser(t *testing.T) {
	needTools(t, ssd, "/usr/bin/perl")
	t.Parallel()
	acct := newUser(t)
	d, argv, envout := userDaemon(t, acct, "asuser")
	tg := d.target(argv)
	tg.Account = acct
	r, err := Run(context.Background(), tg, Options{})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, r)
	p, err := proc.Stat(r.PID)
	if err != nil || p.UID != acct.UID {
		t.Errorf("daemon PID %d runs as uid %d (%v), want %s's uid %d", r.PID, p.UID, err, acct.Name, acct.UID)
	}
	if got, want := readEnv(t, envout), cronEnvironment(acct); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the daemon started with\n%s\nwant cron's\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The pidfile and log were written by the user, not by root.
	for _, f := range []string{d.pidfile, d.log} {
		var st syscall.Stat_t
		if err := syscall.Stat(f, &st); err != nil || int(st.Uid) != acct.UID {
			t.Errorf("%s is owned by uid %d (%v), want %d", f, st.Uid, err, acct.UID)
		}
	}
}

func TestCheckAsAnotherUserNeedsRoot(t *testing.T) {
	acct := Account{Name: "someone", UID: os.Geteuid() + 1, GID: 1, Home: "/"}
	if os.Geteuid() == 0 {
		// As root the switch is allowed; the refusal is what a user sees.
		c, err := acct.credential()
		if err != nil || c == nil || c.Uid != uint32(acct.UID) {
			t.Fatalf("credential() = %+v, %v", c, err)
		}
		return
	}
	_, err := Run(context.Background(), Target{Command: ssd + " --start -a /bin/true", Pidfile: "/tmp/p", Name: "true", Account: acct}, Options{})
	if err == nil || !strings.Contains(err.Error(), "run the check as root or as someone") {
		t.Fatalf("err = %v", err)
	}
}
