package proc

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// CommMax is the longest process name the kernel keeps (TASK_COMM_LEN - 1).
// start-stop-daemon --name compares against this cut name, and a longer
// --name never matches.
const CommMax = 15

// ExpectedName is the process name the kernel gives a process started by
// execve(program), with how it was derived.
type ExpectedName struct {
	Name string
	// Cut is true when the basename was longer than CommMax.
	Cut bool
	// Interpreter is set when the program is a `#!/usr/bin/env INTERP`
	// script: env execs the interpreter, so the process takes its name.
	Interpreter string
}

// NameOf returns the process name the kernel will give program. It reads
// the first line of the file to see an `env` shebang; an unreadable file
// falls back to the basename, the common case.
func NameOf(program string) ExpectedName {
	base := filepath.Base(program)
	if interp := envInterpreter(program); interp != "" {
		base = filepath.Base(interp)
		n := Truncate(base)
		return ExpectedName{Name: n, Cut: n != base, Interpreter: interp}
	}
	n := Truncate(base)
	return ExpectedName{Name: n, Cut: n != base}
}

// Unmatchable reports whether start-stop-daemon --name can never match a
// process of this name: it compares against the Name: line of
// /proc/PID/status, where the kernel writes a backslash doubled (and a
// newline as \n), so the line never equals the name.
func Unmatchable(name string) bool { return strings.ContainsAny(name, "\\\n") }

// Truncate cuts a name to what the kernel keeps. The kernel counts bytes.
func Truncate(name string) string {
	if len(name) > CommMax {
		return name[:CommMax]
	}
	return name
}

// envInterpreter returns INTERP for a first line `#!/usr/bin/env [-S] INTERP
// ...` and "" for anything else. A shebang with an absolute interpreter
// path keeps the script's own name, so it needs no special case.
func envInterpreter(program string) string {
	f, err := os.Open(program)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadSlice('\n')
	if err != nil && len(line) == 0 {
		return ""
	}
	if !bytes.HasPrefix(line, []byte("#!")) {
		return ""
	}
	fields := strings.Fields(string(line[2:]))
	if len(fields) < 2 || filepath.Base(fields[0]) != "env" {
		return ""
	}
	for _, f := range fields[1:] {
		// Skip env's options (-S, -i, -u NAME is rare in shebangs) and
		// VAR=value assignments: the first plain word is the command.
		if strings.HasPrefix(f, "-") || strings.Contains(f, "=") {
			continue
		}
		return f
	}
	return ""
}
