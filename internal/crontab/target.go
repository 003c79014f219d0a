package crontab

import "time"

// Target is the account whose crontab is edited. The CLI fills it from
// the resolved spec.Account (package spec owns user lookup and the state
// directory rule, ${XDG_STATE_HOME:-$HOME/.local/state}/mkdaemon).
type Target struct {
	User     string // login name
	UID, GID int
	Home     string
	Current  bool   // the account mkdaemon runs as: no -u, no chown
	StateDir string // the target's mkdaemon state directory
}

// Tab returns the real crontab of the target. -u is passed only for
// another account: some crons refuse it even for oneself, and for oneself
// it needs no privilege.
func (t Target) Tab(timeout time.Duration) *Command {
	c := &Command{Timeout: timeout}
	if !t.Current {
		c.User = t.User
	}
	return c
}

// Owner is the uid and gid that files created for the target must have,
// or -1, -1 when they need no chown (the target is the current account).
func (t Target) Owner() (uid, gid int) {
	if t.Current {
		return -1, -1
	}
	return t.UID, t.GID
}
