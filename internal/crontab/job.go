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
