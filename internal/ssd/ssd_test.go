package ssd

import (
	"os"
	"path/filepath"
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
