package check

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// Account is the user whose crontab runs the daemon: cron runs the job with
// that user's IDs, HOME and LOGNAME, and so does the check.
type Account struct {
	Name string // login name, cron's LOGNAME
	UID  int
	GID  int
	Home string // cron's HOME and the job's working directory
}

// LookupAccount returns the account of the named user, or of the current
// user when name is "".
func LookupAccount(name string) (Account, error) {
	var u *user.User
	var err error
	if name == "" {
		u, err = user.Current()
	} else {
		u, err = user.Lookup(name)
	}
	if err != nil {
		if name == "" {
			return Account{}, fmt.Errorf("looking up the current user: %w", err)
		}
		return Account{}, fmt.Errorf("no user %q on this system: %w", name, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return Account{}, fmt.Errorf("user %q has a non-numeric uid %q", u.Username, u.Uid)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return Account{}, fmt.Errorf("user %q has a non-numeric gid %q", u.Username, u.Gid)
	}
	return Account{Name: u.Username, UID: uid, GID: gid, Home: u.HomeDir}, nil
}

// credential returns the IDs the job must run with, or nil when the check
// already runs as that user. Like cron (initgroups) the job gets the user's
// supplementary groups too. Only root can run a job as someone else.
func (a Account) credential() (*syscall.Credential, error) {
	euid := os.Geteuid()
	if a.UID == euid {
		return nil, nil
	}
	if euid != 0 {
		return nil, fmt.Errorf("the entry runs as %s (uid %d) but the check runs as uid %d: run the check as root or as %s", a.Name, a.UID, euid, a.Name)
	}
	c := &syscall.Credential{Uid: uint32(a.UID), Gid: uint32(a.GID)}
	if u, err := user.LookupId(strconv.Itoa(a.UID)); err == nil {
		if ids, err := u.GroupIds(); err == nil {
			for _, s := range ids {
				if g, err := strconv.Atoi(s); err == nil {
					c.Groups = append(c.Groups, uint32(g))
				}
			}
		}
	}
	return c, nil
}

// environ is cron's job environment, nothing more: a PATH, LANG or
// PYTHONPATH that works in the user's shell but is missing here shows up in
// the check instead of at 3 a.m.
func (a Account) environ() []string {
	return []string{
		"HOME=" + a.Home,
		"LOGNAME=" + a.Name,
		"PATH=/usr/bin:/bin",
		"SHELL=/bin/sh",
	}
}
