package check

import (
	"context"
	"fmt"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// cleanup leaves at most one daemon behind: the one start-stop-daemon
// recognises (the pidfile's PID, alive and rightly named), kept when it was
// running before the check or when Options.Stop is off. Every other process
// the check started is stopped. A daemon that was running before and is
// gone now (a failed restart) is started once more.
func (c *checker) cleanup() {
	ctx := context.Background() // cleaning up is not optional
	keeper, ok := c.running()
	if ok && c.o.Stop && !c.report.WasRunning {
		c.adopt(keeper)
		c.stopNoted(ctx, keeper.PID, "stopped the daemon, PID %d (--stop)")
		if pid, err := proc.ReadPidfileAs(c.t.Pidfile, c.acct()); err == nil && pid == keeper.PID {
			// Like start-stop-daemon --stop --remove-pidfile, run by
			// the entry's account.
			proc.RemovePidfile(c.t.Pidfile, c.acct())
		}
		ok = false
	}
	for _, p := range c.ourProcesses() {
		if ok && (p.PID == keeper.PID || p.Session == keeper.Session) {
			continue
		}
		c.stopNoted(ctx, p.PID, "stopped PID %d, "+p.Comm+", which the check started")
	}
	c.reapOurs()
	if !ok && c.report.WasRunning {
		c.restore(ctx)
		keeper, ok = c.running()
	}
	if ok {
		c.report.PID = keeper.PID
	}
}

func (c *checker) stopNoted(ctx context.Context, pid int, format string) {
	if !proc.Alive(pid) {
		return // gone with its parent
	}
	termOK, g := c.stop(ctx, pid)
	note := fmt.Sprintf(format, pid)
	if !termOK {
		note += " with SIGKILL"
	}
	if !g.gone && g.zombie.PID != 0 {
		note += fmt.Sprintf("; it remains a zombie that its parent, PID %d, has not reaped", g.zombie.PPID)
	}
	c.report.Notes = append(c.report.Notes, note)
}

// restore starts a daemon that was running before the check and did not
// survive it.
func (c *checker) restore(ctx context.Context) {
	l, err := c.launch(c.t.Command)
	if err != nil {
		c.report.Notes = append(c.report.Notes, "could not start the daemon again: "+err.Error())
		return
	}
	pid, s := c.awaitStart(ctx, "restore", l, snapshotPidfile(c.t.Pidfile, c.acct()))
	if s.Passed {
		c.report.Notes = append(c.report.Notes, fmt.Sprintf("started the daemon again, as it was running before the check: PID %d", pid))
	} else {
		c.report.Notes = append(c.report.Notes, "the daemon was running before the check and could not be started again: "+s.Evidence)
	}
}
