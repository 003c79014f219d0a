package check

import (
	"fmt"
	"os"
	"syscall"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// credential returns the IDs the job must run with, or nil when the check
// already runs as that user. Like cron (initgroups) the job gets the user's
// supplementary groups too. Only root can run a job as someone else.
func credential(a spec.Account) (*syscall.Credential, error) {
	euid := os.Geteuid()
	if a.UID == euid {
		return nil, nil
	}
	if euid != 0 {
		return nil, fmt.Errorf("the entry runs as %s (uid %d) but the check runs as uid %d: run the check as root or as %s", a.Name, a.UID, euid, a.Name)
	}
	c := &syscall.Credential{Uid: uint32(a.UID), Gid: uint32(a.GID)}
	for _, g := range a.Groups {
		c.Groups = append(c.Groups, uint32(g))
	}
	return c, nil
}
