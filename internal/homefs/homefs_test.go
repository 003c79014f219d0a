package homefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
)

func owned(t *testing.T, path string) int {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		t.Fatal(err)
	}
	return int(st.Uid)
}

// For another account a symlink anywhere below the home is refused, every
// time, whether it points at a directory of root's or of the account's.
func TestSymlinkedComponentRefused(t *testing.T) {
	u := crontest.NewUser(t)
	o := Owner{UID: u.UID, GID: u.GID, Home: u.Home}
	target := t.TempDir()
	own := filepath.Join(u.Home, "real")
	os.Mkdir(own, 0o755)
	os.Chown(own, u.UID, u.GID)
	for _, to := range []string{target, own} {
		link := filepath.Join(u.Home, "link")
		os.Remove(link)
		os.Symlink(to, link)
		os.Lchown(link, u.UID, u.GID)
		for _, p := range []string{link, filepath.Join(link, "a"), filepath.Join(link, "a", "b")} {
			for i := 0; i < 50; i++ {
				d, _, err := o.MkdirAll(p, 0o700)
				var he *Error
				if !errors.As(err, &he) {
					if d != nil {
						d.Close()
					}
					t.Fatalf("MkdirAll(%s -> %s) = %v, want a refusal", p, to, err)
				}
			}
		}
	}
	if es, _ := os.ReadDir(target); len(es) != 0 {
		t.Errorf("created %v behind the symlink", es)
	}
}

// A directory of a third account on the way is refused; root's is not.
func TestThirdAccountsDirectoryRefused(t *testing.T) {
	u := crontest.NewUser(t)
	o := Owner{UID: u.UID, GID: u.GID, Home: u.Home}
	other := filepath.Join(u.Home, "other")
	os.Mkdir(other, 0o777)
	os.Chown(other, u.UID+1, u.GID+1)
	if _, _, err := o.MkdirAll(filepath.Join(other, "x"), 0o700); err == nil {
		t.Error("walked into a third account's directory")
	}
	rootDir := filepath.Join(u.Home, "root")
	os.Mkdir(rootDir, 0o755)
	d, created, err := o.MkdirAll(filepath.Join(rootDir, "x"), 0o700)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if len(created) != 1 || owned(t, created[0]) != u.UID {
		t.Errorf("created %v, not the account's", created)
	}
}

// An existing file is opened for another account only when it is the
// account's own regular file with one link, and Create gives away only what
// it made.
func TestOpenRefusesLinksAndStrangers(t *testing.T) {
	u := crontest.NewUser(t)
	o := Owner{UID: u.UID, GID: u.GID, Home: u.Home}
	d, _, err := o.MkdirAll(u.Home, 0o700)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, nil, 0o600)
	os.Link(victim, filepath.Join(u.Home, "hard"))
	os.Symlink(victim, filepath.Join(u.Home, "soft"))
	os.WriteFile(filepath.Join(u.Home, "roots"), nil, 0o600)
	fifo := filepath.Join(u.Home, "fifo")
	syscall.Mkfifo(fifo, 0o600)
	os.Chown(fifo, u.UID, u.GID)
	for _, name := range []string{"hard", "soft", "roots", "fifo"} {
		if f, err := d.Open(name, os.O_RDWR); err == nil {
			f.Close()
			t.Errorf("Open(%s) accepted it", name)
		}
	}
	if owned(t, victim) != 0 {
		t.Error("root's file was given away")
	}
	f, err := d.Create("new", os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if owned(t, filepath.Join(u.Home, "new")) != u.UID {
		t.Error("a created file does not belong to the account")
	}
	if _, err := d.Create("new", os.O_RDWR, 0o600); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Create(existing) = %v, want ErrExist", err)
	}
	if f, err := d.Open("new", os.O_RDWR); err != nil {
		t.Errorf("Open(the account's own file) = %v", err)
	} else {
		f.Close()
	}
}

// WriteAtomic without replace never clobbers, and leaves no temporary
// file; with replace it replaces a symlink itself, not what it points at.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	d, err := Self.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.WriteAtomic("f", []byte("one"), 0o640, false); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteAtomic("f", []byte("two"), 0o640, false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteAtomic(existing, no replace) = %v, want ErrExist", err)
	}
	other := filepath.Join(t.TempDir(), "other")
	os.WriteFile(other, []byte("other"), 0o600)
	os.Symlink(other, filepath.Join(dir, "link"))
	if err := d.WriteAtomic("link", []byte("three"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(other); string(b) != "other" {
		t.Errorf("wrote through the symlink: %q", b)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "f")); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if names, _ := d.Names(); len(names) != 2 {
		t.Errorf("names %v, want f and link only", names)
	}
}
