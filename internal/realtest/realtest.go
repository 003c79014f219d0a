// Package realtest marks the second tier of mkdaemon's tests: the ones that
// run real daemons, the cron daemon, throwaway users or a pseudo-terminal.
// They run when MKDAEMON_REAL_TESTS=1, which the README's test command
// (scripts/test) sets; a plain `go test ./...` skips them, so that every
// rule's table test runs in seconds as a normal user with nothing
// installed.
package realtest

import (
	"os"
	"testing"
)

// Var is the environment variable that turns the real-component tests on.
const Var = "MKDAEMON_REAL_TESTS"

// Enabled reports whether the real-component tests run.
func Enabled() bool { return os.Getenv(Var) == "1" }

// Need skips t unless the real-component tests run.
func Need(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skip("a real-component test: set " + Var + "=1 (scripts/test does) to run it")
	}
}
