package check

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/realtest"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

const ssdPath = "/usr/sbin/start-stop-daemon"

// The test process is a child subreaper: daemons whose launcher has exited
// become its children instead of PID 1's, which on these machines reaps
// them only after a second or two. The check reaps the ones it
// started; the helpers below reap the rest.
//
// TestWithoutSubreaper runs some of the tests again with no subreaper
// anywhere, as `mkdaemon check` runs: there PID 1 reaps, late.
//
// The tests mostly wait for processes, so they run more of them in
// parallel than there are CPUs, unless -test.parallel says otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "6")
	}
	if os.Getenv(noSubreaper) == "" {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			fmt.Fprintln(os.Stderr, "cannot become a child subreaper:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

const noSubreaper = "MKDAEMON_CHECK_TEST_NO_SUBREAPER"

func TestWithoutSubreaper(t *testing.T) {
	if os.Getenv(noSubreaper) != "" {
		t.Skip("already the child")
	}
	needTools(t, ssdPath, "/usr/bin/perl", "/usr/bin/python3")
	if testing.Short() {
		t.Skip("slow: PID 1 reaps each killed daemon after a second or two")
	}
	// Orphans go to the nearest subreaper among their ancestors, so this
	// process stops being one while the child runs. The test is not
	// parallel: the others wait until it is done.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	defer unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestGoodDaemonsPassEveryStep|TestDaemonRunningBeforeIsLeftRunning|TestBrokenDaemonsFailWithTheRightDiagnosis)$", "-test.v")
	cmd.Env = append(os.Environ(), noSubreaper+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("without a subreaper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestGoodDaemonsPassEveryStep") {
		t.Fatalf("the tests did not run:\n%s", out)
	}
}

// needTools skips a test when a program it runs for real is missing.
func needTools(t *testing.T, paths ...string) {
	realtest.Need(t)
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is not installed", p)
		}
	}
}

// daemon is a test program copied under a name of its own, with its
// pidfile and log next to it.
type daemon struct {
	dir, prog, name, pidfile, log string
}

// unique returns a short random suffix, so that names never clash with a
// concurrent run of the same tests.
func unique() string {
	b := make([]byte, 2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newDaemon copies testdata/daemons/script into dir (a fresh temporary
// directory when dir is "") as base-XXXX.ext, or with XXXX in place of a
// %s in base (for names over 15 characters, whose process names must still
// differ: only their first 15 count). The check's target name is the file
// name (the process name the kernel gives it) unless the caller changes it.
func newDaemon(t testing.TB, dir, script, base string) daemon {
	realtest.Need(t)
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	b, err := os.ReadFile(filepath.Join("testdata", "daemons", script))
	if err != nil {
		t.Fatal(err)
	}
	name := base + "-" + unique() + filepath.Ext(script)
	if strings.Contains(base, "%s") {
		name = fmt.Sprintf(base, unique()) + filepath.Ext(script)
	}
	d := daemon{dir: dir, name: name, prog: filepath.Join(dir, name),
		pidfile: filepath.Join(dir, name+".pid"), log: filepath.Join(dir, name+".log")}
	if err := os.WriteFile(d.prog, b, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killNamed(t, procName(d.name), os.Getuid()) })
	return d
}

// procName is the kernel's name for a program: its basename, cut to 15.
func procName(base string) string {
	if len(base) > 15 {
		return base[:15]
	}
	return base
}

// selfArgv is the seed's command: the program daemonizes itself and writes
// its own pidfile, which it is told with --pidfile.
func (d daemon) selfArgv() []string {
	return []string{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", d.pidfile, "--name", procName(d.name),
		"--startas", d.prog, "--", "--pidfile", d.pidfile, "--log", d.log}
}

// backgroundArgv has start-stop-daemon fork the program and write the
// pidfile; the program's output goes to the log.
func (d daemon) backgroundArgv() []string {
	return []string{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", d.pidfile, "--name", procName(d.name),
		"--startas", d.prog, "--background", "--make-pidfile", "--output", d.log}
}

func (d daemon) target(argv []string) Target {
	return Target{Argv: argv, Pidfile: d.pidfile, Name: procName(d.name), Log: d.log}
}

// live lists the live processes with the given name.
func live(name string) []proc.Process {
	ps, _ := proc.All()
	var out []proc.Process
	for _, p := range ps {
		if p.Comm == name && !p.Zombie() {
			out = append(out, p)
		}
	}
	return out
}

// killNamed kills every process with the name that runs as uid (only
// the test's own: a python3 of somebody else's is left alone), then waits
// until none is left, reaping those handed to the test process.
func killNamed(t testing.TB, name string, uid int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ps, _ := proc.All()
		left := 0
		for _, p := range ps {
			if p.Comm != name || !p.RunsAs(uid) {
				continue
			}
			left++
			if p.Zombie() {
				if p.PPID == os.Getpid() {
					unix.Wait4(p.PID, nil, unix.WNOHANG, nil)
				}
				continue
			}
			syscall.Kill(p.PID, syscall.SIGKILL)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes named %s are still there 10s after SIGKILL", name)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runCommand runs argv the way a user would by hand, for tests that need a
// daemon running before the check.
func runCommand(t *testing.T, argv []string) {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
}

// waitRunning waits until the pidfile names a live process called name,
// and until the other processes of its double fork are gone: the test
// process, a subreaper, reaps them, as PID 1 would under cron.
func waitRunning(t *testing.T, pidfile, name string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for ; time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		st := proc.Inspect(pidfile, name)
		if st.State != proc.Running {
			continue
		}
		ps, _ := proc.All()
		others := 0
		for _, p := range ps {
			if p.Comm == name && p.PID != st.PID {
				others++
				if p.Zombie() && p.PPID == os.Getpid() {
					unix.Wait4(p.PID, nil, unix.WNOHANG, nil)
				}
			}
		}
		if others == 0 {
			return st.PID
		}
	}
	t.Fatalf("%s never named a running %s, alone", pidfile, name)
	return 0
}

func logReport(t *testing.T, r Report) {
	t.Helper()
	for _, s := range r.Steps {
		t.Logf("%s  %-20s %s %s", s.Mark(), s.Name, s.Problem, s.Evidence)
	}
	for _, n := range r.Notes {
		t.Logf("note: %s", n)
	}
}
