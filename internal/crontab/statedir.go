package crontab

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
)

// The state directory holds the backups of the crontabs mkdaemon replaced;
// the lock that serializes mkdaemon runs on one crontab lives in the
// account's default state directory (see Installer.LockDir). Both belong
// to the target account, so as root with --user every directory and file
// created here is given to that account, and nothing else is.

const (
	lockName     = "crontab.lock"
	backupDir    = "backups"
	backupPrefix = "crontab-"
	// backupStamp sorts by name in time order: fixed width, UTC.
	backupStamp = "20060102T150405.000000000Z"
	// DefaultKeep is how many backups are kept.
	DefaultKeep = 20
)

// owner is the account the Installer makes files for.
func (in *Installer) owner() homefs.Owner {
	if in.UID < 0 {
		return homefs.Self
	}
	return homefs.Owner{UID: in.UID, GID: in.GID, Home: in.Home}
}

// makeDir creates dir and its missing parents with mode 0700 and opens it.
// For another account (uid >= 0) it goes down from the account's home (or
// from / for a directory elsewhere) one component at a time with openat
// and O_NOFOLLOW (package homefs): each existing one must be a real
// directory owned by uid or root, and each one it creates is given to
// uid:gid. As root in another user's home, following their symlink would
// let them aim our writes anywhere, and a check by path followed by a use
// by path would let them swap a directory for a symlink in between.
func makeDir(dir string, o homefs.Owner) (*homefs.Dir, error) {
	d, _, err := o.MkdirAll(dir, 0o700)
	if err != nil {
		return nil, fmt.Errorf("creating the mkdaemon state directory: %w", err)
	}
	return d, nil
}

// LockError is returned when another run holds the lock for too long.
type LockError struct {
	Path string
	Err  error
}

func (e *LockError) Error() string {
	return fmt.Sprintf("another mkdaemon is editing this crontab (lock %s is held): %v; try again when it has finished", e.Path, e.Err)
}

func (e *LockError) Unwrap() error { return e.Err }

// lockState takes the exclusive flock on the lock file in dir, waiting
// until ctx is done. flock locks belong to the open file, so two
// Installers in one process exclude each other as two processes do. The
// lock goes with the file: closing it, or dying, releases it.
//
// The lock file is created exclusively, given to the account and only
// then put in place. One that exists is used only when it is a regular file with a
// single link that belongs to the account (see homefs.Dir.Open): a hard
// link the user made to someone else's file is refused, never chowned.
func lockState(ctx context.Context, dir *homefs.Dir) (*os.File, error) {
	path := filepath.Join(dir.Path, lockName)
	f, err := dir.Open(lockName, os.O_RDWR)
	if errors.Is(err, fs.ErrNotExist) {
		// Made whole (owner included) under another name and renamed
		// into place, so that no run ever sees it half made.
		err = dir.WriteAtomic(lockName, nil, 0o600, false)
		if err == nil || errors.Is(err, fs.ErrExist) {
			f, err = dir.Open(lockName, os.O_RDWR)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("opening the lock file: %w", err)
	}
	delay := time.Millisecond
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, &LockError{Path: path, Err: ctx.Err()}
		case <-time.After(delay):
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// saveBackup writes text, the crontab about to be replaced, to a new file
// in the state directory's backups/, created exclusively and synced to
// disk before the crontab is touched, and keeps only the newest keep
// backups. It returns the backup's path.
func saveBackup(dir *homefs.Dir, o homefs.Owner, text string, now time.Time, keep int) (string, error) {
	bdir, err := makeDir(filepath.Join(dir.Path, backupDir), o)
	if err != nil {
		return "", err
	}
	defer bdir.Close()
	stamp := now.UTC().Format(backupStamp)
	var (
		f    *os.File
		name string
	)
	for i := 0; ; i++ {
		name = backupPrefix + stamp
		if i > 0 {
			name = fmt.Sprintf("%s-%d", name, i)
		}
		f, err = bdir.Create(name, os.O_WRONLY, 0o600)
		if !errors.Is(err, fs.ErrExist) || i > 100 {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("creating the backup: %w", err)
	}
	path := f.Name()
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		bdir.Remove(name)
		return "", fmt.Errorf("writing the backup %s: %w", path, err)
	}
	bdir.Sync()
	return path, pruneBackups(bdir, keep)
}

// pruneBackups removes all but the newest keep backups. Only names that
// mkdaemon makes are considered; removing a name never follows a link.
func pruneBackups(bdir *homefs.Dir, keep int) error {
	entries, err := bdir.Names()
	if err != nil {
		return err
	}
	var names []string
	for _, n := range entries {
		if strings.HasPrefix(n, backupPrefix) {
			if _, err := time.Parse(backupStamp, strings.SplitN(strings.TrimPrefix(n, backupPrefix), "-", 2)[0]); err == nil {
				names = append(names, n)
			}
		}
	}
	if len(names) <= keep {
		return nil
	}
	sort.Strings(names)
	for _, n := range names[:len(names)-keep] {
		if err := bdir.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing an old backup: %w", err)
		}
	}
	return nil
}
