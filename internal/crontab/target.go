package crontab

import (
	"os/user"
	"path/filepath"
	"strconv"
	"time"
)

// Target is the account whose crontab is edited. The CLI fills it from
// the resolved spec.Account (package spec owns user lookup and the state
// directory rule, ${XDG_STATE_HOME:-$HOME/.local/state}/mkdaemon).
type Target struct {
	User     string // login name
	UID, GID int
	Home     string
	Current  bool   // the account mkdaemon runs as: no -u, no chown
	StateDir string // the target's mkdaemon state directory
	// LockHome, when set, replaces the account's home from the user
	// database in LockDir (for tests with a made-up home).
	LockHome string
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

// LockDir is where the lock on the target's crontab lives: the default
// state directory under the account's home as the user database has it.
// It depends on the account alone, not on XDG_STATE_HOME or $HOME, so that
// the user's own runs, with or without those set, and root's --user runs
// all take the same lock. (StateDir, for the backups, may follow
// XDG_STATE_HOME.)
func (t Target) LockDir() string {
	home := t.LockHome
	if home == "" {
		home = t.Home
		if u, err := user.LookupId(strconv.Itoa(t.UID)); err == nil && u.HomeDir != "" {
			home = u.HomeDir
		}
	}
	return filepath.Join(home, ".local", "state", "mkdaemon")
}
