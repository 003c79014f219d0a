package scaffold

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// awkward holds what a name or path may contain that is special in one of
// the four languages or in a shell.
const awkward = `it's "q" \ \\ \' $HOME ${x} @a %s {{.Name}} ?> <?php #c //c é`

// TestQuotingRoundTrips hands each language's literal to the language itself
// and checks that it reads back the original value.
func TestQuotingRoundTrips(t *testing.T) {
	for _, v := range []string{awkward, "", `\`, `'`, `\'`, `a\`, `'\''`} {
		lit, err := perlString(v)
		if err != nil {
			t.Fatal(err)
		}
		run(t, v, "perl", "-e", "print "+lit)

		lit, err = phpString(v)
		if err != nil {
			t.Fatal(err)
		}
		run(t, v, "php", "-r", "echo "+lit+";")

		lit, err = pyString(v)
		if err != nil {
			t.Fatal(err)
		}
		run(t, v, "/usr/bin/python3", "-c", "import sys; sys.stdout.write("+lit+")")

		lit, err = goString(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := strconv.Unquote(lit); err != nil || got != v {
			t.Errorf("Go literal %s reads back as %q (%v), want %q", lit, got, err, v)
		}
	}
}

func run(t *testing.T, want string, argv ...string) {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil {
		t.Fatalf("%q: %v", argv, err)
	}
	if string(out) != want {
		t.Errorf("%s reads %s back as %q, want %q", argv[0], argv[len(argv)-1], out, want)
	}
}

func TestQuotingRefusesControlCharacters(t *testing.T) {
	for _, v := range []string{"a\x00b", "a\nb", "a\rb", "tab\there", "del\x7f", "c1\u0085", "bad\xffutf8"} {
		for name, quote := range map[string]func(string) (string, error){
			"go": goString, "perl": perlString, "php": phpString, "python": pyString,
		} {
			lit, err := quote(v)
			var ie *spec.Error
			if !errors.As(err, &ie) {
				t.Errorf("%s quoting %q = %s, %v; want a *spec.Error", name, v, lit, err)
			}
		}
	}
}

func params(lang Lang, dir string) Params {
	prog := map[Lang]string{Go: "gobot/gobot", Perl: "bot.pl", PHP: "bot.php", Python: "bot.py"}[lang]
	return Params{
		Lang:    lang,
		Program: filepath.Join(dir, prog),
		Pidfile: filepath.Join(dir, "bot.pid"),
		Log:     filepath.Join(dir, "bot.log"),
	}
}

func TestRenderMarksEverySkeleton(t *testing.T) {
	shebang := map[Lang]string{Perl: "#!/usr/bin/perl\n", PHP: "#!/usr/bin/php\n", Python: "#!/usr/bin/python3\n"}
	for _, lang := range Langs {
		files, err := Render(params(lang, "/srv/bots"))
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		main := files[0]
		if !bytes.HasPrefix(main.Data, []byte(shebang[lang])) {
			t.Errorf("%s: %s starts with %.30q, want the absolute shebang %q", lang, main.Path, main.Data, shebang[lang])
		}
		// Near the top, where a reader (and a quick scan) finds it.
		head := strings.Join(strings.SplitN(string(main.Data), "\n", 5)[:4], "\n")
		if !strings.Contains(head, spec.SkeletonMarker) {
			t.Errorf("%s: no %s in the first lines of %s:\n%s", lang, spec.SkeletonMarker, main.Path, head)
		}
		wantMode := os.FileMode(0o755)
		if lang == Go {
			wantMode = 0o644
		}
		if main.Mode != wantMode {
			t.Errorf("%s: mode %v, want %v", lang, main.Mode, wantMode)
		}
	}
}

func TestRenderDefaults(t *testing.T) {
	p := params(Python, "/srv/bots")
	files, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	src := string(files[0].Data)
	for _, want := range []string{
		"NAME = 'bot.py'",
		"STATE = '/srv/bots/bot.state'",
		"EVERY = 60  # seconds\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("rendered skeleton lacks %q", want)
		}
	}
	p.Interval = 1500 * time.Millisecond
	p.Log = ""
	files, _ = Render(p)
	src = string(files[0].Data)
	for _, want := range []string{"EVERY = 1.5  # seconds\n", "LOG = ''\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("rendered skeleton lacks %q", want)
		}
	}
}

func TestRenderGoModule(t *testing.T) {
	p := params(Go, "/srv")
	p.Program = "/srv/my bot/" + `a'b"c$ d`
	files, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if files[1].Path != "/srv/my bot/go.mod" || !strings.Contains(string(files[1].Data), "\nmodule abcd\n") {
		t.Errorf("go.mod at %s:\n%s", files[1].Path, files[1].Data)
	}
}

func TestRenderRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*Params)
	}{
		{"--pidfile", func(p *Params) { p.Pidfile = "/tmp/a\nb.pid" }},
		{"--log", func(p *Params) { p.Log = "/tmp/a\x00b.log" }},
		{"--state", func(p *Params) { p.State = "/tmp/\rx" }},
		{"--out", func(p *Params) { p.Program = "/tmp/bo\nt.py" }},
		{"--pidfile", func(p *Params) { p.Pidfile = "relative.pid" }},
		{"--log", func(p *Params) { p.Log = "bot.log" }},
		{"--out", func(p *Params) { p.Program = "bot.py" }},
		{"--name", func(p *Params) { p.Name = "python3" }},
		{"--name", func(p *Params) { p.Program = `/tmp/a\b.py` }},
		{"--lang", func(p *Params) { p.Lang = "ruby" }},
		{"--every", func(p *Params) { p.Interval = -time.Second }},
	} {
		p := params(Python, "/tmp")
		tc.edit(&p)
		_, err := Render(p)
		var ie *spec.Error
		if !errors.As(err, &ie) || ie.Flag != tc.field {
			t.Errorf("Render(%+v) = %v; want a *spec.Error about %s", p, err, tc.field)
		}
	}
}

func TestRenderNameIsTheKernelsName(t *testing.T) {
	p := params(Python, "/tmp")
	p.Program = "/tmp/a-very-long-bot-name.py"
	if _, err := Render(p); err != nil {
		t.Fatal(err)
	}
	p.Name = "a-very-long-bot" // the first 15 bytes: what start-stop-daemon --name sees
	if _, err := Render(p); err != nil {
		t.Fatalf("name %q: %v", p.Name, err)
	}
	p.Name = "a-very-long-bot-name.py"
	if _, err := Render(p); err == nil {
		t.Fatalf("name %q (longer than 15 bytes) accepted", p.Name)
	}
}

func TestWriteNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	p := params(Go, dir)
	files, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	// go.mod is there already; main.go is not.
	gomod := filepath.Join(dir, "gobot", "go.mod")
	os.MkdirAll(filepath.Dir(gomod), 0o755)
	os.WriteFile(gomod, []byte("mine\n"), 0o600)

	_, err = Write(files, false)
	var ie *spec.Error
	if !errors.As(err, &ie) || ie.Value != gomod {
		t.Fatalf("Write over an existing go.mod = %v; want a *spec.Error naming it", err)
	}
	if b, _ := os.ReadFile(gomod); string(b) != "mine\n" {
		t.Errorf("go.mod changed to %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "gobot", "main.go")); err == nil {
		t.Errorf("main.go written although Write failed")
	}

	if _, err := Write(files, true); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f.Path)
		if err != nil || !bytes.Equal(b, f.Data) {
			t.Errorf("%s not written with --force: %v", f.Path, err)
		}
		if fi, _ := os.Stat(f.Path); fi.Mode().Perm() != f.Mode {
			t.Errorf("%s has mode %v, want %v", f.Path, fi.Mode().Perm(), f.Mode)
		}
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "gobot"))
	if len(ents) != 2 {
		t.Errorf("left behind in %s: %v", dir, ents)
	}
}

func TestWriteCreatesExecutableScript(t *testing.T) {
	dir := t.TempDir()
	p := params(Perl, filepath.Join(dir, "new", "folder"))
	res, err := Create(p, false, homefs.Self)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p.Program)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("%s: %v, mode %v; want an executable script", p.Program, err, fi.Mode())
	}
	if len(res.Dirs) != 2 || res.Dirs[0] != filepath.Join(dir, "new") || res.Dirs[1] != filepath.Dir(p.Program) {
		t.Errorf("Create made the directories %q; want new and new/folder", res.Dirs)
	}
	if len(res.Files) != 1 || res.Files[0] != p.Program || res.Params.Name != "bot.pl" {
		t.Errorf("Create = %+v", res)
	}
	if !spec.MadeByScaffold(p.Program) {
		t.Errorf("spec.MadeByScaffold(%s) = false", p.Program)
	}
	if _, err := Create(p, false, homefs.Self); err == nil {
		t.Errorf("second Create without force succeeded")
	}
}
