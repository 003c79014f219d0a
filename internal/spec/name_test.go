package spec

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

func TestExpectedName(t *testing.T) {
	tests := []struct {
		program, firstLine string
		want               ExpectedName
	}{
		{"/b/bot.py", "#!/usr/bin/python3\n", ExpectedName{Name: "bot.py"}},
		{"/b/a-very-long-bot-name.py", "#!/usr/bin/python3\n", ExpectedName{Name: "a-very-long-bot", Cut: true}},
		{"/b/envbot.py", "#!/usr/bin/env python3\n", ExpectedName{Name: "python3", Interpreter: "python3"}},
		{"/b/envS.pl", "#!/usr/bin/env -S perl -w\n", ExpectedName{Name: "perl", Interpreter: "perl"}},
		{"/b/envI", "#!/usr/bin/env -i A=1 node\n", ExpectedName{Name: "node", Interpreter: "node"}},
		{"/b/binary", "\x7fELF...", ExpectedName{Name: "binary"}},
		{"/b/missing", "", ExpectedName{Name: "missing"}},
	}
	for _, tt := range tests {
		if got := expectedName(tt.program, tt.firstLine); got != tt.want {
			t.Errorf("expectedName(%s, %q) = %+v, want %+v", tt.program, tt.firstLine, got, tt.want)
		}
	}
}

// TestExpectedNameMatchesKernel holds the rule to what the kernel really
// does, with facts gathered from real files.
func TestExpectedNameMatchesKernel(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, body string }{
		{"short.sh", "#!/bin/sh\nsleep 5\n"},
		{"a-name-longer-than-fifteen.sh", "#!/bin/sh\nsleep 5\n"},
		{"via-env.sh", "#!/usr/bin/env sh\nsleep 5\n"},
	} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.body), 0o755); err != nil {
			t.Fatal(err)
		}
		want := Gather(Input{Program: p}, Env{Getenv: os.Getenv, Cwd: dir}).NameOf(p).Name
		cmd := exec.Command(p)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Until the interpreter has been exec'd the child has our name.
		var got string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if st, err := proc.Stat(cmd.Process.Pid); err == nil {
				if got = st.Comm; got == want {
					break
				}
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		if got != want {
			t.Errorf("%s: kernel named it %q, the rule says %q", c.name, got, want)
		}
	}
}
