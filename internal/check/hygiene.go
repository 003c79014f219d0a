package check

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Step 6: how well the daemon detached, read from /proc. These are warnings
// for programs mkdaemon did not write (plenty of them work under cron all
// the same) and failures for mkdaemon's own skeletons.
func (c *checker) hygiene() {
	p, err := proc.Stat(c.pid)
	if err != nil {
		c.fail(StepParent, ProblemDeadPID, fmt.Sprintf("PID %d exited before its hygiene could be read", c.pid))
		return
	}
	c.hygieneStep(StepParent, c.parent(p))
	c.hygieneStep(StepSession, c.session(p))
	c.hygieneStep(StepTerminal, terminal(p))
	c.hygieneStep(StepCwd, c.cwd(p))
	c.hygieneStep(StepFds, c.fds(p))
}

// observation is one hygiene finding: a problem, or none with the evidence.
type observation struct {
	problem  Problem
	evidence string
}

func (c *checker) hygieneStep(name string, o observation) {
	s := Step{Name: name, Passed: true, Problem: o.problem, Evidence: o.evidence}
	if o.problem != "" {
		if c.madeByScaffold() {
			s.Passed = false
			s.Evidence += " (a skeleton made by mkdaemon scaffold must detach cleanly)"
		} else {
			s.Warning = true
		}
	}
	c.add(s)
}

func describe(pid int) string {
	if p, err := proc.Stat(pid); err == nil {
		return fmt.Sprintf("PID %d (%s)", pid, p.Comm)
	}
	return fmt.Sprintf("PID %d", pid)
}

func (c *checker) parent(p proc.Process) observation {
	switch {
	case c.isLauncher(p.PID):
		return observation{ProblemNotDetached, fmt.Sprintf("PID %d is the job's shell itself: the program never forked, so the cron job never ends", p.PID)}
	case c.isLauncher(p.PPID):
		return observation{ProblemNotDetached, fmt.Sprintf("PID %d's parent is the job's shell, PID %d, which still waits for it: "+
			"the program does not detach, so the cron job that started it never ends; daemonize (fork, setsid, fork) or leave out --daemonizes so that start-stop-daemon does", p.PID, p.PPID)}
	}
	return observation{"", fmt.Sprintf("parent is %s, not the job's shell", describe(p.PPID))}
}

func (c *checker) session(p proc.Process) observation {
	switch {
	case p.SessionLeader():
		return observation{ProblemSessionLeader, fmt.Sprintf("PID %d leads its own session: it called setsid but did not fork again, "+
			"so opening a terminal device would make that its controlling terminal; fork once more after setsid", p.PID)}
	case c.isLauncher(p.Session):
		return observation{ProblemNoSetsid, fmt.Sprintf("PID %d is still in the session of the job's shell (session %d): it never called setsid; "+
			"started by hand from a terminal it would get SIGHUP when that terminal closes", p.PID, p.Session)}
	}
	return observation{"", fmt.Sprintf("session %d, which PID %d does not lead (setsid, then a second fork)", p.Session, p.PID)}
}

func terminal(p proc.Process) observation {
	if p.TTY == 0 {
		return observation{"", "no controlling terminal"}
	}
	return observation{ProblemTerminal, fmt.Sprintf("PID %d has a controlling terminal, %s: a hangup or Ctrl-C there reaches it; "+
		"a daemon detaches with setsid and then forks so that it can never acquire one", p.PID, ttyName(p.TTY))}
}

// ttyName names a tty_nr for the usual devices: pseudo-terminals (major
// 136-143) and virtual consoles (major 4).
func ttyName(nr int) string {
	major := (nr >> 8) & 0xfff
	minor := (nr & 0xff) | ((nr >> 12) & 0xfff00)
	switch {
	case major >= 136 && major <= 143:
		return fmt.Sprintf("/dev/pts/%d", (major-136)*256+minor)
	case major == 4 && minor < 64:
		return fmt.Sprintf("/dev/tty%d", minor)
	}
	return fmt.Sprintf("tty_nr %d (device %d:%d)", nr, major, minor)
}

func (c *checker) cwd(p proc.Process) observation {
	want := c.t.Chdir
	if want == "" {
		want = "/"
	}
	dir, err := os.Readlink(filepath.Join(proc.Root, strconv.Itoa(p.PID), "cwd"))
	if err != nil {
		return observation{"", fmt.Sprintf("cannot read the working directory of PID %d: %v", p.PID, err)}
	}
	if dir != filepath.Clean(want) {
		return observation{ProblemCwd, fmt.Sprintf("PID %d works in %s, not %s: a daemon should chdir to / "+
			"(or to the directory given with --chdir) so that it keeps no directory or mount busy", p.PID, dir, want)}
	}
	return observation{"", "works in " + dir}
}

// fds compares the daemon's descriptors with the files the check gave its
// shells: the job's stdin pipe, its output file and the fd 3 marker.
func (c *checker) fds(p proc.Process) observation {
	dir := filepath.Join(proc.Root, strconv.Itoa(p.PID), "fd")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return observation{"", fmt.Sprintf("cannot read the descriptors of PID %d: %v", p.PID, err)}
	}
	type known struct {
		fi   os.FileInfo
		what string
	}
	var ours []known
	for _, l := range c.launches {
		for _, k := range []struct {
			f    *os.File
			what string
		}{{l.stdin, "the job's stdin pipe"}, {l.out, "the job's output file"}, {l.marker, "the descriptor the check passed as fd 3"}} {
			if fi, err := k.f.Stat(); err == nil {
				ours = append(ours, known{fi, k.what})
			}
		}
	}
	held := map[string][]int{}
	var fds []int
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fds = append(fds, fd)
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		for _, k := range ours {
			if os.SameFile(fi, k.fi) {
				held[k.what] = append(held[k.what], fd)
				break
			}
		}
	}
	sort.Ints(fds)
	if len(held) == 0 {
		return observation{"", fmt.Sprintf("keeps none of the job's descriptors (%s open: %s)", plural(len(fds), "fd", "fds"), c.fdList(p.PID, fds))}
	}
	var parts []string
	for what, list := range held {
		sort.Ints(list)
		s := make([]string, len(list))
		for i, fd := range list {
			s[i] = strconv.Itoa(fd)
		}
		parts = append(parts, fmt.Sprintf("fd %s: %s", strings.Join(s, ", "), what))
	}
	sort.Strings(parts)
	return observation{ProblemInheritedFds, fmt.Sprintf("PID %d keeps descriptors of the job that started it (%s). "+
		"Under cron these are cron's pipe and output file, and whatever cron itself inherited: when daemonizing, "+
		"reopen stdin, stdout and stderr on /dev/null or a log file and close every descriptor above 2",
		p.PID, strings.Join(parts, "; "))}
}

// fdList renders "0 /dev/null, 1 /var/log/x.log, ..." for at most five fds.
func (c *checker) fdList(pid int, fds []int) string {
	var s []string
	for i, fd := range fds {
		if i == 5 {
			s = append(s, "...")
			break
		}
		target, err := os.Readlink(filepath.Join(proc.Root, strconv.Itoa(pid), "fd", strconv.Itoa(fd)))
		if err != nil {
			target = "?"
		}
		s = append(s, fmt.Sprintf("%d %s", fd, target))
	}
	return strings.Join(s, ", ")
}
