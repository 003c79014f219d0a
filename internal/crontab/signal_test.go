package crontab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
)

// Safety rule 7: an interrupt at any moment leaves the old or the new
// crontab, never a part of one. The installer runs in a child process (this
// test binary again, see TestMain) so that signals can be aimed at it; a
// wrapper around the real crontab, first in PATH, sends them from inside
// the operation.

const helperEnv = "MKDAEMON_CRONTAB_TEST_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(helperInstall(spec))
	}
	os.Exit(m.Run())
}

// helperInstall installs the block "bot" for the Target given as JSON and
// exits 0 when done, 130 when a signal was held (done or not), 1 on error.
func helperInstall(spec string) int {
	var u Target
	if err := json.Unmarshal([]byte(spec), &u); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	var ie *InterruptedError
	switch {
	case errors.As(err, &ie):
		fmt.Println("interrupted before writing:", ie.Signal)
		return 130
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	case res.Interrupted != nil:
		fmt.Println(res.Action, "then", res.Interrupted)
		return 130
	}
	fmt.Println(res.Action)
	return 0
}

// signalWrapper runs the real crontab; before the operation named by
// $SIG_ON ("-" or "-l") it sends $SIGNALS to its parent, mkdaemon, and
// gives it time to react. It touches $DONE when crontab has exited.
const signalWrapper = `#!/bin/sh
last=""
for a in "$@"; do last="$a"; done
if [ "$last" = "$SIG_ON" ]; then
	for s in $SIGNALS; do kill -s "$s" "$PPID"; done
	sleep 0.3
fi
/usr/bin/crontab "$@"
rc=$?
[ "$last" = "$SIG_ON" ] && touch "$DONE"
exit $rc
`

func runHelper(t *testing.T, u Target, on, signals string) (out string, status syscall.WaitStatus, done string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "crontab"), []byte(signalWrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	done = filepath.Join(dir, "done")
	spec, _ := json.Marshal(u)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(spec),
		"PATH="+dir+":"+os.Getenv("PATH"), "SIG_ON="+on, "SIGNALS="+signals, "DONE="+done)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	t.Logf("helper: %s%s", stdout.String(), stderr.String())
	return stdout.String(), cmd.ProcessState.Sys().(syscall.WaitStatus), done
}

// waitFile waits for the wrapper to report that crontab has finished. It
// only bounds a wait; nothing is asserted on how long it takes.
func waitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("crontab never finished (%s missing)", path)
}

func TestSignalsDuringWriteAreHeld(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, foreignInstalled)
	l0 := listing(t, u)
	out, st, _ := runHelper(t, u, "-", "INT TERM HUP")
	if st.Signaled() || st.ExitStatus() != 130 || !strings.HasPrefix(out, "installed then") {
		t.Fatalf("helper ended with %v (signaled %v), output %q; want it to finish the install and exit 130", st.ExitStatus(), st.Signaled(), out)
	}
	if got := listing(t, u); got != l0+block("bot", "@daily /bin/true") {
		t.Fatalf("crontab after the interrupted install:\n%q", got)
	}
}

// TestKilledDuringWriteLeavesWholeCrontab: even SIGKILL, which cannot be
// held, while `crontab -` runs leaves the whole new crontab, because
// crontab reads the text from a file handed over complete, not from a
// pipe that would end early (and `crontab -` installs what it got,
// down to an empty crontab).
//
// The crontab is larger than a pipe's buffer (64 KiB), so that a pipe
// would still be half written when mkdaemon dies.
func TestKilledDuringWriteLeavesWholeCrontab(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, foreignInstalled+strings.Repeat("# filler line to make the crontab larger than a pipe buffer\n", 4000))
	l0 := listing(t, u)
	_, st, done := runHelper(t, u, "-", "KILL")
	if !st.Signaled() || st.Signal() != syscall.SIGKILL {
		t.Fatalf("helper was not killed: %v", st)
	}
	waitFile(t, done)
	if got := listing(t, u); got != l0+block("bot", "@daily /bin/true") {
		t.Fatalf("crontab after mkdaemon was killed mid-write:\n%q\nwant the whole new crontab", got)
	}
}

func TestSignalBeforeWriteStopsCleanly(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, foreignInstalled)
	l0, before := listing(t, u), crontest.SpoolID(t, u.User)
	out, st, _ := runHelper(t, u, "-l", "TERM")
	if st.Signaled() || st.ExitStatus() != 130 || !strings.HasPrefix(out, "interrupted before writing") {
		t.Fatalf("helper ended with %v (signaled %v), output %q", st.ExitStatus(), st.Signaled(), out)
	}
	if listing(t, u) != l0 || crontest.SpoolID(t, u.User) != before {
		t.Fatal("the crontab was written after an interrupt before writing")
	}
}
