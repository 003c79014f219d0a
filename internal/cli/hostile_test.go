package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRootForAHostileUser plays, through the commands root runs with
// --user, the attacks of a user who controls their own home: a pidfile
// naming a root process, a pidfile that is a FIFO or a symlink to a file
// only root may read or to /dev/zero, and --out paths through the user's
// symlinks into root's directories.
func TestRootForAHostileUser(t *testing.T) {
	u, prog := botUser(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", "")
	state := filepath.Join(u.Home, ".local", "state", "mkdaemon")
	asUser := func(args ...string) {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.SysProcAttr = u.Credential()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v as %s: %v\n%s", args, u.Name, err, out)
		}
	}

	// A root process, named as the entry's --name says.
	root := exec.Command("sleep", "300")
	if err := root.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { root.Process.Kill(); root.Wait() }()
	if code, _, stderr := mkd(t, "--yes", "--no-start", "--user", u.Name, "--program", prog, "--name", "sleep"); code != 0 {
		t.Fatalf("install: exit %d: %s", code, stderr)
	}
	pidfile := filepath.Join(state, "sleep.pid")
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("hunter2 is root's\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		plant func()
	}{
		{"root's PID", func() { asUser("sh", "-c", "echo "+strconv.Itoa(root.Process.Pid)+" > "+pidfile) }},
		{"a FIFO", func() { asUser("mkfifo", pidfile) }},
		{"a symlink to /dev/zero", func() { asUser("ln", "-s", "/dev/zero", pidfile) }},
		{"a symlink to a root-only file", func() { asUser("ln", "-s", secret, pidfile) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(pidfile)
			tc.plant()
			done := make(chan struct{})
			var code int
			var stdout, stderr string
			go func() {
				code, stdout, stderr = mkd(t, "list", "--user", u.Name, "--json")
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("list hung on the pidfile")
			}
			if code != 0 || strings.Contains(stdout, `"running"`) || strings.Contains(stdout+stderr, "hunter2") {
				t.Errorf("list: exit %d\n%s%s", code, stdout, stderr)
			}
			if err := root.Process.Signal(syscall.Signal(0)); err != nil {
				t.Fatalf("the root process is gone: %v", err)
			}
		})
	}

	// --out through the user's symlink to a directory of root's.
	rootDir := t.TempDir()
	link := filepath.Join(u.Home, "out")
	asUser("ln", "-s", rootDir, link)
	for _, args := range [][]string{
		{"export", "--format", "systemd", "--user", u.Name, "--program", prog, "--out", filepath.Join(link, "bot.service")},
		{"export", "--format", "toolforge", "--user", u.Name, "--program", prog, "--out", filepath.Join(link, "jobs.yaml")},
		{"scaffold", "--lang", "python", "--user", u.Name, "--out", filepath.Join(link, "new.py")},
	} {
		if code, _, _ := mkd(t, args...); code == 0 {
			t.Errorf("%v: exit 0", args)
		}
	}
	if names, _ := os.ReadDir(rootDir); len(names) != 0 {
		t.Errorf("root's directory now holds %v", names)
	}
}
