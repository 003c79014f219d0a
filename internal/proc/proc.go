// Package proc reads what the kernel says about processes under /proc and
// what a pidfile says about a daemon. It is how mkdaemon checks a daemon
// from the outside, the same way start-stop-daemon matches one.
package proc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Root is the procfs mount point; tests never need to change it, but it
// keeps the paths in one place.
const Root = "/proc"

// Process is the part of /proc/PID/stat and /proc/PID/status mkdaemon uses.
type Process struct {
	PID     int
	Comm    string // the kernel's process name, at most 15 bytes
	State   byte   // R, S, D, Z, T, ...
	PPID    int
	Session int
	PGID    int
	TTY     int // tty_nr: 0 means no controlling terminal
	UID     int // real uid
	EUID    int // effective uid
	SUID    int // saved set-user-ID
}

// RunsAs reports whether the process belongs to the account uid alone: its
// real, effective and saved uids are all uid. Only such a process can be a
// daemon of that account; a set-user-ID program the account started (real
// uid theirs, effective uid root) is not.
func (p Process) RunsAs(uid int) bool { return p.UID == uid && p.EUID == uid && p.SUID == uid }

// Owner describes the process's uids for a message.
func (p Process) Owner() string {
	if p.UID == p.EUID && p.UID == p.SUID {
		return "uid " + strconv.Itoa(p.UID)
	}
	return fmt.Sprintf("uid %d (effective %d, saved %d)", p.UID, p.EUID, p.SUID)
}

// Zombie reports whether the process has exited and waits to be reaped.
func (p Process) Zombie() bool { return p.State == 'Z' }

// SessionLeader reports whether the process leads its session, and so could
// acquire a controlling terminal again.
func (p Process) SessionLeader() bool { return p.Session == p.PID }

// ErrNoProcess is returned when no process with the PID exists.
var ErrNoProcess = errors.New("no such process")

// Stat reads /proc/PID/stat and the Uid line of /proc/PID/status. A
// process whose uids cannot be read is reported as an error, never with
// uids of 0 it might not have.
func Stat(pid int) (Process, error) {
	if pid <= 0 {
		return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
	}
	dir := filepath.Join(Root, strconv.Itoa(pid))
	b, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, errESRCH) {
			return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
		}
		return Process{}, err
	}
	p, err := parseStat(b)
	if err != nil {
		return Process{}, fmt.Errorf("pid %d: %w", pid, err)
	}
	st, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, errESRCH) {
			return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
		}
		return Process{}, err
	}
	v, _ := statusField(st, "Uid")
	ids := strings.Fields(v)
	if len(ids) < 3 {
		return Process{}, fmt.Errorf("pid %d: no Uid line in status", pid)
	}
	for i, dst := range []*int{&p.UID, &p.EUID, &p.SUID} {
		if *dst, err = strconv.Atoi(ids[i]); err != nil {
			return Process{}, fmt.Errorf("pid %d: malformed Uid line %q", pid, v)
		}
	}
	return p, nil
}

// parseStat parses the stat line. The comm field is in parentheses and may
// itself contain spaces and parentheses, so it ends at the LAST ')'.
func parseStat(b []byte) (Process, error) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return Process{}, errors.New("malformed stat line")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:open])))
	if err != nil {
		return Process{}, errors.New("malformed stat line")
	}
	rest := strings.Fields(string(b[closing+1:]))
	// rest[0] is field 3 (state); ppid is field 4, pgrp 5, session 6,
	// tty_nr 7.
	if len(rest) < 5 || len(rest[0]) != 1 {
		return Process{}, errors.New("malformed stat line")
	}
	p := Process{PID: pid, Comm: string(b[open+1 : closing]), State: rest[0][0]}
	p.PPID, _ = strconv.Atoi(rest[1])
	p.PGID, _ = strconv.Atoi(rest[2])
	p.Session, _ = strconv.Atoi(rest[3])
	p.TTY, _ = strconv.Atoi(rest[4])
	return p, nil
}

// Status returns the value of one "Key:" line of /proc/PID/status, such as
// "Umask" or "Name".
func Status(pid int, key string) (string, error) {
	b, err := os.ReadFile(filepath.Join(Root, strconv.Itoa(pid), "status"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, errESRCH) {
			return "", fmt.Errorf("pid %d: %w", pid, ErrNoProcess)
		}
		return "", err
	}
	v, ok := statusField(b, key)
	if !ok {
		return "", fmt.Errorf("pid %d: no %s line in status", pid, key)
	}
	return v, nil
}

func statusField(b []byte, key string) (string, bool) {
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && k == key {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// All lists every process currently in /proc. Processes that exit while it
// reads are skipped.
func All() ([]Process, error) {
	ents, err := os.ReadDir(Root)
	if err != nil {
		return nil, err
	}
	var ps []Process
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, err := Stat(pid); err == nil {
			ps = append(ps, p)
		}
	}
	return ps, nil
}

// Cmdline returns the arguments a process runs with (/proc/PID/cmdline);
// none for a zombie or a kernel thread.
func Cmdline(pid int) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(Root, strconv.Itoa(pid), "cmdline"))
	if err != nil || len(b) == 0 {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00"), nil
}

// Alive reports whether a process with the PID exists and is not a zombie.
func Alive(pid int) bool {
	p, err := Stat(pid)
	return err == nil && !p.Zombie()
}
