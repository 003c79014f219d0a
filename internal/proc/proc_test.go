package proc

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStatCommWithParens(t *testing.T) {
	p, err := parseStat([]byte("4242 (a (b) c) S 1 4242 4242 0 -1 4194560 ...\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.PID != 4242 || p.Comm != "a (b) c" || p.State != 'S' || p.PPID != 1 || p.Session != 4242 || p.TTY != 0 {
		t.Errorf("parseStat = %+v", p)
	}
	if !p.SessionLeader() || p.Zombie() {
		t.Errorf("session leader/zombie wrong for %+v", p)
	}
}

func TestStatSelf(t *testing.T) {
	p, err := Stat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if p.PPID != os.Getppid() || p.UID != os.Getuid() || !strings.HasPrefix(filepath.Base(os.Args[0]), p.Comm) {
		t.Errorf("Stat(self) = %+v", p)
	}
	if _, err := Stat(1 << 30); !errors.Is(err, ErrNoProcess) {
		t.Errorf("Stat(no such pid) error = %v", err)
	}
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	sleep := exec.Command("sleep", "30")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	defer sleep.Wait()
	defer sleep.Process.Kill()
	live := sleep.Process.Pid

	done := exec.Command("true")
	done.Run()
	dead := done.Process.Pid

	tests := []struct {
		pidfile, name string
		want          DaemonState
	}{
		{filepath.Join(dir, "missing.pid"), "sleep", DaemonState{State: Stopped}},
		{write("running.pid", itoa(live)+"\n"), "sleep", DaemonState{State: Running, PID: live}},
		{write("foreign.pid", itoa(live)), "mybot.py", DaemonState{State: Stale, PID: live, Reason: `PID ` + itoa(live) + ` is "sleep", not "mybot.py" (PID reused)`}},
		{write("dead.pid", itoa(dead)), "true", DaemonState{State: Stale, PID: dead, Reason: "PID " + itoa(dead) + " is not running"}},
		{write("empty.pid", ""), "x", DaemonState{State: Stale, Reason: filepath.Join(dir, "empty.pid") + ": pidfile does not hold a PID (it is empty)"}},
	}
	junk := write("junk.pid", "abc")
	if os.Geteuid() != 0 {
		tests = append(tests, struct {
			pidfile, name string
			want          DaemonState
		}{junk, "x", DaemonState{State: Stale, Reason: junk + `: pidfile does not hold a PID (it holds "abc")`}})
	}
	for _, tt := range tests {
		if got := Inspect(tt.pidfile, tt.name); got != tt.want {
			t.Errorf("Inspect(%s, %s) = %+v, want %+v", filepath.Base(tt.pidfile), tt.name, got, tt.want)
		}
	}
}

// TestUnmatchableMatchesKernel: the Name: line start-stop-daemon reads
// shows a backslash doubled, so such a name can never be matched.
func TestUnmatchableMatchesKernel(t *testing.T) {
	p := filepath.Join(t.TempDir(), `a\b.sh`)
	if err := os.WriteFile(p, []byte("#!/bin/sh\nsleep 5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(p)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	var line string
	for i := 0; i < 200; i++ {
		if line, _ = Status(cmd.Process.Pid, "Name"); line != "" && strings.Contains(line, "b.sh") {
			break
		}
		sleepMs(5)
	}
	if line != `a\\b.sh` {
		t.Fatalf("Name: line %q, want the backslash doubled", line)
	}
	if !Unmatchable(`a\b.sh`) || Unmatchable("bot.py") {
		t.Errorf("Unmatchable disagrees with the kernel")
	}
}
