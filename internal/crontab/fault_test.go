package crontab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Faults that a real crontab cannot be made to show on demand come from a
// fake `crontab` put first in PATH. It records every invocation (its
// arguments and LC_ALL) in $FAKE_LOG and behaves as $FAKE_MODE says.
const fakeCrontab = `#!/bin/sh
echo "LC_ALL=$LC_ALL $*" >> "$FAKE_LOG"
case "$*" in
*-l*)
	case "$FAKE_MODE" in
	privileged) echo "must be privileged to use -u" >&2; exit 1 ;;
	denied) echo "You (u) are not allowed to use this program (crontab)" >&2
		echo "See crontab(1) for more information" >&2; exit 1 ;;
	io) echo "crontab: error reading /var/spool/cron/crontabs/u: Input/output error" >&2; exit 1 ;;
	silent) exit 1 ;;
	hang) sleep 600 ; exit 0 ;;
	none) echo "no crontab for u" >&2; exit 1 ;;
	ok|refuse) printf '# existing\n'; exit 0 ;;
	esac ;;
-|*" -")
	cat > "$FAKE_LOG.written"
	if [ "$FAKE_MODE" = refuse ]; then
		echo '"-":3: bad minute' >&2; echo "errors in crontab file, can't install." >&2; exit 1
	fi
	exit 0 ;;
esac
echo "fake crontab: unexpected arguments $*" >&2
exit 3
`

type fake struct {
	log string
}

func installFake(t *testing.T, mode string) fake {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "crontab"), []byte(fakeCrontab), 0o755); err != nil {
		t.Fatal(err)
	}
	f := fake{log: filepath.Join(dir, "calls")}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_LOG", f.log)
	t.Setenv("FAKE_MODE", mode)
	t.Setenv("LC_ALL", "de_DE.UTF-8") // must be overridden to C
	return f
}

func (f fake) calls(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(f.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func fakeTarget(t *testing.T, current bool) Target {
	home := t.TempDir()
	return Target{User: "u", UID: os.Getuid(), GID: os.Getgid(), Home: home, Current: current,
		StateDir: filepath.Join(home, ".local", "state", "mkdaemon"), LockHome: home}
}

// TestReadFailuresNeverWrite is safety rule 1: every failure of `crontab -l`
// other than "no crontab for" aborts with crontab's message, and `crontab
// -` is never run, so an unreadable crontab is never replaced by an empty
// one plus our block.
func TestReadFailuresNeverWrite(t *testing.T) {
	for mode, want := range map[string]string{
		"privileged": "must be privileged to use -u",
		"denied":     "You (u) are not allowed to use this program (crontab)",
		"io":         "Input/output error",
		"silent":     "failed with exit 1 and printed nothing",
		"hang":       "did not finish in time",
	} {
		t.Run(mode, func(t *testing.T) {
			f := installFake(t, mode)
			u := fakeTarget(t, false)
			timeout := time.Duration(0) // the default, ample on a loaded machine
			if mode == "hang" {
				timeout = 500 * time.Millisecond
			}
			in := NewInstaller(u, timeout)
			start := time.Now()
			_, err := in.Install(context.Background(), "bot", []string{"@daily /bin/true"})
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("error %v, want one quoting %q and saying nothing was written", err, want)
			}
			var ce *CommandError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T, want a *CommandError inside", err)
			}
			if mode == "hang" && time.Since(start) > 10*time.Second {
				t.Fatalf("the hanging crontab held us %v", time.Since(start))
			}
			calls := f.calls(t)
			if len(calls) != 1 || calls[0] != "LC_ALL=C -u u -l" {
				t.Fatalf("crontab was run as %q, want only `LC_ALL=C crontab -u u -l`", calls)
			}
			if b := backups(t, u); len(b) != 0 {
				t.Fatalf("backups made: %q", b)
			}
			// Read (what list uses) and dry-run fail the same way.
			if _, err := in.Read(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Read error %v", err)
			}
			if _, err := in.Plan(context.Background(), Change{Name: "bot", Lines: []string{"x"}}); err == nil {
				t.Errorf("Plan succeeded")
			}
			for _, c := range f.calls(t) {
				if !strings.HasSuffix(c, " -l") {
					t.Errorf("crontab was run as %q", c)
				}
			}
		})
	}
}

func TestNoCrontabIsEmptyAndNoDashUForOneself(t *testing.T) {
	f := installFake(t, "none")
	u := fakeTarget(t, true)
	res, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if err == nil {
		t.Fatal("the fake cannot be read back, so verification must fail")
	}
	// The write happened with exactly the block, on an empty crontab, and
	// without -u since the target is the current user.
	written, rerr := os.ReadFile(f.log + ".written")
	if rerr != nil || string(written) != block("bot", "@daily /bin/true") {
		t.Fatalf("written %q (%v), result %+v", written, rerr, res)
	}
	// A read, a second read just before writing (see ErrConflict), the
	// write, the read back.
	want := []string{"LC_ALL=C -l", "LC_ALL=C -l", "LC_ALL=C -", "LC_ALL=C -l"}
	if got := f.calls(t); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %q, want %q", got, want)
	}
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a VerifyError (the fake lists `# existing`)", err)
	}
}

func TestWriteRefusedPointsAtBackup(t *testing.T) {
	f := installFake(t, "refuse")
	u := fakeTarget(t, false)
	_, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	b := backups(t, u)
	if err == nil || len(b) != 1 || !strings.Contains(err.Error(), "bad minute") || !strings.Contains(err.Error(), b[0]) {
		t.Fatalf("error %v, backups %q: want crontab's message and the backup's path", err, b)
	}
	if got, _ := os.ReadFile(b[0]); string(got) != "# existing\n" {
		t.Fatalf("backup %q", got)
	}
	if calls := f.calls(t); len(calls) != 3 {
		t.Fatalf("calls %q, want a read, a read just before writing and a write", calls)
	}
}
