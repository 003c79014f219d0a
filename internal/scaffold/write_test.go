package scaffold

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/homefs"
)

// Root scaffolds for a user (--user) into the user's home, where the user
// has planted a symlink to a directory of root's. No skeleton may land
// there, with or without --force.
func TestWriteForAnotherAccountFollowsNoSymlink(t *testing.T) {
	u := crontest.NewUser(t)
	o := homefs.Owner{UID: u.UID, GID: u.GID, Home: u.Home}
	rootDir := t.TempDir()
	link := filepath.Join(u.Home, "bots")
	os.Symlink(rootDir, link)
	os.Lchown(link, u.UID, u.GID)
	fileLink := filepath.Join(u.Home, "bot.py")
	os.Symlink(filepath.Join(rootDir, "bot.py"), fileLink)
	os.Lchown(fileLink, u.UID, u.GID)

	for _, c := range []struct {
		path  string
		force bool
	}{
		{filepath.Join(link, "bot.py"), false},
		{filepath.Join(link, "bot.py"), true},
		{filepath.Join(link, "new", "bot.py"), false},
		{fileLink, false},
	} {
		if _, err := WriteFor([]File{{Path: c.path, Data: []byte("#!/usr/bin/python3\n"), Mode: 0o755}}, c.force, o); err == nil {
			t.Errorf("WriteFor(%s, force %v) wrote through the user's symlink", c.path, c.force)
		}
	}
	if names, _ := os.ReadDir(rootDir); len(names) != 0 {
		t.Errorf("root's directory now holds %v", names)
	}

	// --force replaces a symlink at the file's own name with the file,
	// never writing through it.
	if _, err := WriteFor([]File{{Path: fileLink, Data: []byte("mine\n"), Mode: 0o755}}, true, o); err != nil {
		t.Fatal(err)
	}
	if names, _ := os.ReadDir(rootDir); len(names) != 0 {
		t.Errorf("root's directory now holds %v", names)
	}

	// In the user's own directories, what is created is the user's.
	path := filepath.Join(u.Home, "a", "b", "bot.py")
	created, err := WriteFor([]File{{Path: path, Data: []byte("x\n"), Mode: 0o755}}, false, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 2 || created[0] != filepath.Join(u.Home, "a") {
		t.Errorf("created %v", created)
	}
	for _, p := range append(created, path) {
		var st syscall.Stat_t
		if err := syscall.Lstat(p, &st); err != nil || int(st.Uid) != u.UID {
			t.Errorf("%s belongs to uid %d (%v), want %d", p, st.Uid, err, u.UID)
		}
	}
}
