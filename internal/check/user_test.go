package check

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// newUser creates a throwaway user (crontest: removed with its home,
// crontab and processes at the end) and returns its account.
func newUser(t *testing.T) spec.Account {
	t.Helper()
	u := crontest.NewUser(t)
	acct, err := spec.LookupAccount(u.Name)
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

// userDaemon installs good.pl in the user's home, owned by the user, with
// its pidfile and log there too, and --envout recording its environment.
func userDaemon(t *testing.T, acct spec.Account, base string) (daemon, []string, string) {
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

// cronEnvironment is what Debian cron gives a job of acct, plus
// PWD, which /bin/sh sets to HOME, where the job starts. The program itself
// works in /: start-stop-daemon changes there before it starts it.
func cronEnvironment(acct spec.Account) []string {
	env := []string{"cwd=/", "HOME=" + acct.Home, "LOGNAME=" + acct.Name,
		"PATH=/usr/bin:/bin", "PWD=" + acct.Home, "SHELL=/bin/sh"}
	sort.Strings(env)
	return env
}

func TestCheckRunsAsTheCrontabUser(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
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
	acct := spec.Account{Name: "someone", UID: os.Geteuid() + 1, GID: 1, Home: "/", Groups: []int{1, 27}}
	if os.Geteuid() == 0 {
		// As root the switch is allowed, with the user's groups; the
		// refusal is what a user sees.
		c, err := credential(acct)
		if err != nil || c == nil || c.Uid != uint32(acct.UID) || len(c.Groups) != 2 || c.Groups[1] != 27 {
			t.Fatalf("credential() = %+v, %v", c, err)
		}
		return
	}
	_, err := Run(context.Background(), Target{Command: ssdPath + " --start -a /bin/true", Pidfile: "/tmp/p", Name: "true", Account: acct}, Options{})
	if err == nil || !strings.Contains(err.Error(), "run the check as root or as someone") {
		t.Fatalf("err = %v", err)
	}
}
