// Command mkdaemon makes a program keep running on a Unix account: it
// writes, checks and installs the start-stop-daemon line and crontab entry
// that start the program whenever it is not running.
//
// mkdaemon is two programs. This one is small: it links only what
// `mkdaemon --print` needs, so that printing an entry starts about as fast
// as a Go program can. Everything else (the wizard, installing, list,
// remove, check, export, scaffold, help, completion, and every error
// message) is the whole command line in mkdaemon-full (internal/cli), which
// this program executes in its own place, from the directory it was itself
// installed in, with the same arguments. Any argument list this program is
// not sure about goes there too, so the two can never disagree: the fast
// path parses the same flags (internal/flags), resolves and renders with
// the same code (spec.Resolve, entry.Render) and prints with entry.Print.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/flags"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// full is the program that runs everything but the fast path.
const full = "mkdaemon-full"

func main() {
	args := os.Args[1:]
	if code, done := printEntry(args, os.Stdout, os.Stderr, os.Getenv, time.Now()); done {
		os.Exit(code)
	}
	os.Exit(handOver(args, os.Stderr))
}

// printEntry is `mkdaemon --print [--json] --program ...` with valid
// input: it prints the entry and reports done with the exit status. For
// anything else (another command, a flag it does not know, bad input) it
// writes nothing and returns done false.
func printEntry(args []string, stdout, stderr io.Writer, getenv func(string) string, now time.Time) (code int, done bool) {
	fs := pflag.NewFlagSet("mkdaemon", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var f flags.Spec
	f.Register(fs, true)
	if err := fs.Parse(args); err != nil {
		return 0, false
	}
	// Words before -- are a subcommand or a mistake; --yes and --dry-run
	// with --print are the full command line's to judge.
	if fs.ArgsLenAtDash() > 0 || (fs.ArgsLenAtDash() < 0 && fs.NArg() > 0) ||
		!f.Print || f.Yes || f.DryRun || f.In.Program == "" {
		return 0, false
	}
	f.In.Args = fs.Args()
	env, err := spec.EnvOf(getenv)
	if err != nil {
		return 0, false
	}
	r, err := spec.Resolve(f.In, env)
	if err != nil {
		return 0, false
	}
	e, err := entry.Render(r, getenv("PATH"), now)
	if err != nil {
		return 0, false
	}
	if err := entry.Print(stdout, stderr, e, f.JSON); err != nil {
		// Part of the output may be out: handing over would repeat it.
		fmt.Fprintf(stderr, "mkdaemon: error: %v\n", err)
		return 1, true
	}
	return 0, true
}

// handOver executes mkdaemon-full from this program's directory with the
// same arguments, environment and descriptors. It returns only when that
// fails.
func handOver(args []string, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "mkdaemon: error: cannot find where mkdaemon is installed, to run %s next to it: %v\n", full, err)
		return 1
	}
	path := filepath.Join(filepath.Dir(self), full)
	err = syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(stderr, "mkdaemon: error: cannot run %s: %v\n", path, err)
	fmt.Fprintf(stderr, "mkdaemon: hint: %s is the rest of mkdaemon and is installed next to it: go install github.com/mkdaemon/mkdaemon/cmd/...@latest, or scripts/run from a checkout\n", full)
	return 1
}
