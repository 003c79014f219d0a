package spec

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// DiscardLog given as --log throws the program's output away; any other
// foreground program gets a log.
const DiscardLog = "/dev/null"

// Defaults of the log's rotation.
const (
	DefaultLogMax  = "10M"
	DefaultLogKeep = 5
)

// logrotatePath is where Debian's logrotate package installs it.
const logrotatePath = "/usr/sbin/logrotate"

// LookupLogrotate returns logrotate's path, or "" when it is not installed.
// The crontab line names it by its full path: cron's PATH has no sbin.
func LookupLogrotate() string {
	if fi, err := os.Stat(logrotatePath); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
		return logrotatePath
	}
	return ""
}

// logSize is logrotate's size syntax: a number of bytes, or of k, M or G.
var logSize = regexp.MustCompile(`^[1-9][0-9]{0,9}[kMG]?$`)

// resolveDayTwo fills in the log's default and the rotation settings.
// A foreground program's output goes to NAME.log in the state directory
// unless --log names another file or /dev/null; the state directory is
// created on install, like the default pidfile's.
func resolveDayTwo(in Input, s *Spec, r *Resolved) error {
	if in.Log == "" && s.Mode == ModeForeground {
		s.Log = filepath.Join(r.StateDir, s.Name+".log")
		r.DefaultLog = true
	}
	s.LogMax = in.LogMax
	if s.LogMax == "" {
		s.LogMax = DefaultLogMax
	}
	if !logSize.MatchString(s.LogMax) {
		return &Error{Flag: "--log-max", Value: in.LogMax, Msg: "is not a size logrotate understands",
			Hint: "give a number of bytes, or of k, M or G, such as 10M"}
	}
	s.LogKeep = DefaultLogKeep
	if in.LogKeep != "" {
		n, err := strconv.Atoi(in.LogKeep)
		if err != nil || n < 0 || n > 1000 {
			return &Error{Flag: "--log-keep", Value: in.LogKeep, Msg: "is not a number of rotated logs from 0 to 1000",
				Hint: "--log-keep 5 keeps five compressed old logs"}
		}
		s.LogKeep = n
	}
	s.Notify = in.Notify
	return nil
}

// LogOf is the file the daemon's output goes to, "" when unknown: --log,
// or for a program mkdaemon scaffold made, the default it was written
// with (NAME.log beside its pidfile).
func LogOf(s Spec) string {
	if s.Log == "" && s.Skeleton {
		return filepath.Join(filepath.Dir(s.Pidfile), s.Name+".log")
	}
	return s.Log
}
