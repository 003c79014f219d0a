package ssd

import (
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestArgvModes(t *testing.T) {
	s := spec.Spec{Program: "/b/bot", Name: "bot", Pidfile: "/p/bot.pid", Mode: spec.ModeDaemonizes}
	want := "/s --start --quiet --pidfile /p/bot.pid --name bot --startas /b/bot"
	if got := strings.Join(Argv("/s", s), " "); got != want {
		t.Errorf("self:\n got %s\nwant %s", got, want)
	}
	s.Mode, s.Log, s.Chdir, s.Args = spec.ModeForeground, "/l/bot.log", "/w", []string{"--x", "--"}
	want = "/s --start --quiet --pidfile /p/bot.pid --name bot --background --make-pidfile --output /l/bot.log --chdir /w --startas /b/bot -- --x --"
	if got := strings.Join(Argv("/s", s), " "); got != want {
		t.Errorf("background:\n got %s\nwant %s", got, want)
	}
}
