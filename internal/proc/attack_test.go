package proc

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
)

// otherUID is an account that runs none of this test's processes.
const otherUID = 54321

func startSleep(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

// A pidfile naming a process of another account (root's, when root runs
// mkdaemon for a user) does not make that process the daemon, even with the
// right name.
func TestInspectAsRefusesAnotherAccountsProcess(t *testing.T) {
	pid := startSleep(t)
	dir, err := os.MkdirTemp("", "proc-test-") // t.TempDir's parent is 0700
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755) // readable by the other account
	pidfile := filepath.Join(dir, "bot.pid")
	os.WriteFile(pidfile, []byte(itoa(pid)+"\n"), 0o644)
	st := InspectAs(pidfile, "sleep", Account{UID: otherUID, GID: otherUID})
	if st.State != Stale || !strings.Contains(st.Reason, "not as uid 54321") {
		t.Fatalf("InspectAs(a pidfile naming uid %d's sleep, uid %d) = %+v, want stale", os.Getuid(), otherUID, st)
	}
	if st := InspectAs(pidfile, "sleep", Self()); st.State != Running {
		t.Errorf("InspectAs(own sleep, self) = %+v, want running", st)
	}
}

// Without the account, a pidfile's owner stands for it: a user's pidfile
// naming root's process is stale.
func TestInspectByPidfileOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give the pidfile away")
	}
	pid := startSleep(t)
	pidfile := filepath.Join(t.TempDir(), "bot.pid")
	os.WriteFile(pidfile, []byte(itoa(pid)+"\n"), 0o644)
	if st := Inspect(pidfile, "sleep"); st.State != Running {
		t.Errorf("Inspect(root's pidfile naming root's sleep) = %+v, want running", st)
	}
	os.Chown(pidfile, otherUID, otherUID)
	if st := Inspect(pidfile, "sleep"); st.State != Stale {
		t.Errorf("Inspect(uid %d's pidfile naming root's sleep) = %+v, want stale", otherUID, st)
	}
}

func TestSignalRefusesAnotherAccountsProcess(t *testing.T) {
	pid := startSleep(t)
	var noe *NotOwnerError
	if err := Signal(pid, otherUID, syscall.SIGTERM); !errors.As(err, &noe) {
		t.Fatalf("Signal(uid %d's process, uid %d) = %v, want a *NotOwnerError", os.Getuid(), otherUID, err)
	}
	time.Sleep(50 * time.Millisecond)
	if !Alive(pid) {
		t.Fatal("the process was signalled all the same")
	}
	if err := Signal(pid, os.Getuid(), syscall.SIGTERM); err != nil {
		t.Fatalf("Signal(own process) = %v", err)
	}
	if err := Signal(1<<30, os.Getuid(), syscall.SIGTERM); !errors.Is(err, ErrNoProcess) {
		t.Errorf("Signal(no such PID) = %v, want ErrNoProcess", err)
	}
}

// SignalGroup leaves the members of the group that run as another account
// alone.
func TestSignalGroupSkipsOtherAccounts(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a group member as another account")
	}
	u := crontest.NewUser(t)
	leader := exec.Command("sleep", "60")
	leader.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := leader.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { leader.Process.Kill(); leader.Wait() }()
	member := exec.Command("sleep", "60")
	member.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: leader.Process.Pid,
		Credential: &syscall.Credential{Uid: uint32(u.UID), Gid: uint32(u.GID)}}
	if err := member.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { member.Process.Kill(); member.Wait() }()
	SignalGroup(leader.Process.Pid, u.UID, syscall.SIGKILL)
	if err := member.Wait(); err == nil {
		t.Error("the user's member was not killed")
	}
	time.Sleep(50 * time.Millisecond)
	if !Alive(leader.Process.Pid) {
		t.Fatal("root's group leader was killed for the user")
	}
}

// inspectWithin runs InspectAs and fails the test if it has not returned
// within a second.
func inspectWithin(t *testing.T, pidfile string) DaemonState {
	t.Helper()
	done := make(chan DaemonState, 1)
	go func() { done <- InspectAs(pidfile, "bot", Self()) }()
	select {
	case st := <-done:
		return st
	case <-time.After(time.Second):
		t.Fatalf("InspectAs(%s) hangs", pidfile)
	}
	return DaemonState{}
}

// A FIFO as pidfile must not block the reader.
func TestPidfileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "bot.pid")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if st := inspectWithin(t, fifo); st.State != Stale || !strings.Contains(st.Reason, "not a regular file") {
		t.Errorf("InspectAs(FIFO) = %+v, want stale, not a regular file", st)
	}
	// A writer that holds the FIFO open must not make it readable either.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if st := inspectWithin(t, fifo); st.State != Stale {
		t.Errorf("InspectAs(FIFO with a writer) = %+v, want stale", st)
	}
}

// /dev/zero, reached through a symlink as the pidfile or through a
// symlinked directory, is never read: it would be read for ever.
func TestPidfileDevZero(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "bot.pid")
	os.Symlink("/dev/zero", link)
	if st := inspectWithin(t, link); st.State != Stale || !strings.Contains(st.Reason, "symbolic link") {
		t.Errorf("InspectAs(symlink to /dev/zero) = %+v, want stale, a symbolic link", st)
	}
	os.Symlink("/dev", filepath.Join(dir, "state"))
	viaDir := filepath.Join(dir, "state", "zero")
	if st := inspectWithin(t, viaDir); st.State != Stale || !strings.Contains(st.Reason, "not a regular file") {
		t.Errorf("InspectAs(/dev/zero via a symlinked directory) = %+v, want stale, not a regular file", st)
	}
}

// Of a big regular file only the first bytes are read.
func TestPidfileBig(t *testing.T) {
	big := filepath.Join(t.TempDir(), "bot.pid")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(1 << 40) // sparse: a terabyte of zeros that takes no room
	f.Close()
	pf, err := OpenPidfile(big, Self())
	if err != nil || len(pf.Data) > pidfileMax {
		t.Fatalf("OpenPidfile(1 TiB) read %d bytes, %v", len(pf.Data), err)
	}
}

// Root reading a user's pidfile reads it as that user: a symlink to a file
// only root may read yields nothing of its content, not even a number
// that would pass for a PID.
func TestReadPidfileAsTheAccount(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root")
	}
	u := crontest.NewUser(t)
	secret := t.TempDir() // root's, mode 0700
	os.Chmod(secret, 0o700)
	os.WriteFile(filepath.Join(secret, "bot.pid"), []byte("31337\n"), 0o600)
	os.WriteFile(filepath.Join(secret, "word.pid"), []byte("hunter2 is the password\n"), 0o644)
	link := filepath.Join(u.Home, "state")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	os.Lchown(link, u.UID, u.GID)
	a := Account{UID: u.UID, GID: u.GID}
	for _, name := range []string{"bot.pid", "word.pid"} {
		path := filepath.Join(link, name)
		pid, err := ReadPidfileAs(path, a)
		st := InspectAs(path, "bot", a)
		if pid != 0 || err == nil || strings.Contains(err.Error(), "31337") || strings.Contains(err.Error(), "hunter2") ||
			strings.Contains(st.Reason, "31337") || strings.Contains(st.Reason, "hunter2") || st.PID != 0 {
			t.Errorf("%s: ReadPidfileAs = %d, %v; InspectAs = %+v: root's file leaks", name, pid, err, st)
		}
	}
	// The borrowed identity stays on its own thread.
	if _, err := os.ReadFile(filepath.Join(secret, "bot.pid")); err != nil {
		t.Errorf("root lost access after reading as the user: %v", err)
	}
	// A file the user may read is read.
	own := filepath.Join(u.Home, "own.pid")
	os.WriteFile(own, []byte("42\n"), 0o644)
	os.Chown(own, u.UID, u.GID)
	if pid, err := ReadPidfileAs(own, a); pid != 42 || err != nil {
		t.Errorf("ReadPidfileAs(the user's own pidfile) = %d, %v", pid, err)
	}
}

// An invalid pidfile's content is quoted only when it belongs to the
// account it is read for.
func TestPidfileContentQuotedOnlyForItsOwner(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bot.pid")
	os.WriteFile(p, []byte("abc\n"), 0o644)
	if _, err := ReadPidfileAs(p, Self()); err == nil || !strings.Contains(err.Error(), `"abc"`) {
		t.Errorf("own file: %v, want the content quoted", err)
	}
	if _, err := ReadPidfileAs(p, Account{UID: otherUID}); err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("another account's read: %v, want no content", err)
	}
}
