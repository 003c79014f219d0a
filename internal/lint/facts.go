package lint

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Facts is what the checks know about the machine, gathered once by
// Gather: the account whose crontab it is, and every file a line names
// (programs, interpreters, pidfiles and their directories, and each
// command in each directory of the PATH in force).
type Facts struct {
	Account spec.Account
	Spec    spec.Facts

	schedules map[string]parsedSchedule // a crontab repeats its schedules
}

type parsedSchedule struct {
	s   schedule.Schedule
	err error
}

// schedule is schedule.Parse, once per distinct expression.
func (f Facts) schedule(expr string) (schedule.Schedule, error) {
	if p, ok := f.schedules[expr]; ok {
		return p.s, p.err
	}
	s, err := schedule.Parse(expr)
	if f.schedules != nil {
		f.schedules[expr] = parsedSchedule{s, err}
	}
	return s, err
}

// lookPath finds a command in pathEnv the way sh does, by the facts.
func (f Facts) lookPath(name, pathEnv string) string {
	for _, d := range filepath.SplitList(pathEnv) {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		p := filepath.Join(d, name)
		if fi, ok := f.Spec.Files[p]; ok && !fi.Mode.IsDir() && fi.Mode&0o111 != 0 {
			return p
		}
	}
	return ""
}

// pamEnvFiles are the files whose NAME=value lines Debian's cron adds
// through pam_env (/etc/pam.d/cron), on a machine that has them.
var pamEnvFiles = []string{"/etc/environment", "/etc/default/locale"}

// setUnderCron reports whether a job gets the variable name from cron
// itself (spec.CronEnv), from sh (PWD), or from the machine's pam_env
// files.
func (f Facts) setUnderCron(name string) bool {
	if name == "PWD" || slices.ContainsFunc(spec.CronEnv(f.Account), func(kv string) bool { return strings.HasPrefix(kv, name+"=") }) {
		return true
	}
	for _, p := range pamEnvFiles {
		if slices.Contains(f.Spec.Files[p].EnvNames, name) {
			return true
		}
	}
	return false
}

// reaches reports whether a job gets to dir (see cdDir): "" where cron
// starts it, or an existing directory. It does not get to a directory
// that a cd fails to enter, nor is it known where a computed cd goes.
func (f Facts) reaches(home, dir string) bool {
	switch dir {
	case "":
		return true
	case unknownDir:
		return false
	}
	fi, ok := f.Spec.Files[where(home, dir, ".")]
	return ok && fi.Mode.IsDir()
}

// resolve is where for Check: "" also for a relative p in a directory the
// job does not reach, because the cd there failed (and was reported) and
// nothing after it runs.
func (f Facts) resolve(home, dir, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if !f.reaches(home, dir) {
		return ""
	}
	return where(home, dir, p)
}

// Gather reads what Check will ask about c, a crontab of the account
// user ("" is the current one). It only reads; what it cannot read is
// missing, and Check says why that is a problem.
func Gather(c Crontab, user string, env spec.Env) (Facts, error) {
	acct, err := spec.ResolveAccount(user, env)
	if err != nil {
		return Facts{}, err
	}
	g := spec.NewGatherer(env)
	g.Add(spec.Input{User: user})
	for _, p := range pamEnvFiles {
		g.EnvFile(p)
	}
	for _, l := range c {
		home := l.Home
		for _, o := range l.cmd.outputs {
			if p := where(home, o.dir, o.path); p != "" {
				g.Stat(p)
				g.Stat(path.Dir(p))
			}
		}
		for _, call := range l.cmd.calls {
			// The program, the directory a cd goes to and an
			// interpreter's script, where Check will look for them.
			switch word := call.prog; {
			case word == "":
			case word == "cd":
				g.Stat(where(home, cdDir(call.dir, call.args), "."))
			case strings.Contains(word, "/"):
				g.Stat(where(home, call.dir, word))
			default:
				for _, d := range filepath.SplitList(l.Path) {
					if filepath.IsAbs(d) {
						g.Stat(filepath.Join(d, word))
					}
				}
			}
			if s := script(call); s != "" {
				g.Stat(where(home, call.dir, s))
			}
			c := call.ssd
			if c == nil {
				continue
			}
			if c.Exec != "" {
				g.Add(spec.Input{Program: c.Exec, User: user})
			}
			switch {
			case filepath.IsAbs(c.Program) && filepath.IsAbs(c.Pidfile):
				g.Add(spec.Input{Program: c.Program, Name: c.Name, Pidfile: c.Pidfile, Log: c.Log,
					Chdir: c.Chdir, User: user, Interval: l.Schedule})
			case filepath.IsAbs(c.Program):
				g.Stat(c.Program) // Check still asks whether it exists
			}
		}
	}
	f := Facts{Account: acct, Spec: g.Facts(), schedules: map[string]parsedSchedule{}}
	return f, nil
}
