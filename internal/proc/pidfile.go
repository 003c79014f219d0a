package proc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Pidfile errors, told apart so that callers can explain each one.
var (
	ErrPidfileMissing = errors.New("pidfile does not exist")
	ErrPidfileInvalid = errors.New("pidfile does not hold a PID")
	// ErrPidfileNotRegular is a pidfile that is a symlink, a FIFO, a
	// device or a directory. start-stop-daemon writes a regular file; a
	// FIFO would block a reader for ever and /dev/zero never ends.
	ErrPidfileNotRegular = errors.New("pidfile is not a regular file")
)

// pidfileMax is how much of a pidfile is read: a PID has at most 7 digits
// (pid_max is at most 2^22), so anything longer is not a pidfile.
const pidfileMax = 64

// Pidfile is what one read of a pidfile found.
type Pidfile struct {
	Data  []byte // its first pidfileMax bytes at most
	MTime time.Time
	UID   int // its owner
}

// OpenPidfile reads a pidfile the way every part of mkdaemon must: as the
// account a (see asAccount), never through a symlink at its last
// component, only when it is a regular file, without blocking, and at
// most a few dozen bytes of it.
func OpenPidfile(path string, a Account) (Pidfile, error) {
	var pf Pidfile
	err := asAccount(a, func() error {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		if st.Mode&unix.S_IFMT != unix.S_IFREG {
			return ErrPidfileNotRegular
		}
		buf := make([]byte, pidfileMax)
		n, err := unix.Read(fd, buf)
		if err != nil {
			return err
		}
		pf = Pidfile{Data: buf[:n], MTime: time.Unix(st.Mtim.Unix()), UID: int(st.Uid)}
		return nil
	})
	switch {
	case err == nil:
		return pf, nil
	case errors.Is(err, fs.ErrNotExist):
		return Pidfile{}, fmt.Errorf("%s: %w", path, ErrPidfileMissing)
	case errors.Is(err, unix.ELOOP):
		// O_NOFOLLOW met a symlink as the last component.
		return Pidfile{}, fmt.Errorf("%s: %w (it is a symbolic link)", path, ErrPidfileNotRegular)
	case errors.Is(err, ErrPidfileNotRegular):
		return Pidfile{}, fmt.Errorf("%s: %w", path, err)
	}
	return Pidfile{}, &fs.PathError{Op: "read", Path: path, Err: err}
}

// PID returns the PID written in the pidfile. Like start-stop-daemon it
// reads the first number and ignores trailing whitespace. What the file
// holds is quoted in the error only when its owner is a, the account it
// was read as: anything else may be a file a should not see.
func (pf Pidfile) PID(path string, a Account) (int, error) {
	fields := strings.Fields(string(pf.Data))
	if len(fields) == 0 {
		return 0, fmt.Errorf("%s: %w (it is empty)", path, ErrPidfileInvalid)
	}
	pid, err := strconv.Atoi(fields[0])
	if err == nil && pid > 0 {
		return pid, nil
	}
	if pf.UID != a.UID {
		return 0, fmt.Errorf("%s: %w (it belongs to uid %d; its content is not shown)", path, ErrPidfileInvalid, pf.UID)
	}
	return 0, fmt.Errorf("%s: %w (it holds %q)", path, ErrPidfileInvalid, fields[0])
}

// ReadPidfileAs returns the PID written in a pidfile, read as the account
// a (see OpenPidfile).
func ReadPidfileAs(path string, a Account) (int, error) {
	pf, err := OpenPidfile(path, a)
	if err != nil {
		return 0, err
	}
	return pf.PID(path, a)
}

// ReadPidfile is ReadPidfileAs for the account mkdaemon runs as. Code that
// works for another account must use ReadPidfileAs.
func ReadPidfile(path string) (int, error) { return ReadPidfileAs(path, Self()) }

// RemovePidfile removes a pidfile as the account a, as start-stop-daemon
// --remove-pidfile run by that account would.
func RemovePidfile(path string, a Account) error {
	return asAccount(a, func() error {
		err := unix.Unlink(path)
		if errors.Is(err, syscall.ENOENT) {
			return nil
		}
		return err
	})
}

// State is what a pidfile and /proc together say about a daemon.
type State string

const (
	Running State = "running" // the pidfile's PID is alive, has the expected name and runs as the account
	Stopped State = "stopped" // no pidfile
	Stale   State = "stale"   // the pidfile names a dead, zombie or foreign process, or holds no PID
)

// DaemonState is the verdict on one daemon, with the evidence.
type DaemonState struct {
	State  State  `json:"state"`
	PID    int    `json:"pid,omitempty"`
	Reason string `json:"reason,omitempty"` // why it is stale
}

// InspectAs reads the pidfile as the account a and checks its PID against
// /proc the way start-stop-daemon --pidfile --name --user does: the
// process must exist, its name must equal name, and it must run as a. A
// process of any other account is never the daemon, whatever its name: a
// user who writes root's PID into their own pidfile must not get a root
// process taken for their daemon (and stopped, or reported as theirs).
func InspectAs(pidfile, name string, a Account) DaemonState {
	return inspect(pidfile, name, a, false)
}

// Inspect is InspectAs for code that does not know the entry's account:
// the pidfile is read as the account mkdaemon runs as, and the process
// must run as the pidfile's owner (start-stop-daemon, run by cron for the
// account, writes it as that account). Its content is never quoted when
// mkdaemon runs as root. Code that works for another account, such as
// `list --user`, must use InspectAs: a pidfile the user points at one of
// root's pidfiles passes this test.
func Inspect(pidfile, name string) DaemonState { return inspect(pidfile, name, Self(), true) }

func inspect(pidfile, name string, a Account, byFileOwner bool) DaemonState {
	pf, err := OpenPidfile(pidfile, a)
	pid := 0
	if err == nil {
		quoteFor := a
		if byFileOwner {
			a.UID = pf.UID
			if quoteFor.UID == 0 {
				quoteFor.UID = -1
			}
		}
		pid, err = pf.PID(pidfile, quoteFor)
	}
	switch {
	case errors.Is(err, ErrPidfileMissing):
		return DaemonState{State: Stopped}
	case err != nil:
		return DaemonState{State: Stale, Reason: err.Error()}
	}
	p, err := Stat(pid)
	switch {
	case err != nil:
		return DaemonState{State: Stale, PID: pid, Reason: fmt.Sprintf("PID %d is not running", pid)}
	case p.Zombie():
		return DaemonState{State: Stale, PID: pid, Reason: fmt.Sprintf("PID %d is a zombie that nobody has reaped", pid)}
	case !p.RunsAs(a.UID):
		return DaemonState{State: Stale, PID: pid, Reason: fmt.Sprintf("PID %d runs as %s, not as uid %d (not the daemon: a PID reused, or written there by hand)", pid, p.Owner(), a.UID)}
	case p.Comm != name:
		return DaemonState{State: Stale, PID: pid, Reason: fmt.Sprintf("PID %d is %q, not %q (PID reused)", pid, p.Comm, name)}
	}
	return DaemonState{State: Running, PID: pid}
}

// OpenAs opens a regular file for reading as the account a (see
// asAccount), without blocking on a FIFO. It is for files a crontab entry
// names, such as a daemon's log, that root reads for another account.
func OpenAs(path string, a Account) (*os.File, error) {
	var f *os.File
	err := asAccount(a, func() error {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err != nil {
			return &fs.PathError{Op: "open", Path: path, Err: err}
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			unix.Close(fd)
			return &fs.PathError{Op: "open", Path: path, Err: ErrNotRegular}
		}
		f = os.NewFile(uintptr(fd), path)
		return nil
	})
	return f, err
}

// ErrNotRegular is a file that OpenAs refuses to read: not a regular file.
var ErrNotRegular = errors.New("not a regular file")
