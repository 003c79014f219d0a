package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the golden scripts run "mkdaemon": the built program,
// found through $MKDAEMON_TEST_BIN (set by TestScripts).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mkdaemon": func() {
			bin := filepath.Join(os.Getenv("MKDAEMON_TEST_BIN"), "mkdaemon")
			err := syscall.Exec(bin, append([]string{bin}, os.Args[1:]...), os.Environ())
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(99)
		},
	})
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds mkdaemon and mkdaemon-full into one directory, as they
// are installed, and returns it.
func binaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "mkdaemon-front-")
		if buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", binDir+"/", ".", "../mkdaemon-full").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// TestScripts runs the whole command line's golden scripts
// (internal/cli/testdata/script) through the built mkdaemon: --print is
// answered by the fast path, everything else by mkdaemon-full, and every
// script must pass unchanged.
func TestScripts(t *testing.T) {
	dir := binaries(t)
	testscript.Run(t, testscript.Params{
		Dir: "../../internal/cli/testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_STATE_HOME", "")
			env.Setenv("PATH", os.Getenv("PATH"))
			env.Setenv("MKDAEMON_TEST_BIN", dir)
			return nil
		},
	})
}

type result struct {
	code           int
	stdout, stderr string
}

// command runs bin in dir, with dir as its HOME.
func command(bin, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_STATE_HOME=")
	return cmd
}

func runBin(t *testing.T, bin, dir string, args ...string) result {
	t.Helper()
	cmd := command(bin, dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// fastHome makes a HOME with programs to print entries for, and a
// directory holding mkdaemon alone, without mkdaemon-full.
func fastHome(t *testing.T) (home, alone string) {
	t.Helper()
	home = t.TempDir()
	files := map[string]string{
		"bots/mybot.py": "#!/usr/bin/python3\n",
		"bots/envbot":   "#!/usr/bin/env python3\n",
		"bots/fg.sh":    "#!/bin/sh\nexec sleep 100\n",
	}
	for name, text := range files {
		p := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	alone = t.TempDir()
	b, err := os.ReadFile(filepath.Join(binaries(t), "mkdaemon"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(alone, "mkdaemon"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return home, alone
}

// TestFastPathPrintsAlone runs mkdaemon without mkdaemon-full beside it:
// every valid --print is answered by mkdaemon itself, byte for byte as
// mkdaemon-full answers it.
func TestFastPathPrintsAlone(t *testing.T) {
	home, alone := fastHome(t)
	full := filepath.Join(binaries(t), "mkdaemon-full")
	cases := [][]string{
		{"--print", "--program", "bots/mybot.py", "--interval", "30m", "--", "--wiki", "en", "it's 100%", "a\\b"},
		{"--print", "--json", "--program", "bots/mybot.py", "--at-boot", "--interval", "@reboot"},
		{"--json", "--print", "--program=~/bots/mybot.py", "--interval=2h", "--name=bot", "--pidfile=bot.pid"},
		{"--print", "--program", "bots/envbot"}, // a warning on stderr
		{"--print", "--json", "--program", "bots/envbot"},
		{"--print", "--background", "--log", "bots/fg.log", "--chdir", "bots", "--program", "bots/fg.sh", "--interval", "0 3 * * 1-5"},
		{"--print", "--program", "bots/mybot.py", "--user", "root", "--interval", "@hourly", "--"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// The next runs shown depend on the minute: run both in one.
			for {
				minute := time.Now().Truncate(time.Minute)
				fast := runBin(t, filepath.Join(alone, "mkdaemon"), home, args...)
				want := runBin(t, full, home, args...)
				if !time.Now().Truncate(time.Minute).Equal(minute) {
					continue
				}
				if fast.code != 0 || fast.stdout == "" {
					t.Fatalf("mkdaemon alone: exit %d\nstdout:\n%s\nstderr:\n%s", fast.code, fast.stdout, fast.stderr)
				}
				if fast != want {
					t.Fatalf("mkdaemon printed\n%+v\nmkdaemon-full printed\n%+v", fast, want)
				}
				return
			}
		})
	}
	if _, err := os.Stat(filepath.Join(home, ".local")); !os.IsNotExist(err) {
		t.Error("--print created ~/.local")
	}
}

// TestHandOver runs mkdaemon without mkdaemon-full beside it on what the
// fast path must leave alone: it writes nothing itself and fails to hand
// over (exit 1, naming mkdaemon-full). With mkdaemon-full beside it, the
// same arguments get mkdaemon-full's own answer and exit status.
func TestHandOver(t *testing.T) {
	home, alone := fastHome(t)
	dir := binaries(t)
	cases := [][]string{
		{"--help"},
		{"list", "--json", "--user", "nobody-such"},
		{"--print"},                                          // no program
		{"--print", "--program", "bots/missing"},             // bad input
		{"--print", "--program", "bots/mybot.py", "oops"},    // a word before --
		{"--print", "--bogus", "--program", "bots/mybot.py"}, // unknown flag
		{"--print", "--yes", "--program", "bots/mybot.py"},
		{"--print", "--dry-run", "--program", "bots/mybot.py"},
		{"--program", "bots/mybot.py", "--dry-run", "--user", "nobody-such"},
		{"export", "--format", "systemd", "--program", "bots/mybot.py"},
		{"--print", "--program", "bots/mybot.py", "--interval", "7m"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			got := runBin(t, filepath.Join(alone, "mkdaemon"), home, args...)
			if got.code != 1 || got.stdout != "" ||
				!strings.Contains(got.stderr, "mkdaemon: error: cannot run "+filepath.Join(alone, "mkdaemon-full")) ||
				!strings.Contains(got.stderr, "mkdaemon: hint: mkdaemon-full is the rest of mkdaemon") {
				t.Fatalf("mkdaemon alone: %+v", got)
			}
			got = runBin(t, filepath.Join(dir, "mkdaemon"), home, args...)
			want := runBin(t, filepath.Join(dir, "mkdaemon-full"), home, args...)
			if got != want {
				t.Fatalf("mkdaemon answered\n%+v\nmkdaemon-full answered\n%+v", got, want)
			}
			if strings.Contains(got.stderr, "cannot run") {
				t.Fatalf("hand-over failed: %+v", got)
			}
		})
	}
}

// BenchmarkPrintEntry is the fast path's own work, in a warm process:
// parsing, resolving, rendering and printing (JSON) one entry.
func BenchmarkPrintEntry(b *testing.B) {
	dir := b.TempDir()
	prog := filepath.Join(dir, "mybot.py")
	if err := os.WriteFile(prog, []byte("#!/usr/bin/python3\n"), 0o755); err != nil {
		b.Fatal(err)
	}
	args := []string{"--print", "--json", "--program", prog, "--interval", "30m", "--", "--wiki", "en"}
	var out, errb bytes.Buffer
	for b.Loop() {
		out.Reset()
		if code, done := printEntry(args, &out, &errb, os.Getenv, time.Now()); !done || code != 0 {
			b.Fatalf("printEntry: done %v, exit %d: %s", done, code, errb.String())
		}
	}
}

// TestFastPathWriteFailure: output that cannot be written is a runtime
// failure (exit 1) that the fast path reports itself, as mkdaemon-full
// does, instead of handing over and printing again.
func TestFastPathWriteFailure(t *testing.T) {
	home, alone := fastHome(t)
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	for _, bin := range []string{filepath.Join(alone, "mkdaemon"), filepath.Join(binaries(t), "mkdaemon-full")} {
		for _, form := range []string{"--json", "--interval=1h"} {
			cmd := command(bin, home, "--print", form, "--program", "bots/mybot.py")
			cmd.Stdout = full
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 1 || !strings.HasPrefix(errb.String(), "mkdaemon: error: write ") ||
				strings.Contains(errb.String(), "cannot run") {
				t.Errorf("%s %s > /dev/full: %v, stderr %q; want exit 1 and the write error", filepath.Base(bin), form, err, errb.String())
			}
		}
	}
}
