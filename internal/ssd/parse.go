package ssd

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/shell"
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
			envFile, _ = shell.Value(call.Args[1])
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
	c, err := ParseArgs(shell.Args(words, ""))
	c.EnvFile = envFile
	for _, a := range assigns {
		v := ""
		if a.Value != nil {
			var ok bool
			if v, ok = shell.Value(a.Value); !ok {
				continue
			}
		}
		c.Env = append(c.Env, a.Name.Value+"="+v)
	}
	return c, err
}

// valueOf is where the value of the option opt goes, or nil if opt takes
// none that Call keeps.
func (c *Call) valueOf(opt string) *string {
	switch opt {
	case "--pidfile", "-p":
		return &c.Pidfile
	case "--name", "-n":
		return &c.Name
	case "--output", "-O":
		return &c.Log
	case "--chdir", "-d":
		return &c.Chdir
	case "--startas", "-a":
		return &c.Program
	case "--exec", "-x":
		return &c.Exec
	}
	return nil
}

// ParseArgs reads the words of a start-stop-daemon call, args[0] being
// start-stop-daemon, as Parse does.
func ParseArgs(args []shell.Arg) (Call, error) {
	var c Call
	for i := 1; i < len(args); i++ {
		if args[i].Computed {
			continue
		}
		opt := args[i].Value
		if opt == "--" {
			for _, a := range args[i+1:] {
				c.ArgsComputed = c.ArgsComputed || a.Computed
				c.Args = append(c.Args, a.Value)
			}
			break
		}
		if opt == "--background" || opt == "-b" {
			c.Background = true
			continue
		}
		if k, v, ok := strings.Cut(opt, "="); ok && strings.HasPrefix(k, "--") {
			if p := c.valueOf(k); p != nil && *p == "" {
				*p = v
			}
			continue
		}
		p := c.valueOf(opt)
		if p == nil || i+1 == len(args) {
			continue
		}
		i++
		if args[i].Computed {
			return Call{}, fmt.Errorf("start-stop-daemon %s is given a value the shell computes, so it is not known before cron runs it", opt)
		}
		if *p == "" {
			*p = args[i].Value
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
