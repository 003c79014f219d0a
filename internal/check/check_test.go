package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

var allSteps = []string{StepDryRun, StepStart, StepSecond, StepRestart, StepZombies,
	StepParent, StepSession, StepTerminal, StepCwd, StepFds}

// assertClean asserts that every step ran and passed without a warning.
func assertClean(t *testing.T, r Report) {
	t.Helper()
	if len(r.Steps) != len(allSteps) {
		t.Fatalf("ran %d steps, want %d", len(r.Steps), len(allSteps))
	}
	for i, s := range r.Steps {
		if s.Name != allSteps[i] {
			t.Errorf("step %d is %q, want %q", i+1, s.Name, allSteps[i])
		}
		if !s.Passed || s.Warning || s.Problem != "" {
			t.Errorf("step %q: passed=%v warning=%v problem=%q: %s", s.Name, s.Passed, s.Warning, s.Problem, s.Evidence)
		}
	}
	if !r.Passed() {
		t.Error("Report.Passed() is false")
	}
}

// assertOneDaemon asserts that exactly one copy, the report's daemon, runs
// under the name: every process with the name is in its session (a shell
// script forks children that carry its name until they exec).
func assertOneDaemon(t *testing.T, r Report, d daemon) {
	t.Helper()
	daemon, err := proc.Stat(r.PID)
	if r.PID == 0 || err != nil || daemon.Zombie() {
		t.Fatalf("want the daemon PID %d left running: %v", r.PID, err)
	}
	for _, p := range live(procName(d.name)) {
		if p.Session != daemon.Session {
			t.Errorf("another copy runs besides PID %d: %+v", r.PID, p)
		}
	}
	if pid, err := proc.ReadPidfile(d.pidfile); err != nil || pid != r.PID {
		t.Errorf("pidfile names %d (%v), want %d", pid, err, r.PID)
	}
}

func TestGoodDaemonsPassEveryStep(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl", "/usr/bin/python3")
	for _, tc := range []struct {
		script, base string
		background   bool
	}{
		{"good.pl", "good", false},
		{"good.py", "goodpy", false},
		{"foreground.sh", "fg", true},
	} {
		t.Run(tc.script, func(t *testing.T) {
			t.Parallel()
			d := newDaemon(t, "", tc.script, tc.base)
			argv := d.selfArgv()
			if tc.background {
				argv = d.backgroundArgv()
			}
			r, err := Run(context.Background(), d.target(argv), Options{})
			logReport(t, r)
			if err != nil {
				t.Fatal(err)
			}
			assertClean(t, r)
			if r.WasRunning {
				t.Error("WasRunning is true for a daemon that was not running")
			}
			// Not running before, no Stop: the restarted daemon stays.
			assertOneDaemon(t, r, d)
			start, _ := r.Step(StepStart)
			restart, _ := r.Step(StepRestart)
			if !strings.Contains(restart.Evidence, "after SIGTERM PID") || start.Evidence == restart.Evidence {
				t.Errorf("restart evidence %q does not show a new daemon after %q", restart.Evidence, start.Evidence)
			}
		})
	}
}

func TestStopLeavesNothingRunning(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
	t.Parallel()
	d := newDaemon(t, "", "good.pl", "stop")
	r, err := Run(context.Background(), d.target(d.selfArgv()), Options{Stop: true})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, r)
	if r.PID != 0 {
		t.Errorf("Report.PID = %d after Stop", r.PID)
	}
	if ps := live(d.name); len(ps) != 0 {
		t.Errorf("still running after Stop: %v", ps)
	}
	if _, err := os.Stat(d.pidfile); !os.IsNotExist(err) {
		t.Errorf("pidfile left after Stop: %v", err)
	}
}

func TestDaemonRunningBeforeIsLeftRunning(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
	t.Parallel()
	d := newDaemon(t, "", "good.pl", "before")
	runCommand(t, d.selfArgv())
	first := waitRunning(t, d.pidfile, d.name)

	// Stop applies only to a daemon the check started itself.
	r, err := Run(context.Background(), d.target(d.selfArgv()), Options{Stop: true})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, r)
	if !r.WasRunning {
		t.Error("WasRunning is false")
	}
	if dry, _ := r.Step(StepDryRun); !strings.Contains(dry.Evidence, "already running") {
		t.Errorf("dry run evidence %q, want start-stop-daemon's \"already running\"", dry.Evidence)
	}
	if start, _ := r.Step(StepStart); !strings.Contains(start.Evidence, fmt.Sprintf("PID %d, running before the check", first)) {
		t.Errorf("start evidence %q does not say PID %d was kept", start.Evidence, first)
	}
	assertOneDaemon(t, r, d)
	if r.PID == first {
		t.Errorf("PID %d survived the restart step", first)
	}
}

// brokenCase is a daemon with one deliberate fault and the failure the
// check must name for it.
type brokenCase struct {
	name       string
	script     string
	base       string
	background bool
	edit       func(t *testing.T, d *daemon, tg *Target) // adjusts the daemon or target
	step       string
	problem    Problem
	evidence   []string // substrings, with %PIDFILE% and %NAME% replaced
	leftAlive  bool     // the broken daemon may stay (it works, but badly)
}

func TestBrokenDaemonsFailWithTheRightDiagnosis(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
	cases := []brokenCase{
		{name: "exits at once", script: "exits.pl", base: "exits",
			step: StepStart, problem: ProblemExited,
			evidence: []string{"exited with status 3", "cannot read /nonexistent/bot.conf"}},
		{name: "exits at once under --background", script: "exits.pl", base: "exitsbg", background: true,
			step: StepStart, problem: ProblemDeadPID,
			// "which is not running", or "which has exited" while PID 1 has
			// not reaped it yet.
			evidence: []string{"%PIDFILE% names PID", "tail of", "cannot read /nonexistent/bot.conf"}},
		{name: "never writes its pidfile", script: "nopidfile.pl", base: "nopid",
			step: StepStart, problem: ProblemNoPidfile,
			evidence: []string{"%PIDFILE% never appeared within 3s, but PID", "named %NAME% is running"}},
		{name: "writes its parent's PID", script: "parentpid.pl", base: "ppid",
			step: StepStart, problem: ProblemWriteBeforeFork,
			evidence: []string{"which has exited, while the daemon runs as PID", "write-before-fork"}},
		{name: "20-character basename with a hand-typed --name", script: "good.pl", base: "wa%s-archivebot",
			edit: func(t *testing.T, d *daemon, tg *Target) { tg.Name = "archivebot" },
			step: StepStart, problem: ProblemNameDiffers,
			evidence: []string{`is named "%NAME%", not "archivebot"`, "cut to 15 characters", "use --name %NAME%"}},
		{name: "20-character --name", script: "good.pl", base: "wa%s-archivebot",
			edit: func(t *testing.T, d *daemon, tg *Target) { tg.Name = d.name; setArg(tg.Argv, "--name", d.name) },
			step: StepDryRun, problem: ProblemNameTooLong,
			evidence: []string{"has 20 characters", `use --name "%NAME%"`}},
		{name: "#!/usr/bin/env shebang", script: "good.pl", base: "envbang",
			edit: func(t *testing.T, d *daemon, tg *Target) {
				b, _ := os.ReadFile(d.prog)
				b = []byte(strings.Replace(string(b), "#!/usr/bin/perl", "#!/usr/bin/env perl", 1))
				if err := os.WriteFile(d.prog, b, 0o755); err != nil {
					t.Fatal(err)
				}
			},
			step: StepStart, problem: ProblemNameDiffers,
			evidence: []string{`is named "perl"`, "#!/usr/bin/perl", "--name perl"}},
		{name: "leaves a zombie child", script: "zombie.pl", base: "zombie",
			step: StepZombies, problem: ProblemZombieChild, leftAlive: true,
			evidence: []string{"leaves unreaped children", "<defunct>"}},
		{name: "ignores SIGTERM", script: "ignoreterm.pl", base: "igterm",
			step: StepRestart, problem: ProblemIgnoresTerm,
			evidence: []string{"was still running 3s after SIGTERM", "SIGKILL"}},
		{name: "stays in the foreground without --background", script: "foreground.sh", base: "fgself",
			step: StepStart, problem: ProblemForeground,
			evidence: []string{"had not returned after 3s", "leave out --daemonizes"}},
		{name: "program not found", script: "good.pl", base: "missing",
			edit: func(t *testing.T, d *daemon, tg *Target) {
				tg.Argv = append([]string{"start-stop-daemon"}, tg.Argv[1:]...)
			},
			step: StepDryRun, problem: ProblemDryRun,
			evidence: []string{"status 127", "cron's PATH is only /usr/bin:/bin"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newDaemon(t, "", tc.script, tc.base)
			argv := d.selfArgv()
			if tc.background {
				argv = d.backgroundArgv()
			}
			tg := d.target(argv)
			if tc.edit != nil {
				tc.edit(t, &d, &tg)
			}
			r, err := Run(context.Background(), tg, Options{Timeout: 3 * time.Second})
			logReport(t, r)
			if err != nil {
				t.Fatal(err)
			}
			failed, ok := r.Failed()
			if !ok {
				t.Fatal("the check passed")
			}
			if last := r.Steps[len(r.Steps)-1]; last.Name != failed.Name {
				t.Errorf("the check went on after %q failed, up to %q", failed.Name, last.Name)
			}
			if failed.Name != tc.step || failed.Problem != tc.problem {
				t.Errorf("failed at %q with %q, want %q with %q", failed.Name, failed.Problem, tc.step, tc.problem)
			}
			for _, want := range tc.evidence {
				want = strings.NewReplacer("%PIDFILE%", d.pidfile, "%NAME%", procName(d.name)).Replace(want)
				if !strings.Contains(failed.Evidence, want) {
					t.Errorf("evidence lacks %q:\n%s", want, failed.Evidence)
				}
			}
			// No extra copies: at most the one daemon start-stop-daemon
			// recognises, and only when the fault lets it work.
			if tc.leftAlive {
				assertOneDaemon(t, r, d)
			} else if n := len(live(procName(d.name))) + len(liveIn(d.prog)); n != 0 || r.PID != 0 {
				t.Errorf("want nothing left running, found %d processes (Report.PID %d)", n, r.PID)
			}
		})
	}
}

// liveIn lists live processes whose command line runs the script, for
// daemons whose process name is their interpreter's.
func liveIn(script string) []proc.Process {
	var out []proc.Process
	for _, p := range live("perl") {
		b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.PID), "cmdline"))
		if strings.Contains(string(b), script) {
			out = append(out, p)
		}
	}
	return out
}

func setArg(argv []string, opt, value string) {
	for i := range argv[:len(argv)-1] {
		if argv[i] == opt {
			argv[i+1] = value
			return
		}
	}
}

// A zombie with the daemon's name in the pidfile: start-stop-daemon takes
// it for the running daemon, and the check says why nothing will start.
func TestZombieInThePidfileIsExplained(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
	t.Parallel()
	d := newDaemon(t, "", "exits.pl", "zpid")
	// A parent that never reaps: its child takes the daemon's name, exits.
	parent := exec.Command("/usr/bin/perl", "-e", `$| = 1; my $pid = fork; if (!$pid) { exec $ARGV[0]; die } print "$pid\n"; sleep 60`, d.prog)
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { parent.Process.Kill(); parent.Wait() })
	var zpid int
	if _, err := fmt.Fscan(out, &zpid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for p, err := proc.Stat(zpid); err != nil || !p.Zombie(); p, err = proc.Stat(zpid) {
		if time.Now().After(deadline) {
			t.Fatalf("PID %d never became a zombie", zpid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := os.WriteFile(d.pidfile, []byte(fmt.Sprintf("%d\n", zpid)), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), d.target(d.selfArgv()), Options{Timeout: 3 * time.Second})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	failed, ok := r.Failed()
	if !ok || failed.Name != StepDryRun || failed.Problem != ProblemZombieUnreaped {
		t.Fatalf("want %q to fail with %q, got %+v", StepDryRun, ProblemZombieUnreaped, failed)
	}
	for _, want := range []string{fmt.Sprintf("PID %d (%s) is a zombie", zpid, d.name),
		fmt.Sprintf("PID %d (perl) has not reaped it", parent.Process.Pid), `"process already running."`} {
		if !strings.Contains(failed.Evidence, want) {
			t.Errorf("evidence lacks %q:\n%s", want, failed.Evidence)
		}
	}
}

func TestHygieneWarnings(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl", "/usr/bin/python3")
	for _, tc := range []struct {
		script, base string
		warn         map[string]Problem
	}{
		// start-stop-daemon itself changes to / before it starts the
		// program, so only a program that moves elsewhere is warned about.
		{"nodetach.pl", "nodet", map[string]Problem{StepParent: ProblemNotDetached, StepSession: ProblemNoSetsid,
			StepFds: ProblemInheritedFds}},
		{"sloppy.py", "sloppy", map[string]Problem{StepSession: ProblemSessionLeader, StepTerminal: ProblemTerminal,
			StepCwd: ProblemCwd, StepFds: ProblemInheritedFds}},
	} {
		t.Run(tc.script, func(t *testing.T) {
			t.Parallel()
			d := newDaemon(t, "", tc.script, tc.base)
			r, err := Run(context.Background(), d.target(d.selfArgv()), Options{Timeout: 3 * time.Second})
			logReport(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Passed() {
				t.Fatal("hygiene problems must be warnings for a program mkdaemon did not write")
			}
			for _, name := range allSteps {
				s, ok := r.Step(name)
				if !ok {
					t.Fatalf("step %q did not run", name)
				}
				want, warned := tc.warn[name]
				if s.Warning != warned || s.Problem != want {
					t.Errorf("%s: warning=%v problem=%q, want warning=%v problem=%q: %s", name, s.Warning, s.Problem, warned, want, s.Evidence)
				}
			}
			if s, _ := r.Step(StepFds); !strings.Contains(s.Evidence, "the descriptor the check passed as fd 3") ||
				!strings.Contains(s.Evidence, "the job's output file") {
				t.Errorf("fds evidence does not name the marker and the output file: %s", s.Evidence)
			}
			if s, _ := r.Step(StepCwd); s.Warning && !strings.Contains(s.Evidence, "works in "+d.dir+", not /") {
				t.Errorf("cwd evidence does not name the daemon's directory: %s", s.Evidence)
			}
			assertOneDaemon(t, r, d)
		})
	}
}

// mkdaemon's own skeletons must detach cleanly: for them hygiene problems
// fail the check.
func TestHygieneFailsForSkeletons(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/python3")
	t.Parallel()
	d := newDaemon(t, "", "sloppy.py", "skel")
	b, _ := os.ReadFile(d.prog)
	b = []byte(strings.Replace(string(b), "\n", "\n# "+spec.SkeletonMarker+"\n", 1))
	if err := os.WriteFile(d.prog, b, 0o755); err != nil {
		t.Fatal(err)
	}
	tg := d.target(d.selfArgv())
	tg.Program, tg.Skeleton = d.prog, true
	r, err := Run(context.Background(), tg, Options{Timeout: 3 * time.Second})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed() {
		t.Fatal("a sloppy skeleton passed")
	}
	if s, _ := r.Step(StepSession); s.Passed || s.Problem != ProblemSessionLeader {
		t.Errorf("session step: %+v", s)
	}
	if s, _ := r.Step(StepStart); !s.Passed {
		t.Errorf("the start itself should pass: %+v", s)
	}
}

func TestRunRejectsIncompleteTargets(t *testing.T) {
	d := daemon{pidfile: "/tmp/x.pid", name: "x"}
	for _, tc := range []struct {
		name string
		tg   Target
		want string
	}{
		{"no command", Target{Pidfile: d.pidfile, Name: "x"}, "no command"},
		{"relative pidfile", Target{Command: ssdPath + " --start", Pidfile: "x.pid", Name: "x"}, `absolute path, not "x.pid"`},
		{"no name", Target{Command: ssdPath + " --start", Pidfile: d.pidfile}, "no process name"},
		{"no --start", Target{Command: ssdPath + " --stop --pidfile /tmp/x.pid", Pidfile: d.pidfile, Name: "x"}, "no start-stop-daemon --start"},
		{"no --start in argv", Target{Argv: []string{ssdPath, "--status"}, Pidfile: d.pidfile, Name: "x"}, "no start-stop-daemon --start"},
		{"not sh", Target{Command: ssdPath + " --start 'x", Pidfile: d.pidfile, Name: "x"}, "not valid POSIX sh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Run(context.Background(), tc.tg, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if len(r.Steps) != 0 {
				t.Errorf("steps ran: %+v", r.Steps)
			}
		})
	}
}

// cron runs a job in HOME; when that is missing, the job cannot start.
func TestMissingHomeFailsTheDryRun(t *testing.T) {
	d := daemon{pidfile: "/tmp/x.pid", name: "x"}
	acct := spec.Account{Name: "mkdaemon-nobody", UID: os.Geteuid(), GID: os.Getegid(), Home: "/nonexistent/mkdaemon-nobody"}
	r, err := Run(context.Background(), Target{Command: ssdPath + " --start --name x --startas /bin/true", Pidfile: d.pidfile, Name: "x", Account: acct}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := r.Failed()
	if !ok || f.Name != StepDryRun || !strings.Contains(f.Evidence, "/nonexistent/mkdaemon-nobody") {
		t.Fatalf("want the dry run to fail naming the missing HOME, got %+v", r.Steps)
	}
}

func TestInterruptedCheckCleansUp(t *testing.T) {
	needTools(t, ssdPath, "/usr/bin/perl")
	t.Parallel()
	d := newDaemon(t, "", "nopidfile.pl", "intr")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	r, err := Run(ctx, d.target(d.selfArgv()), Options{Timeout: 5 * time.Second})
	logReport(t, r)
	if err != context.DeadlineExceeded {
		t.Fatalf("err = %v, want the context's", err)
	}
	if f, ok := r.Failed(); !ok || f.Problem != ProblemInterrupted {
		t.Errorf("want an interrupted step, got %+v", f)
	}
	if ps := live(d.name); len(ps) != 0 {
		t.Errorf("left running after an interrupted check: %v", ps)
	}
}

// The container trap for real: the check runs under a subreaper that never
// reaps (testdata/noreap.py, standing in for a container's PID 1 without an
// init), so the daemon killed in step 4 stays a zombie, and the check must
// say so rather than report a restart that cron would never make.
func TestZombieTrapUnderANonReapingParent(t *testing.T) {
	if os.Getenv(trapChild) != "" {
		zombieTrapChild(t)
		return
	}
	needTools(t, ssdPath, "/usr/bin/perl", "/usr/bin/python3")
	t.Parallel()
	d := newDaemon(t, "", "good.pl", "trap")
	cmd := exec.Command("testdata/noreap.py", os.Args[0], "-test.run", "^TestZombieTrapUnderANonReapingParent$", "-test.v")
	cmd.Env = append(os.Environ(), noSubreaper+"=1", trapChild+"="+d.prog)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("under noreap.py: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestZombieTrapUnderANonReapingParent") {
		t.Fatalf("the check did not run under noreap.py:\n%s", out)
	}
}

const trapChild = "MKDAEMON_CHECK_TEST_TRAP_PROGRAM"

// zombieTrapChild is the part that runs under noreap.py.
func zombieTrapChild(t *testing.T) {
	prog := os.Getenv(trapChild)
	d := daemon{prog: prog, name: filepath.Base(prog), pidfile: prog + ".pid", log: prog + ".log"}
	r, err := Run(context.Background(), d.target(d.selfArgv()), Options{Timeout: 2 * time.Second})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	failed, ok := r.Failed()
	if !ok || failed.Name != StepRestart || failed.Problem != ProblemZombieUnreaped {
		t.Fatalf("want %q to fail with %q, got %+v", StepRestart, ProblemZombieUnreaped, failed)
	}
	for _, want := range []string{"is a zombie: it has exited, but its parent", "(noreap.py) has not reaped it in 2",
		`"process already running."`, "run it under an init that reaps (tini)"} {
		if !strings.Contains(failed.Evidence, want) {
			t.Errorf("evidence lacks %q:\n%s", want, failed.Evidence)
		}
	}
}

func TestStepMark(t *testing.T) {
	for _, tc := range []struct {
		s    Step
		want string
	}{
		{Step{Passed: true}, "pass"},
		{Step{Passed: true, Warning: true}, "warn"},
		{Step{Passed: false}, "FAIL"},
		{Step{Passed: false, Warning: true}, "FAIL"},
	} {
		if got := tc.s.Mark(); got != tc.want {
			t.Errorf("%+v.Mark() = %q, want %q", tc.s, got, tc.want)
		}
	}
}
