package scaffold

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// TestPHPWithoutFFI starts the PHP skeleton as cron would, with FFI off in
// the two ways Debian's php-cli can have it: the ffi module not loaded, and
// loaded with ffi.enable=0 (where FFI::cdef throws). PHP_INI_SCAN_DIR, which
// reaches the script through its #! line, sets either up. The daemon must
// start, lock and write its pidfile, detach as usual and stop on SIGTERM.
// Without FFI it cannot close the descriptors its launcher left open: the
// test wants exactly that, as the skeleton's header says, so that a change
// either way shows up here.
func TestPHPWithoutFFI(t *testing.T) {
	out, err := exec.Command("php", "-r", "echo PHP_CONFIG_FILE_SCAN_DIR;").Output()
	if err != nil {
		t.Fatalf("php: %v", err)
	}
	defaults, err := filepath.Glob(filepath.Join(string(out), "*.ini"))
	if err != nil || len(defaults) == 0 {
		t.Fatalf("no .ini files in PHP's scan folder %q: %v", out, err)
	}
	for _, tc := range []struct {
		name    string
		scanDir func(dir string) string // PHP_INI_SCAN_DIR
	}{
		{"not-loaded", func(dir string) string {
			for _, ini := range defaults {
				if !strings.Contains(filepath.Base(ini), "ffi") {
					os.Symlink(ini, filepath.Join(dir, filepath.Base(ini)))
				}
			}
			return dir
		}},
		{"disabled", func(dir string) string {
			os.WriteFile(filepath.Join(dir, "zz-no-ffi.ini"), []byte("ffi.enable=0\n"), 0o644)
			return ":" + dir // a leading colon keeps the default folder too
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			scan := "PHP_INI_SCAN_DIR=" + tc.scanDir(t.TempDir())
			probe := exec.Command("php", "-r", `try { FFI::cdef("int close(int fd);"); echo "on"; } catch (Error $e) { echo "off"; }`)
			probe.Env = append(os.Environ(), scan)
			if out, err := probe.CombinedOutput(); err != nil || string(out) != "off" {
				t.Fatalf("with %s, FFI is %q (%v); want off", scan, out, err)
			}

			d := generate(t, PHP, variants[0], Periodic)
			d.env = []string{scan}
			if _, out := d.startAsCron(t); out != "" {
				t.Errorf("the launch printed %q; want nothing", out)
			}
			if d.pid, err = proc.ReadPidfile(d.p.Pidfile); err != nil {
				t.Fatalf("after the launch: %v\n%s", err, d.readLog(t))
			}
			if p, err := proc.Stat(d.pid); err != nil || p.Zombie() || p.Comm != d.p.Name || p.SessionLeader() || p.TTY != 0 {
				t.Errorf("the daemon, PID %d: %+v, %v; want a live %s, no session leader, no terminal", d.pid, p, err, d.p.Name)
			}
			d.waitLog(t, "started")
			d.checkPidfileLocked(t)
			for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if _, err := os.Stat(d.p.State); err == nil {
					break
				} else if time.Now().After(end) {
					t.Fatalf("no state file 5 s after the start: %v", err)
				}
			}
			d.checkDescriptorsWithoutFFI(t)

			d.termStops(t)
		})
	}
}

// checkDescriptorsWithoutFFI wants 0 on /dev/null, 1 and 2 on the log, one
// descriptor on the pidfile, and, since nothing could close them, the file
// the launcher leaked, PHP's own handle on the script, and whatever this test
// process itself inherited and so passed on (the same descriptor, open on
// the same file here).
func (d *daemon) checkDescriptorsWithoutFFI(t *testing.T) {
	t.Helper()
	leaked := filepath.Join(d.dir, "leaked-fd")
	pidfiles, leaks := 0, 0
	for fd, target := range d.descriptors(t) {
		switch {
		case fd == 0 && target == "/dev/null":
		case (fd == 1 || fd == 2) && target == d.p.Log:
		case fd > 2 && target == d.p.Pidfile:
			pidfiles++
		case fd > 2 && target == leaked:
			leaks++
		case fd > 2 && target == d.p.Program:
		case fd > 2 && target == ownDescriptor(fd):
		default:
			t.Errorf("unexpected descriptor %d -> %s", fd, target)
		}
	}
	if pidfiles != 1 {
		t.Errorf("%d descriptors on the pidfile, want 1", pidfiles)
	}
	if leaks != 1 {
		t.Errorf("%d descriptors on the file the launcher leaked; without FFI the skeleton keeps it, so want 1", leaks)
	}
}

// ownDescriptor is what this process's descriptor fd refers to, or "".
func ownDescriptor(fd int) string {
	target, _ := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd))
	return target
}
