package crontab

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Tests against the real crontab binary run as root for throwaway users
// made here with useradd and removed with userdel: they never touch the
// crontab of the user running them.

var userSeq atomic.Int32

// throwaway creates a user with a home directory and returns the Target
// for it as root sees it (crontab -u, files given to the user). Its
// crontab and the user are removed when the test ends.
func throwaway(tb testing.TB) Target {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("needs root to create a throwaway user")
	}
	for _, bin := range []string{"crontab", "useradd", "userdel"} {
		if _, err := exec.LookPath(bin); err != nil {
			tb.Skipf("%s not found (apt-get install cron passwd)", bin)
		}
	}
	name := fmt.Sprintf("mkdt%d-%d", os.Getpid()%1000000, userSeq.Add(1))
	// useradd fails while another process holds /etc/passwd's lock;
	// other tests on this machine may be adding users too.
	var out []byte
	var err error
	for try := 0; try < 50; try++ {
		out, err = exec.Command("useradd", "-m", "-s", "/bin/sh", name).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "lock") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("useradd %s: %v: %s", name, err, out)
	}
	tb.Cleanup(func() {
		exec.Command("crontab", "-u", name, "-r").Run()
		for try := 0; try < 50; try++ {
			out, err := exec.Command("userdel", "-r", name).CombinedOutput()
			if err == nil || !strings.Contains(string(out), "lock") {
				if err != nil {
					tb.Errorf("userdel -r %s: %v: %s", name, err, out)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	u, err := user.Lookup(name)
	if err != nil {
		tb.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return Target{
		User: name, UID: uid, GID: gid, Home: u.HomeDir,
		StateDir: filepath.Join(u.HomeDir, ".local", "state", "mkdaemon"),
	}
}

// setCrontab installs text for the user with the real crontab, bypassing
// mkdaemon: what the user or another tool would do.
func setCrontab(tb testing.TB, u Target, text string) {
	tb.Helper()
	cmd := exec.Command("crontab", "-u", u.User, "-")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("crontab -u %s -: %v: %s", u.User, err, out)
	}
}

// listing is `crontab -u USER -l` as the user would see it.
func listing(tb testing.TB, u Target) string {
	tb.Helper()
	cmd := exec.Command("crontab", "-u", u.User, "-l")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "no crontab for") {
			return ""
		}
		tb.Fatalf("crontab -u %s -l: %v: %s", u.User, err, stderr.String())
	}
	return string(out)
}

// spoolStat identifies the installed crontab file: crontab replaces it by
// rename on every install, so an unchanged inode means nothing was written.
func spoolStat(tb testing.TB, u Target) string {
	tb.Helper()
	fi, err := os.Stat(filepath.Join("/var/spool/cron/crontabs", u.User))
	if err != nil {
		if os.IsNotExist(err) {
			return "none"
		}
		tb.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("ino %d mtime %v ctime %v", st.Ino, st.Mtim, st.Ctim)
}
