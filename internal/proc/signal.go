package proc

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// NotOwnerError is a signal refused because the process does not run as
// the account it was meant for.
type NotOwnerError struct {
	PID   int
	UID   int    // the account the signal was meant for
	Owner string // what the process runs as
}

func (e *NotOwnerError) Error() string {
	return fmt.Sprintf("PID %d runs as %s, not as uid %d: mkdaemon signals only processes of the entry's account", e.PID, e.Owner, e.UID)
}

// Signal sends sig to pid only if that process runs as uid (see RunsAs).
// It is the one way mkdaemon signals a daemon: run as root for another
// account, it must never stop a process of a third account, least of all
// root's, whatever a pidfile says.
//
// The process is pinned with a pidfd before its owner is read, and the
// signal goes through that pidfd: if the process exits and its PID is
// reused between the check and the signal, the signal fails (ErrNoProcess)
// instead of reaching the newcomer.
func Signal(pid, uid int, sig syscall.Signal) error {
	if pid <= 0 {
		return fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	fd, err := unix.PidfdOpen(pid, 0)
	switch {
	case errors.Is(err, unix.ESRCH):
		return fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	case errors.Is(err, unix.ENOSYS):
		fd = -1 // kernels before 5.3: check, then kill
	case err != nil:
		return fmt.Errorf("pid %d: %w", pid, err)
	default:
		defer unix.Close(fd)
	}
	p, err := Stat(pid)
	if err != nil {
		return err
	}
	if !p.RunsAs(uid) {
		return &NotOwnerError{PID: pid, UID: uid, Owner: p.Owner()}
	}
	if fd < 0 {
		err = unix.Kill(pid, sig)
	} else {
		err = unix.PidfdSendSignal(fd, sig, nil, 0)
	}
	if errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	return err
}

// SignalGroup sends sig to every process of the process group pgid that
// runs as uid, each through Signal; the others are left alone.
func SignalGroup(pgid, uid int, sig syscall.Signal) {
	ps, _ := All()
	for _, p := range ps {
		if p.PGID == pgid && p.RunsAs(uid) {
			Signal(p.PID, uid, sig)
		}
	}
}
