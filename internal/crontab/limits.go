package crontab

import (
	"fmt"
	"strings"
)

// MaxLines is Debian cron's other limit besides MaxCommand, measured with
// cron 3.0pl1-162: a file with 10,000 newlines installs and one with 10,001
// is "crontab is too long". (For MaxCommand, a command counts everything
// after the schedule and the blanks that follow it, trailing blanks
// included: 998 bytes install, 999 do not.)
const MaxLines = 10000

// LimitError is a crontab that Debian's crontab would refuse.
type LimitError struct {
	Line   int // 1-based; 0 when about the whole text
	Reason string
}

func (e *LimitError) Error() string {
	if e.Line == 0 {
		return "the new crontab would be refused by crontab: " + e.Reason
	}
	return fmt.Sprintf("the new crontab would be refused by crontab: line %d: %s", e.Line, e.Reason)
}

// CheckLimits refuses, before anything is written, a text that crontab
// would reject as a whole: a missing final newline, more than MaxLines
// lines, a command longer than MaxCommand bytes. The empty text is a valid,
// empty crontab.
func CheckLimits(text string) error {
	if text == "" {
		return nil
	}
	if !strings.HasSuffix(text, "\n") {
		return &LimitError{Reason: "it does not end with a newline"}
	}
	if n := strings.Count(text, "\n"); n > MaxLines {
		return &LimitError{Reason: fmt.Sprintf("it has %d lines, more than the %d crontab accepts", n, MaxLines)}
	}
	var err error
	eachLine(text, func(n, _, _ int, l string) bool {
		// Only a line longer than the limit can hold a command that is.
		if len(l) <= MaxCommand {
			return true
		}
		if cmd, ok := commandOf(l); ok && len(cmd) > MaxCommand {
			err = &LimitError{Line: n, Reason: fmt.Sprintf("the command is %d bytes, more than the %d crontab accepts; shorten the program path or its arguments", len(cmd), MaxCommand)}
			return false
		}
		return true
	})
	return err
}

// commandOf returns the command field of a job line, and false for blank
// lines, comments and environment settings, which cron reads as they do.
func commandOf(line string) (string, bool) {
	rest := strings.TrimLeft(line, " \t")
	if rest == "" || rest[0] == '#' || isEnvLine(rest) {
		return "", false
	}
	fields := 5
	if rest[0] == '@' {
		fields = 1
	}
	for range fields {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return "", false // cron reports a bad field; not a length problem
		}
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	return rest, true
}

// isEnvLine follows cron's load_env: a name, optional blanks, then '='.
// A job line fails it because its first field is followed by a blank and a
// second field.
func isEnvLine(s string) bool {
	i := strings.IndexAny(s, "= \t")
	if i <= 0 {
		return false
	}
	return strings.TrimLeft(s[i:], " \t") != "" && strings.TrimLeft(s[i:], " \t")[0] == '='
}
