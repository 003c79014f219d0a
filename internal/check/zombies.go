package check

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Step 5: no process in state Z whose parent is the daemon or one of the
// check's shells, and none named like the daemon. A zombie counts only if it
// stays: the daemon's own children get a moment (a daemon that reaps on
// SIGCHLD may be caught between a child's exit and its wait), others the
// whole timeout, because the first process of a double fork is handed to
// PID 1, which on some machines reaps only after a second or two.
func (c *checker) zombies(ctx context.Context) bool {
	seen := c.findZombies()
	if len(seen) == 0 {
		return c.pass(StepZombies, c.zombiesEvidence())
	}
	start := time.Now()
	for {
		if !c.sleep(ctx) {
			return c.interrupted(StepZombies)
		}
		now := map[int]proc.Process{}
		for _, z := range c.findZombies() {
			now[z.PID] = z
		}
		var lasting, children []proc.Process
		for _, z := range seen {
			if z2, ok := now[z.PID]; ok && z2.PPID == z.PPID {
				lasting = append(lasting, z2)
				if z2.PPID == c.pid {
					children = append(children, z2)
				}
			}
		}
		waited := time.Since(start)
		switch {
		case len(lasting) == 0:
			return c.pass(StepZombies, c.zombiesEvidence()+fmt.Sprintf(" (%s seen, reaped within %s)",
				plural(len(seen), "zombie was", "zombies were"), roundDuration(waited)))
		case len(children) > 0 && waited >= c.grace/2:
			names := make([]string, len(children))
			for i, z := range children {
				names[i] = fmt.Sprintf("PID %d (%s)", z.PID, z.Comm)
			}
			return c.fail(StepZombies, ProblemZombieChild, fmt.Sprintf("the daemon PID %d leaves unreaped children: %s <defunct>. "+
				"It must wait for the children it starts (waitpid after each one, or a SIGCHLD handler that reaps them all); "+
				"each zombie holds a process slot until the daemon exits",
				c.pid, strings.Join(names, ", ")))
		case waited >= c.o.Timeout:
			texts := make([]string, len(lasting))
			for i, z := range lasting {
				texts[i] = explainZombie(z, waited)
			}
			return c.fail(StepZombies, ProblemZombieUnreaped, strings.Join(texts, "\n"))
		}
		seen = lasting
	}
}

// findZombies lists zombies whose parent is the daemon or one of the
// check's shells, or that carry the daemon's name under the account. Those
// handed to this process (a subreaper) are reaped first: they are the
// check's to reap, not the daemon's fault.
func (c *checker) findZombies() []proc.Process {
	c.reapOurs()
	ps, _ := proc.All()
	var out []proc.Process
	for _, p := range ps {
		if !p.Zombie() {
			continue
		}
		if (c.pid != 0 && p.PPID == c.pid) || c.isLauncher(p.PPID) ||
			(p.RunsAs(c.t.Account.UID) && c.hasName(p)) {
			out = append(out, p)
		}
	}
	return out
}

func (c *checker) zombiesEvidence() string {
	return fmt.Sprintf("no <defunct> child of PID %d or of the command, and none named %s", c.pid, c.t.Name)
}
