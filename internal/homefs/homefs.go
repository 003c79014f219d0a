// Package homefs creates and writes files for an account, which is how root
// works in another user's home (mkdaemon --user). That user can change
// their home at any moment, so every path below it is walked one component
// at a time with openat and O_NOFOLLOW from a directory descriptor: a
// component that is a symlink, or that belongs to a third account, is
// refused, and none can be swapped between the check and the use. Only
// what is created here (mkdir, O_EXCL) is given to the account; an
// existing file is used only when it is a regular file with one link that
// already belongs to the account.
//
// For the account mkdaemon runs as there is nobody to defend against: the
// same functions then follow symlinks like any other program and change no
// owner.
package homefs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Owner is the account files are made for.
type Owner struct {
	// UID and GID own what is created; UID < 0 means the account
	// mkdaemon runs as: no owner rules, no chown.
	UID, GID int
	// Home is the account's home from the user database. A path below it
	// is walked from it (the home itself is the administrator's choice
	// and may be reached through a symlink); any other path from /.
	Home string
}

// Self is the account mkdaemon runs as.
var Self = Owner{UID: -1, GID: -1}

// Other reports whether files are made for another account.
func (o Owner) Other() bool { return o.UID >= 0 }

// Error is a path refused for another account.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s; refusing to write there for another account: remove or fix it", e.Path, e.Reason)
}

// Dir is an open directory.
type Dir struct {
	fd    int
	Path  string
	owner Owner
}

// Close releases the directory.
func (d *Dir) Close() error { return unix.Close(d.fd) }

// OpenDir opens the existing directory path for o (see MkdirAll for the
// rules).
func (o Owner) OpenDir(path string) (*Dir, error) {
	d, _, err := o.walk(path, false, 0)
	return d, err
}

// MkdirAll opens the directory path for o, creating it and its missing
// parents with mode perm. For another account every existing component
// below the base (the home, or /) must be a real directory owned by the
// account or by root, and each one created is given to the account. It
// returns the directories it created, outermost first.
func (o Owner) MkdirAll(path string, perm os.FileMode) (*Dir, []string, error) {
	return o.walk(path, true, perm)
}

func (o Owner) walk(path string, create bool, perm os.FileMode) (*Dir, []string, error) {
	// A relative path is taken from the working directory, as open(2)
	// would.
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, err
	}
	if !o.Other() {
		var created []string
		if create {
			for d := path; ; d = filepath.Dir(d) {
				if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
					break
				}
				created = append([]string{d}, created...)
			}
			if err := os.MkdirAll(path, perm); err != nil {
				return nil, nil, err
			}
		}
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, created, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &Dir{fd: fd, Path: path, owner: o}, created, nil
	}
	base := "/"
	if home := filepath.Clean(o.Home); o.Home != "" && (path == home || strings.HasPrefix(path, home+"/")) {
		base = home
	}
	fd, err := unix.Open(base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: base, Err: err}
	}
	d := &Dir{fd: fd, Path: base, owner: o}
	if err := d.checkOwner(); err != nil {
		d.Close()
		return nil, nil, err
	}
	var created []string
	rel, _ := filepath.Rel(base, path)
	for _, part := range strings.Split(rel, "/") {
		if part == "." {
			continue
		}
		next, made, err := d.child(part, create, perm)
		d.Close()
		if err != nil {
			return nil, created, err
		}
		if made {
			created = append(created, next.Path)
		}
		d = next
	}
	return d, created, nil
}

// child opens (or creates) the directory name in d, never through a
// symlink.
func (d *Dir) child(name string, create bool, perm os.FileMode) (*Dir, bool, error) {
	path := filepath.Join(d.Path, name)
	made := false
	if create {
		err := unix.Mkdirat(d.fd, name, uint32(perm.Perm()))
		switch {
		case err == nil:
			made = true
		case !errors.Is(err, unix.EEXIST):
			return nil, false, &fs.PathError{Op: "mkdir", Path: path, Err: err}
		}
	}
	fd, err := unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR):
		return nil, false, &Error{Path: path, Reason: "is a symbolic link or not a directory"}
	case err != nil:
		return nil, false, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	c := &Dir{fd: fd, Path: path, owner: d.owner}
	if made {
		// What mkdirat made may have been replaced before openat: give
		// it away only if it is still a directory of ours. (Another
		// mkdaemon run may be creating its subdirectories already.)
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil || (int(st.Uid) != os.Geteuid() && int(st.Uid) != d.owner.UID) {
			c.Close()
			return nil, false, &Error{Path: path, Reason: "was replaced while mkdaemon created it"}
		}
		if int(st.Uid) == d.owner.UID {
			return c, true, nil
		}
		if err := unix.Fchown(fd, d.owner.UID, d.owner.GID); err != nil {
			c.Close()
			return nil, false, fmt.Errorf("giving %s to uid %d: %w", path, d.owner.UID, err)
		}
		return c, true, nil
	}
	if err := c.checkOwner(); err != nil {
		c.Close()
		return nil, false, err
	}
	return c, false, nil
}

// checkOwner refuses a directory of a third account.
func (d *Dir) checkOwner() error {
	var st unix.Stat_t
	if err := unix.Fstat(d.fd, &st); err != nil {
		return &fs.PathError{Op: "stat", Path: d.Path, Err: err}
	}
	if int(st.Uid) != d.owner.UID && st.Uid != 0 {
		return &Error{Path: d.Path, Reason: fmt.Sprintf("belongs to uid %d, neither to uid %d nor to root", st.Uid, d.owner.UID)}
	}
	return nil
}

// Create creates the file name in d exclusively (O_EXCL, never through a
// symlink) with mode perm, opened with flag (O_RDWR or O_WRONLY), and
// gives it to the account: it is the only way a file is ever given away.
// A name that exists fails with an error satisfying errors.Is(err,
// fs.ErrExist).
func (d *Dir) Create(name string, flag int, perm os.FileMode) (*os.File, error) {
	path := filepath.Join(d.Path, name)
	fd, err := unix.Openat(d.fd, name, flag|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return nil, &fs.PathError{Op: "create", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	if err := f.Chmod(perm); err != nil { // whatever the umask
		f.Close()
		unix.Unlinkat(d.fd, name, 0)
		return nil, err
	}
	if d.owner.Other() {
		if err := f.Chown(d.owner.UID, d.owner.GID); err != nil {
			f.Close()
			unix.Unlinkat(d.fd, name, 0)
			return nil, err
		}
	}
	return f, nil
}

// Open opens the existing file name in d with flag, never through a
// symlink and without blocking on a FIFO. For another account it must be
// a regular file with one link, owned by the account: a hard link to
// someone else's file, or a file of root's, is refused. For oneself it
// must be a regular file.
func (d *Dir) Open(name string, flag int) (*os.File, error) {
	path := filepath.Join(d.Path, name)
	nofollow := 0
	if d.owner.Other() {
		nofollow = unix.O_NOFOLLOW
	}
	fd, err := unix.Openat(d.fd, name, flag|nofollow|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ELOOP) && d.owner.Other() {
		return nil, &Error{Path: path, Reason: "is a symbolic link"}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	err = unix.Fstat(fd, &st)
	switch {
	case err != nil:
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		err = &Error{Path: path, Reason: "is not a regular file"}
	case d.owner.Other() && st.Nlink != 1:
		err = &Error{Path: path, Reason: fmt.Sprintf("has %d hard links", st.Nlink)}
	case d.owner.Other() && int(st.Uid) != d.owner.UID:
		err = &Error{Path: path, Reason: fmt.Sprintf("belongs to uid %d, not to uid %d", st.Uid, d.owner.UID)}
	}
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	// Back to blocking reads and writes for a regular file.
	unix.SetNonblock(fd, false)
	return os.NewFile(uintptr(fd), path), nil
}

// ReadFile returns the content of the existing file name (see Open), at
// most max bytes; a longer file is an error.
func (d *Dir) ReadFile(name string, max int64) ([]byte, os.FileMode, error) {
	f, err := d.Open(name, unix.O_RDONLY)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(b)) > max {
		err = fmt.Errorf("%s is larger than %d bytes", f.Name(), max)
	}
	return b, fi.Mode().Perm(), err
}

// Lstat reports on name in d without following a symlink; fs.ErrNotExist
// when there is none.
func (d *Dir) Lstat(name string) (unix.Stat_t, error) {
	var st unix.Stat_t
	err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
	if err != nil {
		return st, &fs.PathError{Op: "lstat", Path: filepath.Join(d.Path, name), Err: err}
	}
	return st, nil
}

// Remove removes the name in d (a file, or a symlink itself).
func (d *Dir) Remove(name string) error {
	if err := unix.Unlinkat(d.fd, name, 0); err != nil {
		return &fs.PathError{Op: "remove", Path: filepath.Join(d.Path, name), Err: err}
	}
	return nil
}

// Names lists the names in d.
func (d *Dir) Names() ([]string, error) {
	fd, err := unix.Openat(d.fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: d.Path, Err: err}
	}
	f := os.NewFile(uintptr(fd), d.Path)
	defer f.Close()
	return f.Readdirnames(-1)
}

// Sync makes the directory's entries durable; failure only costs that
// durability, so it is not reported.
func (d *Dir) Sync() { unix.Fsync(d.fd) }

// WriteAtomic writes data to the file name in d atomically: a temporary
// file in d, created exclusively, gets its permissions and owner first,
// then the data, is synced, and takes the name by renameat (replace) or
// by renameat2 with RENAME_NOREPLACE (linkat where the file system lacks
// it), which fails with fs.ErrExist when the name is taken: no window in
// which another file could be clobbered, and no moment in which the file
// has its final name and not yet its owner. Neither follows a symlink at
// name: rename replaces the link itself.
func (d *Dir) WriteAtomic(name string, data []byte, perm os.FileMode, replace bool) (err error) {
	var r [6]byte
	rand.Read(r[:])
	tmp := "." + name + ".mkdaemon-" + hex.EncodeToString(r[:])
	f, err := d.Create(tmp, unix.O_WRONLY, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
		unix.Unlinkat(d.fd, tmp, 0) // after a rename a no-op; after a link it drops the extra name
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	path := filepath.Join(d.Path, name)
	if replace {
		if err := unix.Renameat(d.fd, tmp, d.fd, name); err != nil {
			return &fs.PathError{Op: "rename", Path: path, Err: err}
		}
	} else {
		err := unix.Renameat2(d.fd, tmp, d.fd, name, unix.RENAME_NOREPLACE)
		if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
			err = unix.Linkat(d.fd, tmp, d.fd, name, 0)
		}
		if err != nil {
			return &fs.PathError{Op: "rename", Path: path, Err: err}
		}
	}
	d.Sync()
	return nil
}
