package check

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// When the first start fails under cron's environment and the user's login
// environment is known, the check runs the command once more with the
// variables of the login environment that cron's lacks or sets otherwise.
// If the daemon starts then, the environment is the cause, and a delta
// debugging search (ddmin) over those variables finds a smallest set that
// makes the start work: a few runs, halving the set each time, instead of
// one run per variable.

// sessionVars describe the login session itself, not anything a program
// needs; LOGNAME cannot be set in a crontab at all.
var sessionVars = map[string]bool{"PWD": true, "OLDPWD": true, "SHLVL": true, "_": true, "LOGNAME": true}

// maxTrials bounds the runs of one search: each may take up to the check's
// timeout.
const maxTrials = 16

// differing returns the NAME=value pairs of login that cron's environment
// lacks or sets to another value, sorted by name.
func differing(cron, login []string) []string {
	have := map[string]string{}
	for _, e := range cron {
		n, v, _ := strings.Cut(e, "=")
		have[n] = v
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range login {
		n, v, ok := strings.Cut(e, "=")
		if !ok || n == "" || sessionVars[n] || seen[n] {
			continue
		}
		seen[n] = true
		if cv, ok := have[n]; !ok || cv != v {
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out
}

// minimalSet finds a small subset of vars with which works is true, given
// that it is true for all of vars (ddmin, with "works" in the role of
// "fails"). It calls works at most budget times and reports whether the
// search finished: the set is then 1-minimal (removing any one variable
// breaks the start).
func minimalSet(vars []string, works func([]string) bool, budget int) ([]string, bool) {
	runs := 0
	try := func(s []string) (ok, out bool) {
		if runs >= budget {
			return false, true
		}
		runs++
		return works(s), false
	}
	s, n := vars, 2
	for len(s) >= 2 {
		chunks := split(s, n)
		found := false
		for _, c := range chunks {
			ok, out := try(c)
			if out {
				return s, false
			}
			if ok {
				s, n, found = c, 2, true
				break
			}
		}
		if !found && n > 2 {
			for i := range chunks {
				comp := complement(chunks, i)
				ok, out := try(comp)
				if out {
					return s, false
				}
				if ok {
					s, n, found = comp, max(n-1, 2), true
					break
				}
			}
		}
		if !found {
			if n >= len(s) {
				break
			}
			n = min(2*n, len(s))
		}
	}
	return s, true
}

// split cuts s into n parts of nearly equal size.
func split(s []string, n int) [][]string {
	var out [][]string
	for i := 0; i < n; i++ {
		from, to := i*len(s)/n, (i+1)*len(s)/n
		if from < to {
			out = append(out, s[from:to])
		}
	}
	return out
}

func complement(chunks [][]string, skip int) []string {
	var out []string
	for i, c := range chunks {
		if i != skip {
			out = append(out, c...)
		}
	}
	return out
}

// explainEnvironment looks for the environment behind a failed first
// start and adds what it found to the step's evidence.
func (c *checker) explainEnvironment(ctx context.Context, s *Step) {
	switch s.Problem {
	case ProblemExited, ProblemDeadPID, ProblemNoPidfile:
	default:
		return
	}
	if c.o.LoginEnv == nil || c.ctxErr != nil {
		return
	}
	diff := differing(c.job.env, c.o.LoginEnv)
	if len(diff) == 0 {
		return
	}
	if !c.trial(ctx, diff) {
		if c.ctxErr == nil {
			s.Evidence += "\nit fails with your login shell's environment too, so cron's environment is not the cause"
		}
		return
	}
	found, complete := minimalSet(diff, func(vars []string) bool { return c.trial(ctx, vars) }, maxTrials)
	if c.ctxErr != nil {
		return
	}
	c.report.MissingEnv = names(found)
	s.Evidence += "\n" + explainMissing(found, complete, len(diff), c.job.env)
}

// trial runs the command with cron's environment plus vars and reports
// whether the daemon started; one that did is stopped again.
func (c *checker) trial(ctx context.Context, vars []string) bool {
	j := c.job
	for _, v := range vars {
		j.env = setEnv(j.env, v)
	}
	if n := getEnv(j.env, "HOME"); n != "" {
		j.dir = n
	}
	// A daemon that died in an earlier run may still be a zombie that
	// nobody has reaped; start-stop-daemon would take it for the running
	// daemon and start nothing.
	if n, err := proc.ReadPidfileAs(c.t.Pidfile, c.acct()); err == nil {
		if p, err := proc.Stat(n); err == nil && p.Zombie() {
			c.awaitGone(ctx, n, c.o.Timeout)
		}
	}
	before := snapshotPidfile(c.t.Pidfile, c.acct())
	l, err := startLaunch(c.t.Command, c.t.Account, j, c.cred)
	if err != nil {
		return false
	}
	c.launches = append(c.launches, l)
	c.sessions[l.pid] = true
	deadline := l.started.Add(c.o.Timeout)
	var since time.Time
	pid := 0
	for {
		c.reapOurs()
		if l.exited() && !l.ok() {
			return false
		}
		if p, ok := c.running(); ok {
			c.adopt(p)
			if p.PID != pid {
				pid, since = p.PID, time.Now()
			}
			if right := time.Since(since); right >= c.settle && (l.exited() || right >= c.grace) {
				c.stop(ctx, p.PID)
				return true
			}
		} else {
			pid = 0
			if l.exited() && !before.same(c.t.Pidfile, c.acct()) {
				if n, err := proc.ReadPidfileAs(c.t.Pidfile, c.acct()); err == nil {
					if p, err := proc.Stat(n); err != nil || p.Zombie() {
						return false // it started and died
					}
				}
			}
		}
		if time.Now().After(deadline) || !c.sleep(ctx) {
			return false
		}
	}
}

func names(vars []string) []string {
	out := make([]string, len(vars))
	for i, v := range vars {
		out[i], _, _ = strings.Cut(v, "=")
	}
	return out
}

// explainMissing names the variables and the fix. Values are shown only
// for PATH-like variables: others may be secrets.
func explainMissing(found []string, complete bool, differ int, cron []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "with your login shell's environment it starts: of the %d variables in which it differs from cron's, ", differ)
	if complete {
		fmt.Fprintf(&b, "the start needs %s", strings.Join(names(found), ", "))
	} else {
		fmt.Fprintf(&b, "the search stopped after %d runs at these %d, which together make the start work: %s", maxTrials, len(found), strings.Join(names(found), ", "))
	}
	b.WriteString(" (cron's environment has ")
	var parts []string
	for _, v := range found {
		n, val, _ := strings.Cut(v, "=")
		cv, set := lookupEnv(cron, n)
		switch {
		case !set:
			parts = append(parts, "no "+n)
		case n == "PATH" || strings.HasSuffix(n, "PATH") || n == "HOME" || n == "SHELL":
			parts = append(parts, fmt.Sprintf("%s=%s, your shell %s", n, cv, val))
		default:
			parts = append(parts, n+" with another value")
		}
	}
	b.WriteString(strings.Join(parts, "; ") + "). ")
	var secret, path []string
	for _, n := range names(found) {
		switch {
		case n == "PATH" || strings.HasSuffix(n, "PATH"):
			path = append(path, n)
		default:
			secret = append(secret, n)
		}
	}
	if len(secret) > 0 {
		fmt.Fprintf(&b, "Give the program %s: put %s into a file only you can read and add --env-file FILE, or --env %s=VALUE (written into the crontab)",
			strings.Join(secret, ", "), assignments(secret), secret[0])
		if len(path) > 0 {
			b.WriteString("; ")
		}
	}
	if len(path) > 0 {
		fmt.Fprintf(&b, "%s decides which programs and modules are found: name the interpreter by its absolute path (on the #! line, or --program /path/to/venv/bin/python3 -- SCRIPT), or give --env %s=...",
			strings.Join(path, ", "), path[0])
	}
	return b.String()
}

func assignments(ns []string) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n + "=..."
	}
	return strings.Join(out, " ")
}

func lookupEnv(env []string, name string) (string, bool) {
	for _, e := range env {
		if n, v, _ := strings.Cut(e, "="); n == name {
			return v, true
		}
	}
	return "", false
}
