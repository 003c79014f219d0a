package check

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// The texts that turn an observation into a diagnosis live here, so that
// the steps read as the procedure and the explanations can be read together.

// interpreter matches the process names a script gets when it runs through
// its interpreter instead of under its own name.
var interpreter = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(python|perl|php|ruby|node|nodejs|bash|sh|dash|java|lua|tclsh)[0-9.]*$`)
})

// explainName says why a process is named actual rather than want and how
// to fix the command.
func explainName(pid int, actual, want string) string {
	if interpreter().MatchString(actual) {
		return fmt.Sprintf("PID %d is named %q, not %q: the script runs under its interpreter's name "+
			"(a `#!/usr/bin/env %s` shebang, or `%s SCRIPT` in the command), so start-stop-daemon --name %s never matches it "+
			"and starts another copy on every tick; give the script an absolute shebang such as #!/usr/bin/%s and start the script itself, "+
			"or use --name %s",
			pid, actual, want, actual, actual, want, actual, actual)
	}
	cut := ""
	if len(actual) == 15 {
		cut = ", cut to 15 characters"
	}
	return fmt.Sprintf("PID %d is named %q, not %q (the kernel names a process after the file it executes%s), "+
		"so start-stop-daemon --name %s never matches it and starts another copy on every tick: use --name %s",
		pid, actual, want, cut, want, actual)
}

// explainZombie explains a zombie that its parent does not reap: the trap
// of containers without an init, and of PID 1 on machines that reap late.
func explainZombie(z proc.Process, waited time.Duration) string {
	parent := fmt.Sprintf("PID %d", z.PPID)
	if pp, err := proc.Stat(z.PPID); err == nil {
		parent = fmt.Sprintf("PID %d (%s)", z.PPID, pp.Comm)
	}
	waiting := ""
	if waited > 0 {
		waiting = " in " + roundDuration(waited)
	}
	s := fmt.Sprintf("PID %d (%s) is a zombie: it has exited, but its parent %s has not reaped it%s. "+
		"While the zombie stays, start-stop-daemon finds a process with the right name in the pidfile, says "+
		"\"process already running.\" and starts nothing, so cron never restarts the daemon. ",
		z.PID, z.Comm, parent, waiting)
	if z.PPID == 1 {
		return s + "Orphans are reaped by PID 1, and this PID 1 does not reap them (promptly): in a container started " +
			"without an init, zombies are never reaped at all. Run the container with an init that reaps " +
			"(docker run --init, or tini as PID 1), or run cron under one (tini -s -- cron -f)"
	}
	return s + "A process must wait for its children; if that parent is a child subreaper or a container's " +
		"PID 1, run it under an init that reaps (tini)"
}

// explainWriteBeforeFork explains a pidfile that names the parent of the
// real daemon.
func explainWriteBeforeFork(dead int, live []proc.Process) string {
	pids := make([]string, len(live))
	for i, p := range live {
		pids[i] = fmt.Sprint(p.PID)
	}
	return fmt.Sprintf("the pidfile names PID %d, which has exited, while the daemon runs as PID %s: "+
		"the program writes its pidfile before it forks, so it records the parent's PID (the write-before-fork bug). "+
		"start-stop-daemon then never finds the daemon and starts another copy on every tick; "+
		"write the pidfile in the final child, after the last fork",
		dead, strings.Join(pids, ", "))
}

// shNotFound is dash's message for a command it cannot find.
var shNotFound = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^sh: \d+: .*: not found$`) })

// explainExit adds what is known about a command that exited non-zero.
func explainExit(code int, output string) string {
	switch {
	case code == 127 || shNotFound().MatchString(output):
		return "a program in the command was not found: cron's PATH is only /usr/bin:/bin, so write every program with its absolute path"
	case code == 126 || strings.Contains(output, "Permission denied"):
		return "the program could not be executed: it must be executable (and readable, for a script) by the crontab's user"
	case code == 2 && strings.Contains(output, "start-stop-daemon"):
		return "start-stop-daemon refused to start it (status 2: a fatal error, see its message)"
	}
	return ""
}

// withOutput appends the job's output and the log's tail to evidence.
func withOutput(evidence string, l *launch, log daemonLog) string {
	if l != nil {
		if out := l.output(); out != "" {
			evidence += "\noutput of the command:\n" + indent(out)
		}
	}
	if tail := log.tail(); tail != "" && log.captured {
		evidence += "\nthe program's own output (captured by the check; the entry has no --log):\n" + indent(tail)
	} else if tail != "" {
		evidence += "\ntail of " + log.path + ":\n" + indent(tail)
	}
	return evidence
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// roundDuration renders a wait for people: 10ms steps, and never "0s".
func roundDuration(d time.Duration) string {
	if d < 10*time.Millisecond {
		return "under 10ms"
	}
	return d.Round(10 * time.Millisecond).String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
