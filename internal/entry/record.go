package entry

import (
	"fmt"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// The record of starts. start-stop-daemon without --oknodo exits 0 only
// when it started the daemon, so what follows it after && runs exactly
// then: a tick that finds the daemon running runs nothing more. The line
// stays plain sh that works without mkdaemon installed.

// dateCmd writes one UTC timestamp per line.
const dateCmd = "/bin/date -u +%Y-%m-%dT%H:%M:%SZ"

// TimeLayout is how a start is written in the record.
const TimeLayout = "2006-01-02T15:04:05Z"

// NotifyLines is how many of the log's last lines --notify prints.
const NotifyLines = 20

// StartsFile is the record of the daemon name's starts in the state
// directory.
func StartsFile(stateDir, name string) string {
	return filepath.Join(stateDir, name+".starts")
}

// record is the command's suffix: the start's time appended to the record
// and, with --notify, a line naming the daemon and the log's last lines,
// which cron mails to the crontab's owner.
func record(r *spec.Resolved) string {
	s := r.Spec
	date := dateCmd + " >> " + shell.Quote(StartsFile(r.StateDir, s.Name))
	if !s.Notify {
		return " && " + date
	}
	log := spec.LogOf(s)
	return " && { " + date + "; " + notifyCommand(s.Name, log) + "; }"
}

// NotifyMessage is the line --notify prints when a tick started the
// daemon.
func NotifyMessage(name, log string) string {
	msg := "mkdaemon: " + name + " was not running; cron started it"
	if log != "" {
		msg += fmt.Sprintf("; the last %d lines of %s:", NotifyLines, log)
	}
	return msg
}

func notifyCommand(name, log string) string {
	c := "echo " + shell.Quote(NotifyMessage(name, log))
	if log != "" {
		c += fmt.Sprintf("; /usr/bin/tail -n %d %s", NotifyLines, shell.Quote(log))
	}
	return c
}

// StartsOf reads the record's path back from a crontab command (cron's %
// escapes undone): the file a date command appends to. "" when there is
// none, as in entries installed before starts were recorded.
func StartsOf(command string) string {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		return ""
	}
	found := ""
	syntax.Walk(f, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok || found != "" {
			return found == ""
		}
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 || filepath.Base(call.Args[0].Lit()) != "date" {
			return true
		}
		for _, rd := range st.Redirs {
			if rd.Op == syntax.AppOut && rd.Word != nil {
				if v, ok := unquote(rd.Word); ok {
					found = v
				}
			}
		}
		return found == ""
	})
	return found
}

// unquote returns a word's value when it is plain text or single quoted,
// the forms package shell writes.
func unquote(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, `\*?[$~`) {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// Rotation is the logrotate setup of an entry: a config file and a state
// file in the state directory, and the crontab line that runs logrotate
// with them as the account (logrotate needs no root for one's own files).
type Rotation struct {
	Config, State string
	Content       string // the config file
}

// RotationOf is the rotation of r's log and record of starts. Output that
// start-stop-daemon appends (a foreground program) is rotated with
// copytruncate, since the daemon keeps writing to its open file; a
// skeleton notices that its log was moved and reopens it.
func RotationOf(r *spec.Resolved) Rotation {
	s := r.Spec
	rot := Rotation{
		Config: filepath.Join(r.StateDir, s.Name+".logrotate"),
		State:  filepath.Join(r.StateDir, s.Name+".logrotate.state"),
	}
	var b strings.Builder
	b.WriteString("# Written by mkdaemon for the entry " + s.Name + "; run from its crontab block.\n")
	if log := spec.LogOf(s); log != "" {
		fmt.Fprintf(&b, "%s {\n\tsize %s\n\trotate %d\n\tcompress\n\tdelaycompress\n\tmissingok\n\tnotifempty\n", confQuote(log), s.LogMax, s.LogKeep)
		if s.Mode == spec.ModeForeground {
			b.WriteString("\tcopytruncate\n")
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "%s {\n\tsize 64k\n\trotate 1\n\tmissingok\n\tnotifempty\n}\n", confQuote(StartsFile(r.StateDir, s.Name)))
	rot.Content = b.String()
	return rot
}

// confQuote quotes a path for a logrotate config.
func confQuote(p string) string { return `"` + p + `"` }

// rotationLines is the crontab line that runs logrotate every hour, or
// none when logrotate is not installed.
func rotationLines(r *spec.Resolved) []string {
	if r.Logrotate == "" {
		return nil
	}
	rot := RotationOf(r)
	return []string{"@hourly " + crontab.Escape(shell.Join([]string{r.Logrotate, "-s", rot.State, rot.Config}))}
}
