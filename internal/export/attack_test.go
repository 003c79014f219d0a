package export

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/homefs"
)

// Root exports for a user (--user) into the user's home, where the user
// has planted symlinks to root's files and directories. Nothing of root's
// may be written, merged into or handed over.
func TestWriteForAnotherAccountFollowsNoSymlink(t *testing.T) {
	u := crontest.NewUser(t)
	o := homefs.Owner{UID: u.UID, GID: u.GID, Home: u.Home}
	rootDir := t.TempDir()
	rootYAML := filepath.Join(rootDir, "jobs.yaml")
	const rootContent = "# root's\n- name: other\n  command: x\n  image: bookworm\n"
	os.WriteFile(rootYAML, []byte(rootContent), 0o600)
	rootUnit := filepath.Join(rootDir, "bot.service")
	os.WriteFile(rootUnit, []byte("root's unit\n"), 0o600)

	asUser := func(path string) {
		if err := os.Lchown(path, u.UID, u.GID); err != nil {
			t.Fatal(err)
		}
	}
	// A symlinked directory, and symlinks as the files themselves.
	linkDir := filepath.Join(u.Home, "out")
	os.Symlink(rootDir, linkDir)
	asUser(linkDir)
	linkYAML := filepath.Join(u.Home, "jobs.yaml")
	os.Symlink(rootYAML, linkYAML)
	asUser(linkYAML)
	linkUnit := filepath.Join(u.Home, "bot.service")
	os.Symlink(rootUnit, linkUnit)
	asUser(linkUnit)

	tf := renderFor(t, FormatToolforge, Options{})
	sd := renderFor(t, FormatSystemd, Options{})
	for _, c := range []struct {
		r     Result
		path  string
		force bool
	}{
		{tf, filepath.Join(linkDir, "jobs.yaml"), false},
		{tf, linkYAML, false},
		{sd, filepath.Join(linkDir, "bot.service"), true},
		{sd, linkUnit, true},
	} {
		if _, err := c.r.WriteFor(c.path, c.force, o); err == nil {
			t.Errorf("WriteFor(%s) wrote through the user's symlink", c.path)
		}
	}
	if b, _ := os.ReadFile(rootYAML); string(b) != rootContent {
		t.Errorf("root's jobs.yaml now holds\n%s", b)
	}
	if b, _ := os.ReadFile(rootUnit); string(b) != "root's unit\n" {
		t.Errorf("root's unit now holds\n%s", b)
	}
	if names := dirEntries(t, rootDir); len(names) != 2 {
		t.Errorf("root's directory now holds %v", names)
	}

	// A jobs.yaml of root's in the user's home is not merged (its content
	// would reach the user) and not replaced.
	rootInHome := filepath.Join(u.Home, "root.yaml")
	os.WriteFile(rootInHome, []byte(rootContent), 0o600)
	if _, err := tf.WriteFor(rootInHome, false, o); err == nil {
		t.Error("merged into a jobs.yaml of root's")
	}

	// Where everything is the user's, the files are written and belong
	// to the user.
	dir := filepath.Join(u.Home, "jobs")
	os.Mkdir(dir, 0o755)
	asUser(dir)
	for _, p := range []struct {
		r    Result
		name string
	}{{tf, "jobs.yaml"}, {sd, "bot.service"}} {
		path := filepath.Join(dir, p.name)
		if _, err := p.r.WriteFor(path, false, o); err != nil {
			t.Fatal(err)
		}
		var st syscall.Stat_t
		if err := syscall.Stat(path, &st); err != nil || int(st.Uid) != u.UID {
			t.Errorf("%s belongs to uid %d (%v), want %d", path, st.Uid, err, u.UID)
		}
	}
	if _, err := tf.WriteFor(filepath.Join(dir, "jobs.yaml"), false, o); err != nil {
		t.Errorf("merging into the user's own jobs.yaml: %v", err)
	}
}
