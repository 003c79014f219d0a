package crontab

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"
)

// Target is the account whose crontab is edited.
type Target struct {
	User    string // login name
	UID     int
	GID     int
	Home    string
	Current bool // the account mkdaemon runs as
}

// LookupTarget resolves the account named by --user; "" is the current
// account.
func LookupTarget(name string) (Target, error) {
	var (
		u   *user.User
		err error
	)
	if name == "" {
		u, err = user.Current()
	} else {
		u, err = user.Lookup(name)
		if _, ok := err.(user.UnknownUserError); ok {
			return Target{}, fmt.Errorf("--user %q: no such user; give an existing login name", name)
		}
	}
	if err != nil {
		return Target{}, fmt.Errorf("looking up user %q: %w", name, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return Target{}, fmt.Errorf("user %q has a non-numeric uid %q", u.Username, u.Uid)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return Target{}, fmt.Errorf("user %q has a non-numeric gid %q", u.Username, u.Gid)
	}
	return Target{
		User:    u.Username,
		UID:     uid,
		GID:     gid,
		Home:    u.HomeDir,
		Current: uid == os.Getuid(),
	}, nil
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

// StateDir is ${XDG_STATE_HOME:-$HOME/.local/state}/mkdaemon of the target.
// For the current account the environment decides, as the XDG spec says;
// for another account (--user, as root) the invoking environment belongs
// to root, so the target's home from the password database is used.
func (t Target) StateDir() string {
	if t.Current {
		if x := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
			return filepath.Join(x, "mkdaemon")
		}
		if h := os.Getenv("HOME"); filepath.IsAbs(h) {
			return filepath.Join(h, ".local", "state", "mkdaemon")
		}
	}
	return filepath.Join(t.Home, ".local", "state", "mkdaemon")
}

// Owner is the uid and gid that files created for the target must have,
// or -1, -1 when they need no chown (the target is the current account).
func (t Target) Owner() (uid, gid int) {
	if t.Current {
		return -1, -1
	}
	return t.UID, t.GID
}
