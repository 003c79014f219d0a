package crontab

import (
	"fmt"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/schedule"
)

// MaxCommand is the longest command field Debian cron accepts, in bytes
// (`crontab -` refuses the whole file with "command too long").
const MaxCommand = 998

// Escape returns a shell command as it must stand in a crontab line: cron
// turns an unescaped `%` into a newline and feeds the rest to stdin, so
// every `%` is written `\%`. The command must not hold a backslash directly
// before a `%` (package shell never produces one), or cron would read the
// pair differently.
func Escape(command string) string {
	return strings.ReplaceAll(command, "%", `\%`)
}

// Unescape does to a crontab command field what cron does before it runs
// /bin/sh -c: `\%` becomes `%`, any other backslash stays, and the first
// unescaped `%` ends the command; the rest, with every further unescaped
// `%` turned into a newline, is the job's standard input.
func Unescape(field string) (command, stdin string) {
	if !strings.ContainsAny(field, `%\`) {
		return field, ""
	}
	var cmd []byte
	escaped := false
	for i := 0; i < len(field); i++ {
		c := field[i]
		switch {
		case escaped && c == '%':
			cmd[len(cmd)-1] = '%'
			escaped = false
			continue
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '%':
			return string(cmd), strings.ReplaceAll(field[i+1:], "%", "\n") + "\n"
		}
		cmd = append(cmd, c)
	}
	return string(cmd), ""
}

// CommandTooLongError is returned when cron would refuse the line.
type CommandTooLongError struct{ Len int }

func (e *CommandTooLongError) Error() string {
	return fmt.Sprintf("the crontab command is %d bytes; Debian cron refuses commands longer than %d bytes", e.Len, MaxCommand)
}

// Lines renders the crontab line(s) that run command on the schedule, and a
// second `@reboot` line when atBoot is set and the schedule is not already
// @reboot.
func Lines(s schedule.Schedule, atBoot bool, command string) ([]string, error) {
	field := Escape(command)
	if len(field) > MaxCommand {
		return nil, &CommandTooLongError{Len: len(field)}
	}
	lines := []string{s.Expr + " " + field}
	if atBoot && !s.Reboot() {
		lines = append(lines, "@reboot "+field)
	}
	return lines, nil
}
