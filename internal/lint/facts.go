package lint

import (
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
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

// Gather reads what Check will ask about c, a crontab of the account
// user ("" is the current one). It only reads; what it cannot read is
// missing, and Check says why that is a problem.
func Gather(c Crontab, user string, env spec.Env) (Facts, error) {
	acct, err := spec.ResolveAccount(user, env)
	if err != nil {
		return Facts{}, err
	}
	ins := []spec.Input{{User: user}}
	var paths []string // commands, as absolute paths to look at
	parser := syntax.NewParser(syntax.Variant(syntax.LangPOSIX))
	for _, l := range c {
		if !l.Job {
			continue
		}
		file, err := l.sh(parser)
		if err != nil {
			continue
		}
		syntax.Walk(file, func(node syntax.Node) bool {
			call, ok := node.(*syntax.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			for _, w := range call.Args {
				word, literal := wordValue(w)
				switch {
				case !literal || word == "" || strings.HasPrefix(word, "-"):
				case strings.HasPrefix(word, "/"):
					paths = append(paths, word)
				case !strings.Contains(word, "/"):
					for _, d := range filepath.SplitList(l.Path) {
						if filepath.IsAbs(d) {
							paths = append(paths, filepath.Join(d, word))
						}
					}
				}
				if !wrappers[filepath.Base(word)] {
					break // the program is found; the rest are its arguments
				}
			}
			if word, _ := wordValue(call.Args[0]); filepath.Base(word) == "start-stop-daemon" {
				c, _ := ssd.ParseCall(call)
				if c.Exec != "" {
					ins = append(ins, spec.Input{Program: c.Exec, User: user})
				}
				if filepath.IsAbs(c.Program) && filepath.IsAbs(c.Pidfile) {
					ins = append(ins, spec.Input{Program: c.Program, Name: c.Name, Pidfile: c.Pidfile, Log: c.Log,
						Chdir: c.Chdir, User: user, Interval: l.Schedule})
				}
			}
			return true
		})
	}
	f := Facts{Account: acct, Spec: spec.GatherAll(ins, env), schedules: map[string]parsedSchedule{}}
	for _, p := range paths {
		if _, done := f.Spec.Files[p]; done {
			continue
		}
		if fi, ok := spec.Stat(p); ok {
			f.Spec.Files[p] = fi
		}
	}
	return f, nil
}
