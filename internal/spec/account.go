package spec

import (
	"fmt"
	"os/user"
	"strconv"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Account is a Unix user whose crontab runs the daemon.
type Account struct {
	Name   string
	UID    int
	GID    int
	Home   string
	Groups []int // every group the user is in, the primary one included
}

// Proc is the account as the process inspection knows it.
func (a Account) Proc() proc.Account { return proc.Account{UID: a.UID, GID: a.GID, Groups: a.Groups} }

// LookupAccount reads an account from the user database.
func LookupAccount(name string) (Account, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return Account{}, err
	}
	return accountOf(u)
}

// CurrentAccount is the user running mkdaemon.
func CurrentAccount() (Account, error) {
	u, err := user.Current()
	if err != nil {
		return Account{}, err
	}
	return accountOf(u)
}

func accountOf(u *user.User) (Account, error) {
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return Account{}, fmt.Errorf("user %s has a non-numeric uid or gid", u.Username)
	}
	a := Account{Name: u.Username, UID: uid, GID: gid, Home: u.HomeDir, Groups: []int{gid}}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil && g != gid {
				a.Groups = append(a.Groups, g)
			}
		}
	}
	return a, nil
}

// may reports whether the account has the permission bits perm (a mix of
// 4 read, 2 write, 1 execute) on a file with the given owner and mode, the
// way the kernel decides it. root may do anything but execute a file that
// nobody may execute.
func (a Account) may(uid, gid int, mode uint32, perm uint32) bool {
	if a.UID == 0 {
		return perm&1 == 0 || mode&0o111 != 0
	}
	switch {
	case uid == a.UID:
		return (mode>>6)&perm == perm
	case a.inGroup(gid):
		return (mode>>3)&perm == perm
	default:
		return mode&perm == perm
	}
}

func (a Account) inGroup(gid int) bool {
	for _, g := range a.Groups {
		if g == gid {
			return true
		}
	}
	return false
}
