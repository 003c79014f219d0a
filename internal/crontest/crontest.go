// Package crontest gives end-to-end tests the real thing: a throwaway Unix
// user with a crontab, and a running Debian cron daemon. Tests in several
// packages may use cron at once (go test runs packages in parallel), so
// Cron serialises them with a lock held for the whole test.
package crontest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/realtest"
)

// User is a throwaway account, removed with its home and crontab when the
// test ends.
type User struct {
	Name     string
	UID, GID int
	Home     string
}

// NewUser creates a user whose name starts with "mkdt". It needs root.
func NewUser(t testing.TB) User {
	realtest.Need(t)
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("creating a throwaway user needs root")
	}
	var b [4]byte
	rand.Read(b[:])
	name := "mkdt" + hex.EncodeToString(b[:])
	if out, err := exec.Command("useradd", "--create-home", "--shell", "/bin/sh", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd %s: %v\n%s", name, err, out)
	}
	t.Cleanup(func() {
		exec.Command("crontab", "-u", name, "-r").Run()
		exec.Command("pkill", "-KILL", "-u", name).Run()
		for i := 0; i < 50; i++ {
			if exec.Command("pgrep", "-u", name).Run() != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if out, err := exec.Command("userdel", "--remove", name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v\n%s", name, err, out)
		}
	})
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return User{Name: name, UID: uid, GID: gid, Home: u.HomeDir}
}

// Credential runs a command as the user.
func (u User) Credential() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(u.UID), Gid: uint32(u.GID)}}
}

// SetCrontab installs text as the user's crontab with the real crontab
// command, in a way the running cron daemon is sure to notice.
func (u User) SetCrontab(t testing.TB, text string) { SetCrontab(t, u.Name, text) }

// SpoolDir is where Debian's crontab keeps the installed crontabs.
const SpoolDir = "/var/spool/cron/crontabs"

// SetCrontab installs text as user's crontab with `crontab -u USER -`.
//
// Debian cron notices a change by the modification times of the spool
// directory and of each crontab, in whole seconds: a crontab installed in
// the very second cron last read the spool (other tests install crontabs
// all the time) is never read. So after installing, SetCrontab waits for
// the next second and touches both again.
func SetCrontab(t testing.TB, user, text string) {
	t.Helper()
	cmd := exec.Command("crontab", "-u", user, "-")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("crontab -u %s -: %v\n%s", user, err, out)
	}
	Poke(t, user)
}

// SpoolID identifies user's installed crontab file, or is "none" when there
// is none. crontab replaces the file by rename on every install, so an
// unchanged inode and times mean nothing was written.
func SpoolID(t testing.TB, user string) string {
	t.Helper()
	fi, err := os.Stat(filepath.Join(SpoolDir, user))
	if errors.Is(err, os.ErrNotExist) {
		return "none"
	}
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("ino %d mtime %v ctime %v", st.Ino, st.Mtim, st.Ctim)
}

// Poke makes the running cron daemon reread user's crontab, however it was
// installed (SetCrontab, or mkdaemon itself): it waits for the next second
// and touches the crontab and the spool directory.
func Poke(t testing.TB, user string) {
	t.Helper()
	now := time.Now()
	time.Sleep(now.Truncate(time.Second).Add(time.Second + 10*time.Millisecond).Sub(now))
	now = time.Now()
	for _, p := range []string{filepath.Join(SpoolDir, user), SpoolDir} {
		if err := os.Chtimes(p, now, now); err != nil {
			t.Fatalf("touching %s so that cron rereads it: %v", p, err)
		}
	}
}

// Crontab lists the user's crontab ("" when there is none).
func (u User) Crontab(t testing.TB) string {
	t.Helper()
	cmd := exec.Command("crontab", "-u", u.Name, "-l")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(string(ee.Stderr), "no crontab for") {
			return ""
		}
		t.Fatalf("crontab -u %s -l: %v", u.Name, err)
	}
	return string(out)
}

// Cron makes sure the real cron daemon runs for the rest of the test: it
// uses one that already runs, or starts `cron -f` and stops it at the end.
// Only one test on the machine holds it at a time. scripts/test starts cron
// before the tests: a cron started here runs under the test binary, and
// one that is a child subreaper would adopt, and leave as zombies, the
// daemons cron's jobs start meanwhile for other tests' users.
func Cron(t testing.TB) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("running the cron daemon needs root")
	}
	lock, err := os.OpenFile("/run/lock/mkdaemon-crontest.lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	if exec.Command("pgrep", "-x", "cron").Run() == nil {
		return
	}
	bin, err := exec.LookPath("cron")
	if err != nil {
		if bin, err = exec.LookPath("/usr/sbin/cron"); err != nil {
			t.Fatal("the cron daemon is not installed (apt-get install -y cron)")
		}
	}
	cmd := exec.Command(bin, "-f")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	// cron reads the spool when it starts; give it that moment so a
	// crontab installed right after is seen at the next minute.
	time.Sleep(200 * time.Millisecond)
}

// NextMinute is how long until cron's next tick, plus a margin.
func NextMinute() time.Duration {
	now := time.Now()
	return now.Truncate(time.Minute).Add(time.Minute).Sub(now) + 5*time.Second
}

// String names the user in messages.
func (u User) String() string { return fmt.Sprintf("%s (uid %d)", u.Name, u.UID) }
