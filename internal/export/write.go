package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// CheckOut checks an --out path before anything is rendered or written:
// it must not be a directory, and its directory must exist.
func CheckOut(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return &spec.Error{Flag: "--out", Value: path, Msg: "is a directory", Hint: "give the path of a file in it"}
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return &spec.Error{Flag: "--out", Value: path, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + shell.Quote(dir)}
	}
	return nil
}

// maxJobsYAML bounds the jobs.yaml read for a merge.
const maxJobsYAML = 16 << 20

// Write is WriteFor the account mkdaemon runs as.
func (r Result) Write(path string, force bool) (string, error) {
	return r.WriteFor(path, force, homefs.Self)
}

// WriteFor puts r into the file at path for the account o and returns the
// path it wrote (a symlink's target, for a jobs.yaml of one's own).
//
// A unit is written atomically (a temporary file in the same directory,
// then a rename) and never replaces an existing file unless force is set.
// A jobs.yaml is merged: the job of the same name is replaced and every
// other byte is kept (MergeJobs); the file keeps its permissions.
//
// For another account (root with --user) the directory is reached with
// homefs's rules: every component below the account's home (or below /)
// opened with O_NOFOLLOW from its parent and owned by the account or root;
// a symlink at path is refused rather than followed, a jobs.yaml is merged
// only when it is the account's own regular file with one link, and what
// is written belongs to the account. Otherwise the user could aim root's
// write at any file through a symlink.
//
// Bad input (a directory, an existing unit without force, a jobs.yaml
// MergeJobs refuses, a symlink for another account) is a *spec.Error and
// leaves every file as it was.
func (r Result) WriteFor(path string, force bool, o homefs.Owner) (string, error) {
	if err := CheckOut(path); err != nil {
		return "", err
	}
	target := path
	if !o.Other() {
		var err error
		if target, err = resolveLink(path); err != nil {
			return "", err
		}
	}
	dir, err := o.OpenDir(filepath.Dir(target))
	if err != nil {
		return "", outError(path, err)
	}
	defer dir.Close()
	name := filepath.Base(target)
	st, lerr := dir.Lstat(name)
	exists := lerr == nil
	if exists && o.Other() && st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return "", &spec.Error{Flag: "--out", Value: path, Msg: "is a symbolic link, which mkdaemon does not follow when writing for another account",
			Hint: "give the path of the file it points to, if that is the account's"}
	}
	switch r.Format {
	case FormatSystemd:
		exists := &spec.Error{Flag: "--out", Value: path, Msg: "already exists",
			Hint: "add --force to replace it, or compare first: mkdaemon export ... | diff " + path + " -"}
		if lerr == nil && !force {
			return "", exists // checked first so that not even a temporary file is made
		}
		// Without force, the rename refuses a file created since.
		err := dir.WriteAtomic(name, r.Content, 0o644, force)
		if errors.Is(err, fs.ErrExist) {
			return "", exists
		}
		return target, err
	case FormatToolforge:
		var old []byte
		mode := fs.FileMode(0o644)
		if exists {
			old, mode, err = dir.ReadFile(name, maxJobsYAML)
			if err != nil {
				return "", outError(path, err)
			}
		}
		merged, err := MergeJobs(old, r.Job)
		if err != nil {
			var me *MergeError
			if errors.As(err, &me) {
				return "", &spec.Error{Flag: "--out", Value: path, Msg: "cannot merge into it: " + me.Error(),
					Hint: "fix the file, or export to stdout (leave out --out) and add the job by hand"}
			}
			return "", &spec.Error{Flag: "--out", Value: path, Msg: err.Error()}
		}
		return target, dir.WriteAtomic(name, merged, mode, true)
	}
	return "", fmt.Errorf("unknown format %q", r.Format)
}

// outError makes a refusal of homefs a *spec.Error about --out.
func outError(path string, err error) error {
	var he *homefs.Error
	if errors.As(err, &he) {
		return &spec.Error{Flag: "--out", Value: path, Msg: he.Error(), Hint: "give a path where every directory is the account's or root's, without symbolic links"}
	}
	return err
}

// resolveLink follows a symlink at path, so that replacing the file keeps
// the link (a jobs.yaml kept in a git checkout, say).
func resolveLink(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", &spec.Error{Flag: "--out", Value: path, Msg: "is a symbolic link to a file that does not exist",
			Hint: "remove the link or point it at an existing file"}
	}
	return target, err
}
