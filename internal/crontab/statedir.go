package crontab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The state directory holds the lock that serializes mkdaemon runs on one
// crontab and the backups of the crontabs they replaced. Both belong to
// the target account, so as root with --user every directory and file
// created here is given to that account.

const (
	lockName     = "crontab.lock"
	backupDir    = "backups"
	backupPrefix = "crontab-"
	// backupStamp sorts by name in time order: fixed width, UTC.
	backupStamp = "20060102T150405.000000000Z"
	// DefaultKeep is how many backups are kept.
	DefaultKeep = 20
)

// makeDir creates dir and its missing parents with mode 0700. For another
// account (uid >= 0) it goes down from stop, the account's home, one
// component at a time: each existing one must be a real directory (not a
// symlink) owned by uid or root, and each one it creates is given to
// uid:gid. As root in another user's home, following their symlink would
// let them aim our writes anywhere. (A user swapping a directory for a
// symlink between the check and the use is not defended against.)
func makeDir(dir, stop string, uid, gid int) error {
	rel, err := filepath.Rel(stop, dir)
	if uid < 0 || stop == "" || err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating the mkdaemon state directory: %w", err)
		}
		return nil
	}
	d := stop
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if part == "." {
			continue
		}
		d = filepath.Join(d, part)
		fi, err := os.Lstat(d)
		if errors.Is(err, os.ErrNotExist) {
			err = os.Mkdir(d, 0o700)
			if err == nil {
				if err := os.Lchown(d, uid, gid); err != nil {
					return fmt.Errorf("giving %s to uid %d: %w", d, uid, err)
				}
				continue
			}
			if !errors.Is(err, os.ErrExist) {
				return fmt.Errorf("creating the mkdaemon state directory: %w", err)
			}
			// Another mkdaemon run made it in the meantime: check it
			// like any existing directory.
			fi, err = os.Lstat(d)
		}
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if !fi.IsDir() || (int(st.Uid) != uid && st.Uid != 0) {
			return fmt.Errorf("%s is not a directory owned by uid %d or root; refusing to write there as root: remove or fix it", d, uid)
		}
	}
	return nil
}

// createFile creates path exclusively with mode 0600, never through a
// symlink, and gives it to uid:gid (when uid >= 0).
func createFile(path string, flag int, uid, gid int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	if uid >= 0 {
		if err := f.Chown(uid, gid); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
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

// lockState takes the exclusive flock on the state directory's lock file,
// waiting until ctx is done. flock locks belong to the open file, so two
// Installers in one process exclude each other as two processes do. The
// lock goes with the file: closing it, or dying, releases it.
func lockState(ctx context.Context, dir string, uid, gid int) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := createFile(path, os.O_RDWR, uid, gid)
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
// in dir/backups, synced to disk before the crontab is touched, and keeps
// only the newest keep backups. It returns the backup's path.
func saveBackup(dir, text string, now time.Time, keep int, uid, gid int) (string, error) {
	bdir := filepath.Join(dir, backupDir)
	if err := makeDir(bdir, dir, uid, gid); err != nil {
		return "", err
	}
	stamp := now.UTC().Format(backupStamp)
	var (
		f    *os.File
		path string
		err  error
	)
	for i := 0; ; i++ {
		path = filepath.Join(bdir, backupPrefix+stamp)
		if i > 0 {
			path = fmt.Sprintf("%s-%d", path, i)
		}
		f, err = createFile(path, os.O_WRONLY|os.O_EXCL, uid, gid)
		if !errors.Is(err, os.ErrExist) || i > 100 {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("creating the backup: %w", err)
	}
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("writing the backup %s: %w", path, err)
	}
	return path, pruneBackups(bdir, keep)
}

// pruneBackups removes all but the newest keep backups. Only names that
// mkdaemon makes are considered.
func pruneBackups(bdir string, keep int) error {
	entries, err := os.ReadDir(bdir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), backupPrefix) {
			if _, err := time.Parse(backupStamp, strings.SplitN(strings.TrimPrefix(e.Name(), backupPrefix), "-", 2)[0]); err == nil {
				names = append(names, e.Name())
			}
		}
	}
	if len(names) <= keep {
		return nil
	}
	sort.Strings(names)
	for _, n := range names[:len(names)-keep] {
		if err := os.Remove(filepath.Join(bdir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing an old backup: %w", err)
		}
	}
	return nil
}
