package crontab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/homefs"
)

// Attacks by the user whose crontab root edits (mkdaemon --user): each
// test plays the user's move for real and checks that root is not fooled.

// ownedBy fails the test unless path belongs to uid.
func ownedBy(t *testing.T, path string, uid int) {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		t.Fatal(err)
	}
	if int(st.Uid) != uid {
		t.Errorf("%s now belongs to uid %d, want %d", path, st.Uid, uid)
	}
}

// userStateDir makes the user's state directory as an earlier install
// would have.
func userStateDir(t *testing.T, u Target) {
	t.Helper()
	if err := MakeDir(u.StateDir, u.Home, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
}

// The user hard-links the lock file's name to a file of root's. (Debian's
// fs.protected_hardlinks stops a user from doing that to a file they
// cannot write, so the test makes the link as root: on a system without
// that protection the user can.) Root must not hand the file over.
func TestRealLockHardLinkIsRefused(t *testing.T) {
	u := throwaway(t)
	userStateDir(t, u)
	victim := filepath.Join(t.TempDir(), "root-secret")
	os.WriteFile(victim, []byte("root's\n"), 0o600)
	if err := os.Link(victim, filepath.Join(u.StateDir, lockName)); err != nil {
		t.Fatal(err)
	}
	setCrontab(t, u, "# mine\n")
	before := crontest.SpoolID(t, u.User)
	_, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if err == nil || !strings.Contains(err.Error(), "hard links") {
		t.Errorf("error %v, want a refusal of the hard link", err)
	}
	ownedBy(t, victim, 0)
	if fi, _ := os.Stat(victim); fi.Mode().Perm() != 0o600 {
		t.Errorf("root's file mode is now %v", fi.Mode().Perm())
	}
	if crontest.SpoolID(t, u.User) != before {
		t.Error("the crontab was written")
	}
}

// A lock file that is not the user's (root's, say, moved there) is
// refused too, never given away.
func TestRealLockOfAnotherOwnerIsRefused(t *testing.T) {
	u := throwaway(t)
	userStateDir(t, u)
	lock := filepath.Join(u.StateDir, lockName)
	os.WriteFile(lock, nil, 0o600) // root's
	setCrontab(t, u, "# mine\n")
	_, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if err == nil || !strings.Contains(err.Error(), "belongs to uid 0") {
		t.Errorf("error %v, want a refusal of root's lock file", err)
	}
	ownedBy(t, lock, 0)
}

// The user swaps their state directory for a symlink to a directory of
// root's, over and over, while root installs. Every component is opened
// with O_NOFOLLOW from its parent's descriptor, so no lock or backup may
// ever appear behind the link, whatever the timing.
func TestRealStateDirSwapRace(t *testing.T) {
	u := throwaway(t)
	userStateDir(t, u)
	elsewhere := t.TempDir() // root's
	state := u.StateDir
	real := state + ".real"
	o := homefs.Owner{UID: u.UID, GID: u.GID, Home: u.Home}

	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		link := state + ".link"
		for !stop.Load() {
			// state is a real directory, then a symlink, then real again.
			os.Symlink(elsewhere, link)
			os.Rename(state, real)
			os.Rename(link, state)
			os.Remove(state)
			os.Rename(real, state)
		}
	}()
	refused := 0
	for i := 0; i < 300; i++ {
		d, err := makeDir(state, o)
		if err != nil {
			refused++
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if f, err := lockState(ctx, d); err == nil {
			f.Close()
		}
		cancel()
		saveBackup(d, o, "# backup\n", time.Now(), 1000)
		d.Close()
	}
	stop.Store(true)
	wg.Wait()
	entries, _ := os.ReadDir(elsewhere)
	if len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("root created %v behind the user's symlink", names)
	}
	t.Logf("%d of 300 runs refused a symlink", refused)
}

// Runs with and without XDG_STATE_HOME, and root's --user runs, keep
// their backups in different state directories, but they must take one
// lock: the account's.
func TestRealOneLockPerAccount(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, "# mine\n")
	xdg := u
	xdg.StateDir = filepath.Join(u.Home, "xdg", "mkdaemon")
	if NewInstaller(u, 0).LockDir != NewInstaller(xdg, 0).LockDir {
		t.Fatalf("lock directories %s and %s differ", NewInstaller(u, 0).LockDir, NewInstaller(xdg, 0).LockDir)
	}

	// One run holds the lock; another with another state directory must
	// wait for it.
	in := NewInstaller(u, 0)
	d, err := makeDir(in.LockDir, in.owner())
	if err != nil {
		t.Fatal(err)
	}
	held, err := lockState(context.Background(), d)
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	other := NewInstaller(xdg, 0)
	other.LockWait = 300 * time.Millisecond
	_, err = other.Install(context.Background(), "bot", []string{"@daily /bin/true"})
	var le *LockError
	if !errors.As(err, &le) {
		t.Errorf("with the lock held, an install with another state directory returned %v, want a *LockError", err)
	}
	held.Close()

	// And so twenty at once, half of them each way, lose nothing.
	const n = 20
	installAtOnce(t, n, func(i int) error {
		target := u
		if i%2 == 1 {
			target = xdg
		}
		_, err := NewInstaller(target, 0).Install(context.Background(), fmt.Sprintf("bot%02d", i), []string{"@hourly /bin/true"})
		return err
	})
	blocks, err := Blocks(listing(t, u))
	if err != nil || len(blocks) != n {
		t.Errorf("%d blocks (%v), want %d", len(blocks), err, n)
	}
}

// LockDir depends on the account alone, not on the $HOME the caller gave.
func TestLockDirIgnoresHome(t *testing.T) {
	a := Target{UID: os.Getuid(), Home: "/somewhere/else", Current: true}
	b := Target{UID: os.Getuid(), Home: "/another/home", Current: true}
	if a.LockDir() != b.LockDir() || strings.HasPrefix(a.LockDir(), "/somewhere") {
		t.Errorf("LockDir %s and %s", a.LockDir(), b.LockDir())
	}
}

// editTab is the real crontab with an edit by someone else (`crontab -e`)
// saved right after mkdaemon's first read.
type editTab struct {
	Tab
	once sync.Once
	edit func()
}

func (e *editTab) Read(ctx context.Context) (string, error) {
	text, err := e.Tab.Read(ctx)
	e.once.Do(e.edit)
	return text, err
}

func TestRealOutsideEditIsNotLost(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, "# mine\n")
	in := NewInstaller(u, 0)
	in.Tab = &editTab{Tab: in.Tab, edit: func() {
		cmd := exec.Command("crontab", "-u", u.User, "-")
		cmd.Stdin = strings.NewReader("# mine\n# edited meanwhile\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the outside edit failed: %v\n%s", err, out)
		}
	}}
	_, err := in.Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if !errors.Is(err, ErrConflict) {
		t.Errorf("error %v, want ErrConflict", err)
	}
	if got := listing(t, u); got != "# mine\n# edited meanwhile\n" {
		t.Errorf("crontab now\n%s\nwant the outside edit, untouched", got)
	}
}

// A crontab saved with CRLF line ends (edited on Windows): Debian's
// crontab -l lists each CR as `\r`. An install must keep those lines byte
// for byte, and a CRLF environment line must not make it fail.
func TestRealCRLFCrontab(t *testing.T) {
	u := throwaway(t)
	crlf := "MAILTO=\"\"\r\n# notes from Windows\r\n@daily /bin/true\r\n"
	setCrontab(t, u, crlf)
	if _, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@hourly /bin/true"}); err != nil {
		t.Fatal(err)
	}
	spool, err := os.ReadFile(filepath.Join(crontest.SpoolDir, u.User))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spool), crlf+block("bot", "@hourly /bin/true")) {
		t.Errorf("spool file now\n%q\nwant the CRLF lines kept, then the block", spool)
	}
}

// A BEGIN and END saved with CRLF still mark the same block: an install
// replaces it instead of adding a second block of that name.
func TestRealCRLFMarkers(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, "# mine\r\n# BEGIN mkdaemon bot\r\n@daily /bin/true\r\n# END mkdaemon bot\r\n")
	res, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@hourly /bin/true"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != Updated {
		t.Errorf("action %s, want updated", res.Action)
	}
	want := "# mine\\r\n" + block("bot", "@hourly /bin/true")
	if got := listing(t, u); got != want {
		t.Errorf("crontab now\n%q\nwant\n%q", got, want)
	}
}

func TestRestoreCR(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"a\\r\nb\n":                     "a\r\nb\n",
		"printf 'x\\r\\n'\n":            "printf 'x\\r\\n'\n",
		"mid\\rdle\\r\nlast\\r":         "mid\\rdle\r\nlast\r",
		"MAILTO=\"\"\\r\n* * * * * x\n": "MAILTO=\"\"\r\n* * * * * x\n",
	} {
		if got := RestoreCR(in); got != want {
			t.Errorf("RestoreCR(%q) = %q, want %q", in, got, want)
		}
	}
}
