package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Started is what one run of an entry's command did.
type Started struct {
	// PID is the daemon the pidfile names afterwards, alive, with the
	// entry's name and owner.
	PID int
	// New is true when the command started it, false when it found it
	// running (start-stop-daemon exited 1: nothing to do).
	New bool
	// Output is what the command printed (cron would mail it).
	Output string
}

// TickError is a run of the command that left no daemon running.
type TickError struct {
	Msg string
	// Problem names the failure when it is one the check knows.
	Problem Problem
}

func (e *TickError) Error() string { return e.Msg }

// Tick runs the entry's command once, the way cron runs it on a tick (as
// t.Account, with cron's environment, in its home), and waits up to
// timeout until the pidfile names a live process called t.Name that runs
// as the account and stays so for a moment. Until then a second run could
// start a second copy (start-stop-daemon matches the name, which the new
// process takes only when it execs the program), so whatever runs the
// entry again must wait for Tick to return.
func Tick(ctx context.Context, t Target, timeout time.Duration) (Started, error) {
	c, err := newChecker(t, Options{Timeout: timeout})
	if err != nil {
		return Started{}, err
	}
	defer c.closeLaunches()
	before := snapshotPidfile(c.t.Pidfile, c.acct())
	l, err := c.launch(c.t.Command)
	if err != nil {
		return Started{}, err
	}
	deadline := l.started.Add(c.o.Timeout)
	for !l.exited() {
		if time.Now().After(deadline) {
			proc.SignalGroup(l.pid, c.t.Account.UID, syscall.SIGKILL)
			l.wait(time.Second)
			return Started{}, &TickError{Problem: ProblemForeground, Msg: withOutput(fmt.Sprintf(
				"the command had not returned after %s: the program stays in the foreground; leave out --daemonizes so that start-stop-daemon puts it in the background", c.o.Timeout), l, c.log())}
		}
		if !c.sleep(ctx) {
			return Started{}, ctx.Err()
		}
	}
	out := l.output()
	switch code := l.exitCode(); {
	case code == 1 && strings.TrimSpace(out) == "":
		// Nothing done: start-stop-daemon found it running.
		if p, ok := c.running(); ok {
			return Started{PID: p.PID, Output: out}, nil
		}
		p, evidence := c.explainStale("process already running.")
		return Started{}, &TickError{Problem: p, Msg: evidence}
	case code != 0:
		s := c.exitedStep(StepStart, l)
		return Started{}, &TickError{Problem: s.Problem, Msg: s.Evidence}
	}
	pid, s := c.awaitStart(ctx, StepStart, l, before)
	if !s.Passed {
		if s.Problem == ProblemInterrupted {
			return Started{}, ctx.Err()
		}
		return Started{}, &TickError{Problem: s.Problem, Msg: s.Evidence}
	}
	return Started{PID: pid, New: true, Output: out}, nil
}

// Stopped is what Stop did.
type Stopped struct {
	PID    int  // the daemon signalled; 0 when none was running
	Killed bool // it outlived SIGTERM for the timeout and got SIGKILL
	// RemovedPidfile is set when a pidfile was left behind and removed.
	RemovedPidfile bool
}

// ErrStillRunning is a daemon that outlived SIGKILL for the timeout.
var ErrStillRunning = errors.New("the daemon is still running after SIGKILL")

// Stop stops the daemon the pidfile names, only if it is alive, called
// name and runs as the account a: SIGTERM, up to timeout for it to exit,
// then SIGKILL. Both go through proc.Signal (a pidfd, after checking the
// owner), never to a PID alone. A pidfile left behind is removed, as the
// account, so that the next start does not take a zombie or a reused PID
// for the daemon.
func Stop(ctx context.Context, pidfile, name string, a proc.Account, timeout time.Duration) (Stopped, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var res Stopped
	st := proc.InspectAs(pidfile, name, a)
	if st.State == proc.Running {
		res.PID = st.PID
		if err := proc.Signal(st.PID, a.UID, syscall.SIGTERM); err != nil && !errors.Is(err, proc.ErrNoProcess) {
			return res, err
		}
		if !awaitDead(ctx, st.PID, timeout) {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Killed = true
			if err := proc.Signal(st.PID, a.UID, syscall.SIGKILL); err != nil && !errors.Is(err, proc.ErrNoProcess) {
				return res, err
			}
			if !awaitDead(ctx, st.PID, timeout) {
				return res, fmt.Errorf("PID %d: %w", st.PID, ErrStillRunning)
			}
		}
	}
	if st.State == proc.Stopped {
		return res, nil
	}
	// The daemon may remove its own pidfile on SIGTERM; remove one that
	// still names the process that was stopped (or a dead one), nothing
	// that a new daemon wrote meanwhile.
	if pid, err := proc.ReadPidfileAs(pidfile, a); err == nil && (pid == st.PID || !proc.Alive(pid)) || errors.Is(err, proc.ErrPidfileInvalid) {
		if err := proc.RemovePidfile(pidfile, a); err != nil {
			return res, fmt.Errorf("removing the pidfile %s: %w", pidfile, err)
		}
		res.RemovedPidfile = true
	}
	return res, nil
}

// awaitDead waits up to d until pid has exited (gone from /proc, or a
// zombie: dead, and waiting for its parent to reap it).
func awaitDead(ctx context.Context, pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if !proc.Alive(pid) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
}
