package check

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// TargetFromCommand reads a check target back from a crontab command (the
// command field with cron's % escapes undone, as /bin/sh -c gets it): the
// start-stop-daemon call's --pidfile and --name, and --output (the log),
// --chdir and --startas or --exec (the program) when present. Account is
// left for the caller. Only values written as plain words count: a value
// the shell computes ($HOME, $(...)) is not known until cron runs it.
func TargetFromCommand(command string) (Target, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		return Target{}, fmt.Errorf("the command is not valid POSIX sh: %w", err)
	}
	var words []*syntax.Word
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && words == nil {
			for i, w := range call.Args {
				if isSSD(w.Lit()) {
					words = call.Args[i:]
					break
				}
			}
		}
		return words == nil
	})
	if words == nil {
		return Target{}, fmt.Errorf("no start-stop-daemon call in %q", command)
	}
	t := Target{Command: command}
	values := map[string]*string{
		"--pidfile": &t.Pidfile, "-p": &t.Pidfile,
		"--name": &t.Name, "-n": &t.Name,
		"--output": &t.Log, "-O": &t.Log,
		"--chdir": &t.Chdir, "-d": &t.Chdir,
		"--startas": &t.Program, "-a": &t.Program,
		"--exec": &t.Program, "-x": &t.Program,
	}
	for i := 1; i < len(words); i++ {
		opt, ok := literalWord(words[i])
		if !ok {
			continue
		}
		if opt == "--" {
			break
		}
		if k, v, ok := strings.Cut(opt, "="); ok && strings.HasPrefix(k, "--") {
			if p := values[k]; p != nil && *p == "" {
				*p = v
			}
			continue
		}
		p := values[opt]
		if p == nil || i+1 == len(words) {
			continue
		}
		i++
		v, ok := literalWord(words[i])
		if !ok {
			return Target{}, fmt.Errorf("start-stop-daemon %s is given a value the shell computes: the check needs it written out", opt)
		}
		if *p == "" { // --startas wins over a later --exec
			*p = v
		}
	}
	switch {
	case t.Pidfile == "":
		return Target{}, errors.New("the start-stop-daemon call has no --pidfile: the check reads the daemon's PID from it")
	case t.Name == "":
		return Target{}, errors.New("the start-stop-daemon call has no --name: the check compares the daemon's process name with it")
	}
	return t, nil
}

// literalWord returns a word's value after quote removal when the shell
// would not expand anything in it.
func literalWord(w *syntax.Word) (string, bool) {
	plain := true
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob, *syntax.BraceExp:
			plain = false
		case *syntax.Lit:
			if strings.ContainsAny(n.Value, "*?[~") {
				plain = false
			}
		}
		return plain
	})
	if !plain {
		return "", false
	}
	s, err := expand.Literal(nil, w)
	return s, err == nil
}
