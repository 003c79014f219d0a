package check

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// A user writes the PID of a root process into their entry's pidfile and
// gives its name as --name. Root's check of that entry must neither take
// the process for the user's daemon nor signal it.
func TestCheckNeverSignalsAnotherAccountsProcess(t *testing.T) {
	needTools(t, ssdPath)
	t.Parallel()
	acct := newUser(t)

	// root's process, with a name of its own.
	victim := "victim-" + unique()
	bin := filepath.Join(t.TempDir(), victim)
	sleep, _ := exec.LookPath("sleep")
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	root := exec.Command(bin, "300")
	if err := root.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- root.Wait() }()
	defer root.Process.Kill()

	// The user's entry, its pidfile naming root's process.
	dir := filepath.Join(acct.Home, "bot")
	os.Mkdir(dir, 0o755)
	os.Chown(dir, acct.UID, acct.GID)
	pidfile := filepath.Join(dir, "bot.pid")
	os.WriteFile(pidfile, []byte(strconv.Itoa(root.Process.Pid)+"\n"), 0o644)
	os.Chown(pidfile, acct.UID, acct.GID)
	tg := Target{Argv: []string{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", pidfile, "--name", victim,
		"--startas", "/bin/sleep", "--background", "--", "300"}, Pidfile: pidfile, Name: victim, Account: acct}

	r, err := Run(context.Background(), tg, Options{Timeout: 2 * time.Second, Stop: true})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		t.Fatalf("root's process %d was stopped by the check of %s's entry: %v", root.Process.Pid, acct.Name, err)
	case <-time.After(300 * time.Millisecond):
	}
	if r.WasRunning || r.PID == root.Process.Pid {
		t.Errorf("root's process was taken for the daemon: was_running %v, pid %d", r.WasRunning, r.PID)
	}
	if r.Passed() {
		t.Error("the check passed")
	}
	if st := proc.InspectAs(pidfile, victim, proc.Account{UID: acct.UID, GID: acct.GID}); st.State == proc.Running {
		t.Errorf("InspectAs = %+v", st)
	}
}

// The entry names a log that is a file only root may read. Root's check of
// the entry reads the log as the entry's account, so its tail never shows
// root's file.
func TestCheckReadsTheLogAsTheAccount(t *testing.T) {
	needTools(t, ssdPath)
	t.Parallel()
	acct := newUser(t)
	dir, err := os.MkdirTemp("", "check-log-") // t.TempDir's parent is 0700
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o700)
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("root-only-secret-line\n"), 0o600)
	pidfile := filepath.Join(acct.Home, "bot.pid")
	tg := Target{Argv: []string{ssdPath, "--start", "--quiet", "--pidfile", pidfile, "--name", "false", "--startas", "/bin/false"},
		Pidfile: pidfile, Name: "false", Account: acct, Log: secret}
	r, err := Run(context.Background(), tg, Options{Timeout: 2 * time.Second})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Steps {
		if strings.Contains(s.Evidence, "root-only-secret-line") {
			t.Fatalf("step %s shows root's file: %s", s.Name, s.Evidence)
		}
	}
	// The same log, readable by the account, is shown: the test would
	// pass for a check that never shows logs at all otherwise.
	os.Chmod(dir, 0o755)
	os.Chmod(secret, 0o644)
	r, _ = Run(context.Background(), tg, Options{Timeout: 2 * time.Second})
	shown := false
	for _, s := range r.Steps {
		shown = shown || strings.Contains(s.Evidence, "root-only-secret-line")
	}
	if !shown {
		logReport(t, r)
		t.Error("a log the account may read is not shown")
	}
}
