package entry_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/realtest"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// TestNotify: with --notify, a tick that starts the daemon prints exactly
// one line naming it and the log's last 20 lines (what cron mails), and a
// tick that finds it running prints nothing and exits 1, so no mail.
func TestNotify(t *testing.T) {
	realtest.Need(t)
	home := t.TempDir()
	prog := filepath.Join(home, "quietbot.pl")
	if err := os.WriteFile(prog, []byte("#!/usr/bin/perl\nsleep 1000;\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(home, ".local/state/mkdaemon")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(state, "quietbot.pl.log")
	var old strings.Builder
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&old, "old %d\n", i)
	}
	os.WriteFile(log, []byte(old.String()), 0o644)
	e := build(t, spec.Input{Program: prog, Interval: "* * * * *", Notify: true}, home)
	if e.Log != log {
		t.Fatalf("log %q, want the default %q", e.Log, log)
	}
	command := cronCommand(t, e)
	t.Cleanup(func() {
		for _, pid := range instances(t, "quietbot.pl") {
			kill(t, pid, syscall.SIGKILL)
		}
	})
	run := func() (string, int) {
		cmd := exec.Command("/usr/bin/env", "-i", "HOME="+home, "LOGNAME=root", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", "/bin/sh", "-c", command)
		cmd.Dir = home
		out, _ := cmd.CombinedOutput()
		reapOrphans()
		return string(out), cmd.ProcessState.ExitCode()
	}
	out, code := run()
	var want strings.Builder
	want.WriteString(entry.NotifyMessage("quietbot.pl", log) + "\n")
	for i := 6; i <= 25; i++ {
		fmt.Fprintf(&want, "old %d\n", i)
	}
	if code != 0 || out != want.String() {
		t.Errorf("a tick that started it: exit %d, printed:\n%s\nwant:\n%s", code, out, want.String())
	}
	waitRunning(t, filepath.Join(state, "quietbot.pl.pid"), "quietbot.pl")
	if out, code := run(); code != 1 || out != "" {
		t.Errorf("a tick that found it running: exit %d, printed %q; want 1 and nothing", code, out)
	}
}
