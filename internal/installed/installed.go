// Package installed reads back what mkdaemon installed: the managed blocks
// of a crontab, each with the pidfile and process name its
// start-stop-daemon line matches on and the state of that daemon. It parses
// the lines as sh with mvdan.cc/sh, so it stays out of the packages that
// `mkdaemon --print` needs.
package installed

import (
	"context"
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Daemon is one managed block read back from a crontab: what `mkdaemon
// list` shows.
type Daemon struct {
	Name     string `json:"name"`
	Schedule string `json:"schedule"` // of the first line that is not @reboot
	AtBoot   bool   `json:"at_boot"`
	// Pidfile and Process are the --pidfile and --name the
	// start-stop-daemon line matches on.
	Pidfile string `json:"pidfile,omitempty"`
	Process string `json:"process_name,omitempty"`
	proc.DaemonState
	// Problem says why the block could not be understood; State is then
	// empty.
	Problem string   `json:"problem,omitempty"`
	Lines   []string `json:"lines"`
}

// List reads the crontab and describes every managed block, with the state
// of its daemon from its pidfile and /proc.
func List(ctx context.Context, in *crontab.Installer) ([]Daemon, error) {
	text, err := in.Read(ctx)
	if err != nil {
		return nil, err
	}
	return Daemons(text)
}

// Daemons describes the managed blocks of a crontab text, inspecting each
// daemon's pidfile.
func Daemons(text string) ([]Daemon, error) {
	blocks, err := crontab.Blocks(text)
	if err != nil {
		return nil, err
	}
	out := make([]Daemon, 0, len(blocks))
	for _, b := range blocks {
		d := Of(b)
		if d.Problem == "" {
			d.DaemonState = proc.Inspect(d.Pidfile, d.Process)
		}
		out = append(out, d)
	}
	return out, nil
}

// Of reads a block's schedule, pidfile and process name back from
// its lines without looking at any process.
func Of(b crontab.Block) Daemon {
	d := Daemon{Name: b.Name, Lines: b.Lines}
	var problems []string
	for _, l := range b.Lines {
		sched, cmd, ok := crontab.Job(l)
		if !ok {
			continue
		}
		if sched == "@reboot" {
			d.AtBoot = true
		} else if d.Schedule == "" {
			d.Schedule = sched
		}
		if d.Pidfile != "" {
			continue
		}
		pidfile, name, err := ssdMatch(cmd)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		d.Pidfile, d.Process = pidfile, name
	}
	if d.Schedule == "" && d.AtBoot {
		d.Schedule = "@reboot"
	}
	switch {
	case d.Pidfile != "":
	case len(problems) > 0:
		d.Problem = strings.Join(problems, "; ")
	default:
		d.Problem = "no start-stop-daemon line in the block"
	}
	return d
}

// ssdMatch finds the start-stop-daemon call in a crontab command and
// returns the values of its --pidfile and --name.
func ssdMatch(command string) (pidfile, name string, err error) {
	sh, _ := crontab.Unescape(command)
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(sh), "")
	if err != nil {
		return "", "", fmt.Errorf("the command is not valid sh: %v", err)
	}
	var call *syntax.CallExpr
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && call == nil && len(c.Args) > 0 {
			if w, ok := literal(c.Args[0]); ok && path.Base(w) == "start-stop-daemon" {
				call = c
			}
		}
		return call == nil
	})
	if call == nil {
		return "", "", fmt.Errorf("no start-stop-daemon call in %q", command)
	}
	for i := 1; i < len(call.Args); i++ {
		arg, ok := literal(call.Args[i])
		if !ok {
			continue // an argument computed by the shell: not one we wrote
		}
		if arg == "--" {
			break // the program's own arguments follow
		}
		var target *string
		switch {
		case arg == "--pidfile" || arg == "-p":
			target = &pidfile
		case arg == "--name" || arg == "-n":
			target = &name
		case strings.HasPrefix(arg, "--pidfile="):
			pidfile = strings.TrimPrefix(arg, "--pidfile=")
		case strings.HasPrefix(arg, "--name="):
			name = strings.TrimPrefix(arg, "--name=")
		}
		if target != nil {
			if i+1 >= len(call.Args) {
				return "", "", fmt.Errorf("start-stop-daemon %s has no value", arg)
			}
			i++
			v, ok := literal(call.Args[i])
			if !ok {
				return "", "", fmt.Errorf("start-stop-daemon %s is not a plain word", arg)
			}
			*target = v
		}
	}
	if pidfile == "" {
		return "", "", fmt.Errorf("the start-stop-daemon line has no --pidfile")
	}
	if name == "" {
		return "", "", fmt.Errorf("the start-stop-daemon line has no --name")
	}
	return pidfile, name, nil
}

// literal returns the value of a shell word that the shell would not
// expand: plain text, quotes and backslash escapes only.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			v := p.Value
			if strings.ContainsAny(v, "*?[") || (i == 0 && strings.HasPrefix(v, "~")) {
				return "", false // globs and tildes expand
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
