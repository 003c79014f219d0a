package ssd

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The options Parse requires.
var (
	ErrNoPidfile = errors.New("the start-stop-daemon call has no --pidfile")
	ErrNoName    = errors.New("the start-stop-daemon call has no --name")
)

// Call is what a start-stop-daemon command line says, read back from a
// crontab: the options that pick the process and start the program.
type Call struct {
	Pidfile, Name string
	Program       string // --startas, or --exec when there is none
	Exec          string // --exec: the file /proc/PID/exe must be
	Log, Chdir    string // --output, --chdir
	Background    bool   // --background: the program stays in the foreground
	// Args are the program's own arguments, after --, when every one is
	// a plain word; ArgsComputed is true when one is not.
	Args         []string
	ArgsComputed bool
	// Env are the NAME=value assignments written before the call, and
	// EnvFile the file a `. FILE` before it reads (the prefix mkdaemon
	// writes for --env and --env-file); values the shell computes are
	// left out.
	Env     []string
	EnvFile string
}

// Parse reads the first start-stop-daemon call of a POSIX sh command (the
// command field with cron's % escapes undone, as /bin/sh -c gets it). Only
// values written as plain words count: a value the shell computes ($HOME,
// $(...)) is not known until cron runs it, and is an error for the options
// Call holds. --pidfile and --name are required: without them the Call
// read so far comes with the error.
func Parse(command string) (Call, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		return Call{}, fmt.Errorf("the command is not valid POSIX sh: %w", err)
	}
	var (
		words   []*syntax.Word
		assigns []*syntax.Assign
		envFile string
	)
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || words != nil {
			return words == nil
		}
		if len(call.Args) == 2 && call.Args[0].Lit() == "." {
			envFile, _ = literalWord(call.Args[1])
		}
		for i, w := range call.Args {
			if lit := w.Lit(); lit == "start-stop-daemon" || strings.HasSuffix(lit, "/start-stop-daemon") {
				words, assigns = call.Args[i:], call.Assigns
				break
			}
		}
		return words == nil
	})
	if words == nil {
		return Call{}, fmt.Errorf("no start-stop-daemon call in %q", command)
	}
	c, err := ParseWords(words)
	c.EnvFile = envFile
	for _, a := range assigns {
		v := ""
		if a.Value != nil {
			var ok bool
			if v, ok = literalWord(a.Value); !ok {
				continue
			}
		}
		c.Env = append(c.Env, a.Name.Value+"="+v)
	}
	return c, err
}

// ParseWords reads the words of a start-stop-daemon call already parsed,
// words[0] being start-stop-daemon, as Parse does.
func ParseWords(words []*syntax.Word) (Call, error) {
	var c Call
	values := map[string]*string{
		"--pidfile": &c.Pidfile, "-p": &c.Pidfile,
		"--name": &c.Name, "-n": &c.Name,
		"--output": &c.Log, "-O": &c.Log,
		"--chdir": &c.Chdir, "-d": &c.Chdir,
		"--startas": &c.Program, "-a": &c.Program,
		"--exec": &c.Exec, "-x": &c.Exec,
	}
	for i := 1; i < len(words); i++ {
		opt, ok := literalWord(words[i])
		if !ok {
			continue
		}
		if opt == "--" {
			for _, w := range words[i+1:] {
				a, ok := literalWord(w)
				if !ok {
					c.ArgsComputed = true
				}
				c.Args = append(c.Args, a)
			}
			break
		}
		if opt == "--background" || opt == "-b" {
			c.Background = true
			continue
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
			return Call{}, fmt.Errorf("start-stop-daemon %s is given a value the shell computes, so it is not known before cron runs it", opt)
		}
		if *p == "" {
			*p = v
		}
	}
	if c.Program == "" {
		c.Program = c.Exec
	}
	// What was read is returned with these errors too, for a linter.
	switch {
	case c.Pidfile == "":
		return c, ErrNoPidfile
	case c.Name == "":
		return c, ErrNoName
	}
	return c, nil
}

// literalWord returns a word's value after quote removal when the shell
// would not expand anything in it: plain text, quotes and backslash
// escapes only. Globs, a leading tilde, $... and `...` are computed.
func literalWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			v := p.Value
			if strings.ContainsAny(v, "*?[") || (i == 0 && strings.HasPrefix(v, "~")) {
				return "", false
			}
			unescape(&b, v, func(byte) bool { return true })
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				// Inside double quotes a backslash escapes only these.
				unescape(&b, lit.Value, func(c byte) bool { return strings.IndexByte("$`\"\\\n", c) >= 0 })
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape copies s, dropping a backslash before a character for which
// special is true and a backslash-newline pair altogether.
func unescape(b *strings.Builder, s string, special func(byte) bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch {
			case s[i+1] == '\n':
				i++
				continue
			case special(s[i+1]):
				i++
			}
		}
		b.WriteByte(s[i])
	}
}
