package export

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func renderFor(t *testing.T, f Format, o Options) Result {
	t.Helper()
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot.py", "#!/usr/bin/python3\n")
	r, err := Render(f, spec.Spec{Program: prog, Name: "bot.py", Pidfile: filepath.Join(dir, "bot.pid"), Mode: spec.ModeForeground}, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// dirEntries lists a directory, to show that a failed write left nothing
// behind (no temporary file either).
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func wantSpecError(t *testing.T, err error, flag, msg string) {
	t.Helper()
	var se *spec.Error
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *spec.Error", err)
	}
	if se.Flag != flag || !strings.Contains(se.Error(), msg) {
		t.Errorf("got %q (flag %q), want %s and %q", se.Error(), se.Flag, flag, msg)
	}
}

func TestWriteUnit(t *testing.T) {
	r := renderFor(t, FormatSystemd, Options{})
	dir := t.TempDir()
	out := filepath.Join(dir, "bot.py.service")

	got, err := r.Write(out, false)
	if err != nil || got != out {
		t.Fatalf("Write = %q, %v", got, err)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b) != string(r.Content) {
		t.Fatalf("file holds %q, %v", b, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}

	// An existing unit is not replaced without force.
	if err := os.WriteFile(out, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = r.Write(out, false)
	wantSpecError(t, err, "--out", "already exists")
	if b, _ := os.ReadFile(out); string(b) != "# mine\n" {
		t.Errorf("the existing unit was changed to %q", b)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("left behind: %q", names)
	}

	// With force it is, atomically.
	if _, err := r.Write(out, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != string(r.Content) {
		t.Errorf("force did not replace the unit: %q", b)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("left behind: %q", names)
	}
}

func TestWriteRefusesBadOut(t *testing.T) {
	for _, f := range Formats {
		r := renderFor(t, f, Options{})
		dir := t.TempDir()
		_, err := r.Write(dir, true)
		wantSpecError(t, err, "--out", "is a directory")
		_, err = r.Write(filepath.Join(dir, "missing", "x"), true)
		wantSpecError(t, err, "--out", "does not exist")
		if names := dirEntries(t, dir); len(names) != 0 {
			t.Errorf("%s: left behind %q", f, names)
		}
	}
}

func TestWriteMergesJobsYAML(t *testing.T) {
	r := renderFor(t, FormatToolforge, Options{})
	dir := t.TempDir()
	out := filepath.Join(dir, "jobs.yaml")

	// A new file holds the job alone.
	if _, err := r.Write(out, false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != string(r.Content) {
		t.Fatalf("new jobs.yaml holds %q", b)
	}

	// An existing one is merged, and keeps its mode; a symlink stays one.
	real := filepath.Join(dir, "real-jobs.yaml")
	old := "# my jobs\n- name: other  # keep me\n  command: x\n  image: bookworm\n"
	if err := os.WriteFile(real, []byte(old), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("real-jobs.yaml", link); err != nil {
		t.Fatal(err)
	}
	got, err := r.Write(link, false)
	if err != nil || got != real {
		t.Fatalf("Write = %q, %v; want %s", got, err, real)
	}
	b, _ := os.ReadFile(real)
	if string(b) != old+string(r.Content) {
		t.Errorf("merged file:\n%s", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}

	// A file MergeJobs refuses is bad input and stays as it was.
	bad := "- name: a\n- name: a\n"
	if err := os.WriteFile(out, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = r.Write(out, true)
	wantSpecError(t, err, "--out", "second job named a")
	if b, _ := os.ReadFile(out); string(b) != bad {
		t.Errorf("a refused file was changed to %q", b)
	}
	if names := dirEntries(t, dir); len(names) != 3 {
		t.Errorf("left behind: %q", names)
	}
}

func TestRenderAndInstructions(t *testing.T) {
	if _, err := ParseFormat("docker"); err == nil {
		t.Error("ParseFormat accepts docker")
	}
	if _, err := ParseFormat(""); err == nil {
		t.Error("ParseFormat accepts nothing")
	}
	u := renderFor(t, FormatSystemd, Options{})
	if u.Name != "bot.py" || !strings.Contains(string(u.Content), "[Service]") {
		t.Errorf("systemd result %q: %s", u.Name, u.Content)
	}
	if in := u.Instructions(""); !strings.Contains(in, "systemctl --user enable --now bot.py.service") {
		t.Errorf("instructions: %s", in)
	}
	j := renderFor(t, FormatToolforge, Options{Toolforge: ToolforgeOptions{JobName: "wikibot", Image: "python3.13"}})
	if j.Name != "wikibot" || j.Job.Image != "python3.13" || !strings.HasPrefix(string(j.Content), "- name: wikibot\n") {
		t.Errorf("toolforge result %q: %s", j.Name, j.Content)
	}
	if in := j.Instructions("/data/project/t/jobs.yaml"); !strings.Contains(in, "toolforge jobs load /data/project/t/jobs.yaml") {
		t.Errorf("instructions: %s", in)
	}
}

// A file that appears between the check and the write is not clobbered:
// the temporary file is linked into place, which fails when the name is
// taken.
func TestWriteAtomicNoClobber(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "u.service")
	if err := os.WriteFile(p, []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := homefs.Self.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.WriteAtomic("u.service", []byte("ours"), 0o644, false); !errors.Is(err, os.ErrExist) {
		t.Fatalf("WriteAtomic = %v, want ErrExist", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "theirs" {
		t.Errorf("clobbered: %q", b)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("left behind: %q", names)
	}
}
