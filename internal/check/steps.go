package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Step 1: start-stop-daemon --test --verbose must say that it would start
// the daemon, or that it is already running when it is.
func (c *checker) dryRun(ctx context.Context) bool {
	l, err := c.launch(c.dry)
	if err != nil {
		return c.fail(StepDryRun, ProblemDryRun, err.Error())
	}
	if !c.awaitExit(ctx, l) {
		if c.ctxErr != nil {
			return c.interrupted(StepDryRun)
		}
		return c.fail(StepDryRun, ProblemDryRun, withOutput(fmt.Sprintf("the dry run (%s) had not finished after %s", c.dry, c.o.Timeout), l, daemonLog{}))
	}
	out := l.output()
	switch {
	case strings.Contains(out, "not able to track process names"):
		return c.fail(StepDryRun, ProblemNameTooLong, fmt.Sprintf("--name %q has %d characters, but the kernel keeps only the first 15 of a process name, "+
			"so start-stop-daemon never matches it and starts another copy on every tick: use --name %q",
			c.t.Name, len(c.t.Name), c.t.Name[:min(15, len(c.t.Name))]))
	case strings.Contains(out, "Would start"):
		return c.pass(StepDryRun, firstLine(out[strings.Index(out, "Would start"):]))
	case strings.Contains(out, "already running"):
		if c.report.WasRunning {
			return c.pass(StepDryRun, fmt.Sprintf("%s (PID %d, running before the check)", firstLine(out), c.pid))
		}
		p, evidence := c.explainStale(firstLine(out))
		return c.fail(StepDryRun, p, evidence)
	}
	evidence := fmt.Sprintf("start-stop-daemon --test exited with %s without saying it would start the daemon", l.status())
	if hint := explainExit(l.exitCode(), out); hint != "" {
		evidence += ": " + hint
	}
	return c.fail(StepDryRun, ProblemDryRun, withOutput(evidence, l, daemonLog{}))
}

// explainStale explains why start-stop-daemon takes a daemon for running
// when /proc says it is not.
func (c *checker) explainStale(said string) (Problem, string) {
	st := proc.InspectAs(c.t.Pidfile, c.t.Name, c.acct())
	if st.PID != 0 {
		p, err := proc.Stat(st.PID)
		if err == nil && p.Zombie() {
			return ProblemZombieUnreaped, fmt.Sprintf("start-stop-daemon says %q, but the daemon is not running: ", said) + explainZombie(p, 0)
		}
		if err == nil && !p.RunsAs(c.t.Account.UID) {
			return ProblemStalePidfile, fmt.Sprintf("start-stop-daemon says %q, but the pidfile %s names PID %d, which runs as %s, not as %s (uid %d): "+
				"start-stop-daemon matches on PID and name only; add --user %s so that it checks the owner too. The check leaves that process alone",
				said, c.t.Pidfile, p.PID, p.Owner(), c.t.Account.Name, c.t.Account.UID, c.t.Account.Name)
		}
	}
	return ProblemStalePidfile, fmt.Sprintf("start-stop-daemon says %q, but the pidfile %s is stale (%s): "+
		"with --pidfile as the only match it takes whatever process has that PID for the daemon; add --name %s",
		said, c.t.Pidfile, st.Reason, c.t.Name)
}

// awaitExit waits up to the timeout for a shell to exit; on timeout it
// kills the shell's session (processes that stayed in it, not daemons that
// left it).
func (c *checker) awaitExit(ctx context.Context, l *launch) bool {
	deadline := l.started.Add(c.o.Timeout)
	for !l.exited() {
		if time.Now().After(deadline) || !c.sleep(ctx) {
			proc.SignalGroup(l.pid, c.t.Account.UID, syscall.SIGKILL)
			l.wait(time.Second)
			return false
		}
	}
	return true
}

// Step 2: run the command; within the timeout the pidfile must name a live
// process called Name.
func (c *checker) start(ctx context.Context) bool {
	snap := snapshotPidfile(c.t.Pidfile, c.acct())
	l, err := c.launch(c.command)
	if err != nil {
		return c.fail(StepStart, ProblemExited, err.Error())
	}
	pid, s := c.awaitStart(ctx, StepStart, l, snap)
	if !s.Passed {
		c.explainEnvironment(ctx, &s)
	}
	if !c.add(s) {
		return false
	}
	if c.report.WasRunning && pid == c.pid {
		c.report.Steps[len(c.report.Steps)-1].Evidence = fmt.Sprintf("PID %d, running before the check, is still the daemon; the command (exit %s) left it alone", pid, l.status())
	}
	c.pid = pid
	return true
}

// pidfileSnap is a pidfile's content at one moment, to tell later whether
// anything wrote it.
type pidfileSnap struct {
	exists bool
	data   []byte
	mtime  time.Time
}

// snapshotPidfile reads the pidfile as the account a, with proc's rules
// (no FIFO, no symlink, a few bytes only). A pidfile that exists but is
// refused counts as existing, with no data.
func snapshotPidfile(path string, a proc.Account) pidfileSnap {
	pf, err := proc.OpenPidfile(path, a)
	switch {
	case errors.Is(err, proc.ErrPidfileMissing):
		return pidfileSnap{}
	case err != nil:
		return pidfileSnap{exists: true}
	}
	return pidfileSnap{exists: true, data: pf.Data, mtime: pf.MTime}
}

func (s pidfileSnap) same(path string, a proc.Account) bool {
	now := snapshotPidfile(path, a)
	return now.exists == s.exists && bytes.Equal(now.data, s.data) && now.mtime.Equal(s.mtime)
}

// awaitStart waits for the daemon a launch starts and returns its PID and
// the step. It succeeds once the shell has exited with status 0 and the
// pidfile has named the same live process called Name for a moment (a
// program that dies right after start-stop-daemon --background wrote its
// PID must not pass); a shell that never returns (a program that does not
// daemonize) is given a grace period once the pidfile is right, and left to
// the hygiene steps. Every other outcome is diagnosed at the timeout,
// because a daemon may take its time to write its pidfile.
func (c *checker) awaitStart(ctx context.Context, step string, l *launch, before pidfileSnap) (int, Step) {
	deadline := l.started.Add(c.o.Timeout)
	var rightSince, reaped time.Time
	rightPID := 0
	for {
		if time.Since(reaped) > 100*time.Millisecond {
			// A daemon that died at once may be this process's zombie.
			c.reapOurs()
			reaped = time.Now()
		}
		if l.exited() && !l.ok() && !c.nothingToDo(l) {
			return 0, c.exitedStep(step, l)
		}
		if p, ok := c.running(); ok && (rightPID == 0 || p.PID == rightPID) {
			c.adopt(p)
			if rightPID == 0 {
				rightSince, rightPID = time.Now(), p.PID
			}
			right := time.Since(rightSince)
			if (l.exited() && right >= c.settle) || right >= c.grace {
				return p.PID, Step{Name: step, Passed: true, Evidence: c.startedEvidence(p, l)}
			}
		} else {
			rightSince, rightPID = time.Time{}, 0
		}
		if time.Now().After(deadline) {
			return 0, c.diagnoseStart(step, l, before)
		}
		if !c.sleep(ctx) {
			return 0, Step{Name: step, Problem: ProblemInterrupted, Evidence: "interrupted: " + c.ctxErr.Error()}
		}
	}
}

// running returns the process the pidfile names when it is alive and
// called Name: what start-stop-daemon --pidfile --name would match.
func (c *checker) running() (proc.Process, bool) {
	pid, err := proc.ReadPidfileAs(c.t.Pidfile, c.acct())
	if err != nil {
		return proc.Process{}, false
	}
	p, err := proc.Stat(pid)
	if err != nil || p.Zombie() || !p.RunsAs(c.t.Account.UID) || p.Comm != c.t.Name {
		return proc.Process{}, false
	}
	return p, true
}

func (c *checker) startedEvidence(p proc.Process, l *launch) string {
	s := fmt.Sprintf("%s names PID %d, alive and named %q", c.t.Pidfile, p.PID, p.Comm)
	if l.exited() {
		return s + fmt.Sprintf("; the command exited with %s", l.status())
	}
	return s + "; the command has not returned (see hygiene: parent)"
}

func (c *checker) exitedStep(step string, l *launch) Step {
	evidence := fmt.Sprintf("the command exited with %s", l.status())
	if hint := explainExit(l.exitCode(), l.output()); hint != "" {
		evidence += ": " + hint
	}
	if live := c.newNamed(0); len(live) > 0 {
		evidence += fmt.Sprintf(" (a process named %s runs as PID %d all the same; cron mails the failure on every tick)", c.t.Name, live[0].PID)
	}
	return Step{Name: step, Problem: ProblemExited, Evidence: withOutput(evidence, l, c.log())}
}

// diagnoseStart names what went wrong once the timeout has passed.
func (c *checker) diagnoseStart(step string, l *launch, before pidfileSnap) Step {
	fail := func(p Problem, evidence string) Step {
		return Step{Name: step, Problem: p, Evidence: withOutput(evidence, l, c.log())}
	}
	t := c.o.Timeout
	pidfile := c.t.Pidfile
	pid, err := proc.ReadPidfileAs(pidfile, c.acct())
	unwritten := errors.Is(err, proc.ErrPidfileMissing) || (before.exists && before.same(pidfile, c.acct()))
	switch {
	case unwritten && !l.exited():
		return fail(ProblemForeground, fmt.Sprintf("the command had not returned after %s and %s was not written: "+
			"the program stays in the foreground; leave out --daemonizes, which says it forks and writes its own pidfile, "+
			"so that start-stop-daemon forks it and writes the pidfile", t, pidfile))
	case unwritten:
		what := "was never written"
		if !before.exists {
			what = "never appeared"
		}
		if live := c.newNamed(0); len(live) > 0 {
			for _, p := range live {
				c.adopt(p)
			}
			return fail(ProblemNoPidfile, fmt.Sprintf("%s %s within %s, but PID %d named %s is running: "+
				"the program does not write that pidfile (its own pidfile option must name the same file as start-stop-daemon's --pidfile), "+
				"or leave out --daemonizes so that start-stop-daemon writes it", pidfile, what, t, live[0].PID, c.t.Name))
		}
		return fail(ProblemNoPidfile, fmt.Sprintf("%s %s within %s and no process named %s is running: the program exited (command: %s)",
			pidfile, what, t, c.t.Name, l.status()))
	case err != nil:
		return fail(ProblemBadPidfile, fmt.Sprintf("%v: the daemon must write its PID, a decimal number, into it", err))
	}
	p, err := proc.Stat(pid)
	switch {
	case err != nil:
		if live := c.newNamed(pid); len(live) > 0 {
			for _, p := range live {
				c.adopt(p)
			}
			return fail(ProblemWriteBeforeFork, explainWriteBeforeFork(pid, live))
		}
		return fail(ProblemDeadPID, fmt.Sprintf("%s names PID %d, which is not running: the daemon exited after it started (command: %s)",
			pidfile, pid, l.status()))
	case p.Zombie():
		return fail(ProblemDeadPID, fmt.Sprintf("%s names PID %d, which has exited (command: %s); besides, ", pidfile, pid, l.status())+
			explainZombie(p, time.Since(l.started)))
	case !p.RunsAs(c.t.Account.UID):
		return fail(ProblemNameDiffers, fmt.Sprintf("%s names PID %d, which runs as %s, not as %s (uid %d): it is not the daemon, and the check leaves it alone",
			pidfile, pid, p.Owner(), c.t.Account.Name, c.t.Account.UID))
	case p.Comm != c.t.Name:
		c.adopt(p)
		return fail(ProblemNameDiffers, explainName(p.PID, p.Comm, c.t.Name))
	}
	// Alive and well named, yet not accepted: the shell is still running.
	return fail(ProblemForeground, fmt.Sprintf("PID %d is running but the command had not returned after %s", pid, t))
}

// Step 3: with the daemon running, start-stop-daemon --test must say it is
// running, and the command must leave the same PID and the same number of
// copies with that name (see instances).
func (c *checker) second(ctx context.Context) bool {
	copies := len(c.instances())
	l, err := c.launch(c.dry)
	if err != nil {
		return c.fail(StepSecond, ProblemSecondInstance, err.Error())
	}
	if !c.awaitExit(ctx, l) {
		if c.ctxErr != nil {
			return c.interrupted(StepSecond)
		}
		return c.fail(StepSecond, ProblemSecondInstance, fmt.Sprintf("the dry run had not finished after %s", c.o.Timeout))
	}
	said := firstLine(l.output())
	if !strings.Contains(said, "already running") {
		return c.fail(StepSecond, ProblemSecondInstance, fmt.Sprintf("with PID %d running, start-stop-daemon --test says %q instead of \"process already running.\": "+
			"it does not recognise the running daemon, so every tick starts another copy", c.pid, said))
	}
	l, err = c.launch(c.t.Command)
	if err != nil {
		return c.fail(StepSecond, ProblemSecondInstance, err.Error())
	}
	if !c.awaitExit(ctx, l) {
		if c.ctxErr != nil {
			return c.interrupted(StepSecond)
		}
		return c.fail(StepSecond, ProblemSecondInstance, withOutput(fmt.Sprintf("with PID %d running, the command had not returned after %s", c.pid, c.o.Timeout), l, daemonLog{}))
	}
	// A copy started by mistake needs a moment to fork and write.
	settle := time.Now().Add(c.settle)
	for {
		pid, _ := proc.ReadPidfileAs(c.t.Pidfile, c.acct())
		now := c.instances()
		if pid != c.pid || len(now) > copies {
			var pids []string
			for _, ps := range now {
				c.adopt(ps[0])
				pids = append(pids, fmt.Sprint(ps[0].PID))
			}
			sort.Strings(pids)
			return c.fail(StepSecond, ProblemSecondInstance, withOutput(fmt.Sprintf("a second run of the command started another copy: the pidfile names PID %d (was %d), and %s named %s run (PIDs %s; were %d)",
				pid, c.pid, plural(len(now), "copy", "copies"), c.t.Name, strings.Join(pids, ", "), copies), l, daemonLog{}))
		}
		if time.Now().After(settle) {
			break
		}
		if !c.sleep(ctx) {
			return c.interrupted(StepSecond)
		}
	}
	if _, ok := c.running(); !ok {
		return c.fail(StepSecond, ProblemDeadPID, withOutput(fmt.Sprintf("the daemon, PID %d, exited during the check", c.pid), nil, c.log()))
	}
	if !l.ok() && !c.nothingToDo(l) {
		return c.fail(StepSecond, ProblemExited, withOutput(fmt.Sprintf("with the daemon running, the command exited with %s: cron mails that on every tick", l.status()), l, daemonLog{}))
	}
	return c.pass(StepSecond, fmt.Sprintf("start-stop-daemon --test: %q; the command (exit %s) left PID %d and %s named %s",
		said, l.status(), c.pid, plural(copies, "copy", "copies"), c.t.Name))
}

// Step 4: SIGTERM the daemon (SIGKILL after the timeout), confirm it is
// gone, and run the command: a new daemon must start.
func (c *checker) restart(ctx context.Context) bool {
	old := c.pid
	termOK, g := c.stop(ctx, old)
	switch {
	case c.ctxErr != nil:
		return c.interrupted(StepRestart)
	case !termOK:
		evidence := fmt.Sprintf("PID %d was still running %s after SIGTERM, so the check killed it with SIGKILL: "+
			"the daemon must exit on SIGTERM (start-stop-daemon --stop, systemd and shutdown all send it)", old, c.o.Timeout)
		if g.zombie.PID != 0 {
			evidence += "; " + explainZombie(g.zombie, g.took)
		}
		return c.fail(StepRestart, ProblemIgnoresTerm, evidence)
	case !g.gone:
		return c.fail(StepRestart, ProblemZombieUnreaped, fmt.Sprintf("SIGTERM stopped PID %d, but ", old)+explainZombie(g.zombie, g.took))
	}
	snap := snapshotPidfile(c.t.Pidfile, c.acct())
	l, err := c.launch(c.t.Command)
	if err != nil {
		return c.fail(StepRestart, ProblemExited, err.Error())
	}
	pid, s := c.awaitStart(ctx, StepRestart, l, snap)
	if s.Passed {
		late := ""
		if g.unreaped >= 200*time.Millisecond {
			late = fmt.Sprintf(" (a zombie for %s until %s reaped it: a cron tick meanwhile would have taken it for the running daemon and started nothing)",
				roundDuration(g.unreaped), describe(g.parent))
		}
		s.Evidence = fmt.Sprintf("after SIGTERM PID %d was gone from /proc in %s%s; then ", old, roundDuration(g.took), late) + s.Evidence
		c.pid = pid
	} else {
		c.pid = 0
	}
	return c.add(s)
}

// nothingToDo reports whether a run of the command exited with status 1
// because start-stop-daemon found the daemon running: without --oknodo
// that is its answer when there is nothing to start, and the record of
// starts after && does not run.
func (c *checker) nothingToDo(l *launch) bool {
	if l.exitCode() != 1 {
		return false
	}
	_, ok := c.running()
	return ok
}
