package crontab

import "strings"

// Job cuts a crontab job line into its schedule (five fields or an
// @-descriptor) and the command field as written, `%` escapes included
// (Unescape turns it into what /bin/sh -c gets). ok is false for comments,
// blank lines and environment settings; the blanks between the schedule's
// fields stay as written. mkdaemon check uses it to run an installed entry
// exactly as cron will.
func Job(line string) (schedule, command string, ok bool) {
	body := strings.TrimLeft(line, " \t")
	cmd, ok := commandOf(body)
	if !ok {
		return "", "", false
	}
	return strings.TrimRight(body[:len(body)-len(cmd)], " \t"), cmd, true
}

// Env reads an environment setting as Debian cron's load_env does: NAME,
// optional blanks, `=`, optional blanks, VALUE, with trailing blanks
// dropped and a NAME or VALUE in matching single or double quotes
// unquoted. ok is false for job lines, comments and blank lines. The
// setting applies to the job lines below it.
func Env(line string) (name, value string, ok bool) {
	body := strings.TrimLeft(line, " \t")
	if body == "" || body[0] == '#' || !isEnvLine(body) {
		return "", "", false
	}
	i := strings.IndexAny(body, "= \t")
	name = body[:i]
	value = strings.TrimLeft(strings.TrimLeft(body[i:], " \t")[1:], " \t")
	value = strings.TrimRight(value, " \t\r")
	return unquote(name), unquote(value), true
}

// unquote drops a pair of matching single or double quotes around s.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
