package check

import (
	"context"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Which processes did the check start? A daemon leaves the shell's process
// tree on purpose, so the tree cannot say. The check counts as its own every
// process that was not there before it began, belongs to the account, and
// either lives in a session the check created (each shell is a session
// leader, as under cron) or one of its daemons created, or carries the
// daemon's name (see hasName). Nothing else is ever signalled. (A wrong
// process name seen in the pidfile, such as "perl", is not taken as a
// mark: the user's other perl programs must stay alone.)

func (c *checker) ours(p proc.Process) bool {
	if c.before[p.PID] || !p.RunsAs(c.t.Account.UID) {
		return false
	}
	return c.sessions[p.Session] || c.hasName(p)
}

// hasName reports whether p carries the daemon's name, and is the
// program's: a name alone may also be that of the account's other
// programs, which can start while the check runs (another bot's cron
// tick), and "python3", the name a script with an env shebang gets, is
// every python3's. So p's arguments must name the program as well, as
// they do however it runs: a binary's first argument, a script's after
// its interpreter's, or the program's own name alone once it has
// renamed itself. A zombie has no arguments left; it is never signalled,
// only reaped by its parent, and its name is enough.
func (c *checker) hasName(p proc.Process) bool {
	if p.Comm != c.t.Name {
		return false
	}
	if c.t.Program == "" || p.Zombie() {
		return true
	}
	args, err := proc.Cmdline(p.PID)
	return err == nil && (slices.Contains(args, c.t.Program) || len(args) == 1 && args[0] == c.t.Name)
}

// ourProcesses lists the live processes the check started.
func (c *checker) ourProcesses() []proc.Process {
	ps, _ := proc.All()
	var out []proc.Process
	for _, p := range ps {
		if !p.Zombie() && c.ours(p) {
			out = append(out, p)
		}
	}
	return out
}

// adopt records a daemon the check started, so that its session marks its
// relatives as the check's too.
func (c *checker) adopt(p proc.Process) {
	if !c.before[p.PID] && p.RunsAs(c.t.Account.UID) {
		c.sessions[p.Session] = true
	}
}

// named lists the live processes of the account with the daemon's name.
func (c *checker) named() []proc.Process {
	ps, _ := proc.All()
	var out []proc.Process
	for _, p := range ps {
		if !p.Zombie() && p.RunsAs(c.t.Account.UID) && c.hasName(p) {
			out = append(out, p)
		}
	}
	return out
}

// instances groups the live processes with the daemon's name by session.
// A copy of a daemon runs in a session of its own (it called setsid, or
// stayed in the session of the shell that started it), while its workers,
// and the short-lived forks a shell script makes before each command, share
// its session: counting sessions counts copies.
func (c *checker) instances() map[int][]proc.Process {
	out := map[int][]proc.Process{}
	for _, p := range c.named() {
		out[p.Session] = append(out[p.Session], p)
	}
	return out
}

// newNamed lists the live processes with the daemon's name that the check
// started, except skip.
func (c *checker) newNamed(skip int) []proc.Process {
	var out []proc.Process
	for _, p := range c.named() {
		if !c.before[p.PID] && p.PID != skip {
			out = append(out, p)
		}
	}
	return out
}

// reapOurs reaps zombies that were handed to this process: when it is a
// child subreaper (tests are), the daemons it starts become its children
// once their shell exits, and nobody else will wait for them. The shells
// themselves are left to their exec.Cmd.
func (c *checker) reapOurs() {
	ps, _ := proc.All()
	for _, p := range ps {
		if p.Zombie() && p.PPID == c.self && !c.isLauncher(p.PID) && (c.ours(p) || p.PID == c.pid) {
			unix.Wait4(p.PID, nil, unix.WNOHANG, nil)
		}
	}
}

// gone is the outcome of waiting for a process to disappear.
type gone struct {
	gone   bool
	zombie proc.Process // set when it stayed a zombie: its PPID is who fails to reap it
	took   time.Duration
	// unreaped is how long it was a zombie before it went, and parent
	// who reaped it then (0 when it never was one).
	unreaped time.Duration
	parent   int
}

// awaitGone waits up to d until pid has left /proc, reaping it if it is
// this process's own child.
func (c *checker) awaitGone(ctx context.Context, pid int, d time.Duration) gone {
	start := time.Now()
	var died time.Time
	parent := 0
	for {
		p, err := proc.Stat(pid)
		if err != nil {
			g := gone{gone: true, took: time.Since(start), parent: parent}
			if !died.IsZero() {
				g.unreaped = time.Since(died)
			}
			return g
		}
		if p.Zombie() && p.PPID == c.self && !c.isLauncher(pid) {
			unix.Wait4(pid, nil, unix.WNOHANG, nil)
			continue
		}
		if p.Zombie() && died.IsZero() {
			died, parent = time.Now(), p.PPID
		}
		if time.Since(start) >= d {
			g := gone{took: time.Since(start)}
			if p.Zombie() {
				g.zombie = p
			}
			return g
		}
		if !c.sleep(ctx) {
			return gone{took: time.Since(start)}
		}
	}
}

// stop sends SIGTERM, then SIGKILL after the timeout, and waits for the
// process to be gone. It returns how it went. Both signals go through
// proc.Signal: a process that does not run as the entry's account is never
// signalled, whatever led here.
func (c *checker) stop(ctx context.Context, pid int) (termOK bool, g gone) {
	if err := proc.Signal(pid, c.t.Account.UID, syscall.SIGTERM); err != nil {
		return true, gone{gone: true}
	}
	g = c.awaitGone(ctx, pid, c.o.Timeout)
	if g.gone || g.zombie.PID != 0 || c.ctxErr != nil {
		return true, g // interrupted: no SIGKILL for a daemon that may be slow to stop
	}
	proc.Signal(pid, c.t.Account.UID, syscall.SIGKILL)
	return false, c.awaitGone(ctx, pid, c.o.Timeout)
}
