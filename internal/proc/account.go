package proc

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Account is the Unix account a daemon runs as: the owner its processes
// must have, and the identity its pidfile is read with.
type Account struct {
	UID, GID int
	Groups   []int // supplementary groups; the primary one may be repeated
}

// Self is the account mkdaemon runs as.
func Self() Account {
	gs, _ := os.Getgroups()
	return Account{UID: os.Geteuid(), GID: os.Getegid(), Groups: gs}
}

// asAccount runs f with a's file-system identity, so that the kernel lets
// f open only what a may open: when root reads a pidfile for another
// account, a symlink (anywhere in the path) to a file only root may read
// fails as it fails for that account. For any other caller f runs as is:
// it can read nothing it could not read anyway.
//
// The identity is changed on one locked OS thread only (setfsuid,
// setfsgid and setgroups are per-thread system calls). That thread is
// never unlocked, so the Go runtime ends it with the goroutine and no other
// goroutine ever runs with the borrowed identity.
func asAccount(a Account, f func() error) error {
	if os.Geteuid() != 0 || a.UID == 0 {
		return f()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Deliberately no UnlockOSThread: see above.
		if err := becomeOnThread(a); err != nil {
			errc <- fmt.Errorf("taking the identity of uid %d: %w", a.UID, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// becomeOnThread sets the calling thread's supplementary groups, file
// system gid and file system uid to a's. Raw system calls: the C library's
// wrappers (and Go's syscall.Setgroups) would change every thread.
func becomeOnThread(a Account) error {
	groups := []uint32{uint32(a.GID)}
	for _, g := range a.Groups {
		groups = append(groups, uint32(g))
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(len(groups)), uintptr(unsafe.Pointer(&groups[0])), 0); e != 0 {
		return e
	}
	// setfsgid and setfsuid report no error: the previous value comes
	// back, so a second call reads the one now in force.
	unix.RawSyscall(unix.SYS_SETFSGID, uintptr(a.GID), 0, 0)
	if got, _, _ := unix.RawSyscall(unix.SYS_SETFSGID, ^uintptr(0), 0, 0); int(int32(got)) != a.GID {
		return syscall.EPERM
	}
	unix.RawSyscall(unix.SYS_SETFSUID, uintptr(a.UID), 0, 0)
	if got, _, _ := unix.RawSyscall(unix.SYS_SETFSUID, ^uintptr(0), 0, 0); int(int32(got)) != a.UID {
		return syscall.EPERM
	}
	return nil
}
