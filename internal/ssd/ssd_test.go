package ssd

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestLookupFindsSbinOutsidePATH(t *testing.T) {
	got, err := Lookup("/usr/bin:/bin") // cron's PATH
	if err != nil || got != "/usr/sbin/start-stop-daemon" {
		t.Errorf("Lookup(cron's PATH) = %q, %v", got, err)
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "start-stop-daemon")
	os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755)
	if got, _ := Lookup(dir + ":/usr/bin"); got != fake {
		t.Errorf("PATH comes first: got %q, want %q", got, fake)
	}
	t.Chdir(dir)
	if got, _ := Lookup(".:/usr/bin"); got != "/usr/sbin/start-stop-daemon" {
		t.Errorf("a relative PATH entry was used: %q", got)
	}
}

func TestArgvModes(t *testing.T) {
	s := spec.Spec{Program: "/b/bot", Name: "bot", Pidfile: "/p/bot.pid", Mode: spec.ModeSelf}
	want := "/s --start --quiet --oknodo --pidfile /p/bot.pid --name bot --startas /b/bot"
	if got := strings.Join(Argv("/s", s), " "); got != want {
		t.Errorf("self:\n got %s\nwant %s", got, want)
	}
	s.Mode, s.Log, s.Chdir, s.Args = spec.ModeBackground, "/l/bot.log", "/w", []string{"--x", "--"}
	want = "/s --start --quiet --oknodo --pidfile /p/bot.pid --name bot --background --make-pidfile --output /l/bot.log --chdir /w --startas /b/bot -- --x --"
	if got := strings.Join(Argv("/s", s), " "); got != want {
		t.Errorf("background:\n got %s\nwant %s", got, want)
	}
}

// TestTestArgvAsksTheRealTool runs the dry-run form through the real
// start-stop-daemon: it must only say what it would do.
func TestTestArgvAsksTheRealTool(t *testing.T) {
	dir := t.TempDir()
	s := spec.Spec{Program: "/bin/sleep", Name: "sleep", Pidfile: filepath.Join(dir, "x.pid"), Mode: spec.ModeBackground,
		Args: []string{"--quiet", "600"}}
	argv := TestArgv(Argv("/usr/sbin/start-stop-daemon", s))
	if !reflect.DeepEqual(argv[len(argv)-3:], []string{"--", "--quiet", "600"}) {
		t.Errorf("the program's own arguments changed: %q", argv)
	}
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Would start /bin/sleep") {
		t.Errorf("%q: %v\n%s", argv, err, out)
	}
	if _, err := os.Stat(s.Pidfile); err == nil {
		t.Errorf("the dry run wrote the pidfile")
	}
}
