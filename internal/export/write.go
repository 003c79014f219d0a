package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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
		return &spec.Error{Flag: "--out", Value: path, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + dir}
	}
	return nil
}

// Write puts r into the file at path and returns the path it wrote (a
// symlink's target, for a jobs.yaml).
//
// A unit is written atomically (a temporary file in the same directory,
// then a link or rename) and never replaces an existing file unless force
// is set. A jobs.yaml is merged: the job of the same name is replaced and
// every other byte is kept (MergeJobs); the file keeps its permissions.
//
// Bad input (a directory, an existing unit without force, a jobs.yaml
// MergeJobs refuses) is a *spec.Error and leaves every file as it was.
func (r Result) Write(path string, force bool) (string, error) {
	if err := CheckOut(path); err != nil {
		return "", err
	}
	switch r.Format {
	case FormatSystemd:
		if force {
			target, err := resolveLink(path)
			if err != nil {
				return "", err
			}
			return target, writeAtomic(target, r.Content, 0o644, true)
		}
		exists := &spec.Error{Flag: "--out", Value: path, Msg: "already exists",
			Hint: "add --force to replace it, or compare first: mkdaemon export ... | diff " + path + " -"}
		if _, err := os.Lstat(path); err == nil {
			return "", exists // checked first so that not even a temporary file is made
		}
		// The link in writeAtomic refuses a file created since.
		err := writeAtomic(path, r.Content, 0o644, false)
		if errors.Is(err, fs.ErrExist) {
			return "", exists
		}
		return path, err
	case FormatToolforge:
		target, err := resolveLink(path)
		if err != nil {
			return "", err
		}
		old, err := os.ReadFile(target)
		mode := fs.FileMode(0o644)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			old = nil
		case err != nil:
			return "", err
		default:
			if fi, err := os.Stat(target); err == nil {
				mode = fi.Mode().Perm()
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
		return target, writeAtomic(target, merged, mode, true)
	}
	return "", fmt.Errorf("unknown format %q", r.Format)
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

// writeAtomic writes data to a temporary file next to path with its final
// permissions, syncs it, and then renames it over path (replace) or links
// it to path, which fails with fs.ErrExist when path exists: no window in
// which another file could be clobbered.
func writeAtomic(path string, data []byte, mode fs.FileMode, replace bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".mkdaemon-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
		}
		os.Remove(name) // after a rename this is a no-op; after a link it drops the extra name
	}()
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if replace {
		return os.Rename(name, path)
	}
	if err := os.Link(name, path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) && errors.Is(le.Err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	return nil
}
