// Package check runs the seed's test procedure on a crontab entry, the way
// cron would run it: a dry run, a start, a second run that must not start a
// second copy, a kill and a restart, a look for zombies, and a few
// daemon-hygiene observations. Each step reports what it saw, and a failure
// says which of the well-known mistakes it is and how to fix it.
package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Target is the crontab entry under test.
type Target struct {
	// Command is the crontab command exactly as /bin/sh -c gets it (cron's
	// `%` escapes already undone). It is what the real runs execute.
	Command string
	// Argv is the start-stop-daemon argv, if known. The dry run is built
	// from it when given; Command defaults to it quoted for /bin/sh.
	Argv []string
	// Pidfile and Name are start-stop-daemon's --pidfile and --name.
	Pidfile string
	Name    string
	// Account is the user whose crontab runs the entry, as the user
	// database has it (cron uses that HOME, not the caller's $HOME); the
	// zero value means the current user.
	Account spec.Account
	// Log is the daemon's log file, if any: its tail explains a failed start.
	Log string
	// Chdir is the directory the daemon is meant to work in
	// (start-stop-daemon --chdir); "" means /.
	Chdir string
	// Program is the daemon's executable, if known.
	Program string
	// Skeleton is true when Program was made by mkdaemon scaffold: it must
	// pass the hygiene steps, not just be warned.
	Skeleton bool
	// Environ holds the crontab's NAME=value settings that stand above the
	// entry: cron adds them to the job's environment (SHELL changes the
	// shell, HOME the directory the job starts in).
	Environ []string
}

// Options tune a check.
type Options struct {
	// Timeout bounds each wait: for the daemon to start, to stop after
	// SIGTERM (then SIGKILL), for a zombie to be reaped. Default 10s.
	Timeout time.Duration
	// Stop stops the daemon at the end if it was not running before the
	// check. A daemon that was running before is always left running.
	Stop bool
	// LoginEnv is the environment of the user's own login shell (NAME=value
	// pairs), nil when unknown. When the start fails under cron's
	// environment, the check runs the command once more with it and, if
	// the daemon starts then, finds the variables that make the difference.
	LoginEnv []string
}

// DefaultTimeout is Options.Timeout when it is zero.
const DefaultTimeout = 10 * time.Second

// Step names, in the order they run.
const (
	StepDryRun   = "dry run"
	StepStart    = "start"
	StepSecond   = "no second instance"
	StepRestart  = "restart"
	StepZombies  = "zombies"
	StepParent   = "hygiene: parent"
	StepSession  = "hygiene: session"
	StepTerminal = "hygiene: terminal"
	StepCwd      = "hygiene: cwd"
	StepFds      = "hygiene: fds"
)

// Problem names a failure or warning so that programs (and tests) can tell
// them apart without parsing the evidence.
type Problem string

const (
	ProblemDryRun          Problem = "dry-run"           // start-stop-daemon --test did not say it would start
	ProblemNameTooLong     Problem = "name-too-long"     // --name longer than the kernel's 15 characters
	ProblemStalePidfile    Problem = "stale-pidfile"     // start-stop-daemon says running, /proc says otherwise
	ProblemExited          Problem = "exited"            // the command exited with a non-zero status
	ProblemForeground      Problem = "foreground"        // the command never returned and wrote no pidfile
	ProblemNoPidfile       Problem = "no-pidfile"        // the pidfile never appeared
	ProblemBadPidfile      Problem = "bad-pidfile"       // the pidfile holds no PID
	ProblemDeadPID         Problem = "dead-pid"          // the pidfile names a process that is gone
	ProblemWriteBeforeFork Problem = "write-before-fork" // the pidfile names the parent of the real daemon
	ProblemNameDiffers     Problem = "name-differs"      // the process name is not --name
	ProblemZombieUnreaped  Problem = "zombie-unreaped"   // the daemon died and nobody reaps it
	ProblemSecondInstance  Problem = "second-instance"   // a second run started another copy
	ProblemIgnoresTerm     Problem = "ignores-sigterm"   // the daemon outlived SIGTERM
	ProblemZombieChild     Problem = "zombie-child"      // the daemon leaves unreaped children
	ProblemNotDetached     Problem = "not-detached"      // the daemon is (a child of) the job's shell
	ProblemSessionLeader   Problem = "session-leader"    // setsid without the second fork
	ProblemNoSetsid        Problem = "no-setsid"         // still in the job's session
	ProblemTerminal        Problem = "controlling-tty"   // has a controlling terminal
	ProblemCwd             Problem = "cwd"               // works in another directory than / or --chdir
	ProblemInheritedFds    Problem = "inherited-fds"     // holds descriptors of the job that started it
	ProblemInterrupted     Problem = "interrupted"       // the context was cancelled
)

// Step is one line of the report.
type Step struct {
	Name     string  `json:"name"`
	Passed   bool    `json:"passed"`
	Warning  bool    `json:"warning,omitempty"`
	Problem  Problem `json:"problem,omitempty"`
	Evidence string  `json:"evidence"`
}

// Mark is the step's outcome in a word: pass, FAIL or warn (passed with
// a warning).
func (s Step) Mark() string {
	switch {
	case !s.Passed:
		return "FAIL"
	case s.Warning:
		return "warn"
	}
	return "pass"
}

// Report is the outcome of a check.
type Report struct {
	Steps []Step `json:"steps"`
	// WasRunning says whether the daemon was running before the check.
	WasRunning bool `json:"was_running"`
	// PID is the daemon left running at the end, 0 if none.
	PID int `json:"pid,omitempty"`
	// Notes say what the clean-up stopped or started.
	Notes []string `json:"notes,omitempty"`

	// MissingEnv names the variables the start needs that cron's
	// environment lacks, when the first start failed and worked with the
	// user's login environment.
	MissingEnv []string `json:"missing_env,omitempty"`
}

// Passed reports whether every step passed (warnings allowed).
func (r Report) Passed() bool {
	if len(r.Steps) == 0 {
		return false
	}
	for _, s := range r.Steps {
		if !s.Passed {
			return false
		}
	}
	return true
}

// Failed returns the failed step, if any.
func (r Report) Failed() (Step, bool) {
	for _, s := range r.Steps {
		if !s.Passed {
			return s, true
		}
	}
	return Step{}, false
}

// Step returns the step with the given name, if it ran.
func (r Report) Step(name string) (Step, bool) {
	for _, s := range r.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return Step{}, false
}

// Run checks the target. It returns an error, and no steps, when the target
// cannot be checked at all (missing fields, a user it cannot switch to);
// a daemon that misbehaves is a failed step in the report, not an error.
// Run stops at the first failed step, and always stops the copies it
// started beyond the one daemon it may leave running. When ctx is done it
// stops at once, cleans up the same way, and returns ctx's error.
//
// Run does not make the calling process a child subreaper, so that orphans
// go where they go under cron (PID 1, usually) and a PID 1 that reaps late
// or never shows. In a process that is one (tests are), Run reaps the
// orphans of the daemons it started. A daemon that never detaches keeps its
// shell, and a goroutine of Run's waiting for it, until it exits.
func Run(ctx context.Context, t Target, o Options) (Report, error) {
	c, err := newChecker(t, o)
	if err != nil {
		return Report{}, err
	}
	defer c.closeLaunches()
	if c.output != "" {
		defer os.Remove(c.output)
	}
	c.run(ctx)
	c.cleanup()
	return c.report, c.ctxErr
}

// checker holds the state of one Run.
type checker struct {
	t      Target
	o      Options
	cred   *syscall.Credential
	dry    string // the dry-run command
	self   int
	poll   time.Duration
	grace  time.Duration
	settle time.Duration
	report Report
	ctxErr error

	before         map[int]bool // PIDs alive before the check
	sessions       map[int]bool // sessions this check created (its shells') or saw its daemons create
	launches       []*launch
	pid            int // the daemon's current PID
	pidfileExisted bool

	job job // how cron starts the entry's command
	// command is what the first start runs: Command, with the program's
	// output captured in the file output when the entry has no log. Later
	// runs (the second run, the restart, which may leave the daemon
	// running) run Command exactly as cron does.
	command string
	output  string // the file the program's output is captured in, if any
}

func newChecker(t Target, o Options) (*checker, error) {
	if t.Command == "" && len(t.Argv) == 0 {
		return nil, errors.New("check: no command to check: give the crontab command or the start-stop-daemon argv")
	}
	if t.Pidfile == "" || !filepath.IsAbs(t.Pidfile) {
		return nil, fmt.Errorf("check: the pidfile must be an absolute path, not %q", t.Pidfile)
	}
	if t.Name == "" {
		return nil, errors.New("check: no process name: start-stop-daemon's --name is what the check compares against")
	}
	c := &checker{t: t, o: o, self: os.Getpid(), poll: 10 * time.Millisecond,
		sessions: map[int]bool{}}
	if c.o.Timeout <= 0 {
		c.o.Timeout = DefaultTimeout
	}
	// A program that stays in the foreground never lets its shell return;
	// once its pidfile is right, this is how long the check waits for it.
	c.grace = min(time.Second, c.o.Timeout)
	// How long a new daemon must stay alive under the same PID before the
	// check believes it started, and how long a second run is watched.
	c.settle = min(500*time.Millisecond, c.o.Timeout/4)
	var err error
	if c.t.Account.Name == "" {
		if c.t.Account, err = spec.CurrentAccount(); err != nil {
			return nil, fmt.Errorf("check: looking up the current user: %w", err)
		}
	}
	if c.cred, err = credential(c.t.Account); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	if len(t.Argv) > 0 && t.Command == "" {
		if c.t.Command == "" {
			c.t.Command = shell.Join(t.Argv)
		}
		argv, err := dryRunArgv(t.Argv)
		if err != nil {
			return nil, fmt.Errorf("check: %w", err)
		}
		c.dry = shell.Join(argv)
	} else if c.dry, err = dryRunCommand(t.Command); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	c.job = cronJob(c.t.Account, t.Environ)
	c.command = c.t.Command
	if c.t.Log == "" {
		if out, err := captureFile(c.t.Account); err == nil {
			if cmd, ok := withCapture(c.t.Command, out); ok {
				c.command, c.output = cmd, out
			} else {
				os.Remove(out)
			}
		}
	}
	return c, nil
}

func (c *checker) run(ctx context.Context) {
	ps, err := proc.All()
	if err != nil {
		c.fail(StepDryRun, ProblemDryRun, "cannot read /proc: "+err.Error())
		return
	}
	c.before = map[int]bool{}
	for _, p := range ps {
		c.before[p.PID] = true
	}
	c.pidfileExisted = snapshotPidfile(c.t.Pidfile, c.acct()).exists
	if st := proc.InspectAs(c.t.Pidfile, c.t.Name, c.acct()); st.State == proc.Running {
		c.report.WasRunning = true
		c.pid = st.PID
	}
	for _, step := range []func(context.Context) bool{
		c.dryRun, c.start, c.second, c.restart, c.zombies,
	} {
		if !step(ctx) {
			return
		}
	}
	c.hygiene()
}

// add appends a step to the report and returns whether it passed.
func (c *checker) add(s Step) bool {
	c.report.Steps = append(c.report.Steps, s)
	return s.Passed
}

func (c *checker) pass(name, evidence string) bool {
	return c.add(Step{Name: name, Passed: true, Evidence: evidence})
}

func (c *checker) fail(name string, p Problem, evidence string) bool {
	return c.add(Step{Name: name, Problem: p, Evidence: evidence})
}

// sleep waits one poll interval; false when the context is done.
func (c *checker) sleep(ctx context.Context) bool {
	t := time.NewTimer(c.poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		c.ctxErr = ctx.Err()
		return false
	case <-t.C:
		return true
	}
}

func (c *checker) interrupted(step string) bool {
	return c.fail(step, ProblemInterrupted, "interrupted: "+c.ctxErr.Error())
}

// launch runs a command as cron would and remembers what it started.
func (c *checker) launch(command string) (*launch, error) {
	l, err := startLaunch(command, c.t.Account, c.job, c.cred)
	if err != nil {
		return nil, err
	}
	c.launches = append(c.launches, l)
	c.sessions[l.pid] = true // Setsid: the shell leads a session of its own
	return l, nil
}

// acct is the entry's account as package proc knows it: only its processes
// are ever the daemon or signalled, and its pidfile is read as it.
func (c *checker) acct() proc.Account {
	return proc.Account{UID: c.t.Account.UID, GID: c.t.Account.GID, Groups: c.t.Account.Groups}
}

func (c *checker) isLauncher(pid int) bool {
	for _, l := range c.launches {
		if l.pid == pid {
			return true
		}
	}
	return false
}

func (c *checker) closeLaunches() {
	for _, l := range c.launches {
		l.close()
	}
}

// madeByScaffold reports whether the program is one of mkdaemon's
// skeletons, which must daemonize cleanly.
func (c *checker) madeByScaffold() bool {
	return c.t.Skeleton
}
