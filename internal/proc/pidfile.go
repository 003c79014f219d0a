package proc

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Pidfile errors, told apart so that callers can explain each one.
var (
	ErrPidfileMissing = errors.New("pidfile does not exist")
	ErrPidfileInvalid = errors.New("pidfile does not hold a PID")
)

// ReadPidfile returns the PID written in a pidfile. Like start-stop-daemon it
// reads the first number and ignores trailing whitespace.
func ReadPidfile(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("%s: %w", path, ErrPidfileMissing)
		}
		return 0, err
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0, fmt.Errorf("%s: %w (it is empty)", path, ErrPidfileInvalid)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("%s: %w (it holds %q)", path, ErrPidfileInvalid, fields[0])
	}
	return pid, nil
}

// State is what a pidfile and /proc together say about a daemon.
type State string

const (
	Running State = "running" // the pidfile's PID is alive and has the expected name
	Stopped State = "stopped" // no pidfile
	Stale   State = "stale"   // the pidfile names a dead, zombie or foreign process, or holds no PID
)

// DaemonState is the verdict on one daemon, with the evidence.
type DaemonState struct {
	State  State  `json:"state"`
	PID    int    `json:"pid,omitempty"`
	Reason string `json:"reason,omitempty"` // why it is stale
}

// Inspect reads the pidfile and checks its PID against /proc the way
// start-stop-daemon --pidfile --name does: the process must exist and its
// name must equal name.
func Inspect(pidfile, name string) DaemonState {
	pid, err := ReadPidfile(pidfile)
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
	case p.Comm != name:
		return DaemonState{State: Stale, PID: pid, Reason: fmt.Sprintf("PID %d is %q, not %q (PID reused)", pid, p.Comm, name)}
	}
	return DaemonState{State: Running, PID: pid}
}
