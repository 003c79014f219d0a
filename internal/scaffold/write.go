package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Write is WriteFor the account mkdaemon runs as.
func Write(files []File, force bool) (created []string, err error) {
	return WriteFor(files, force, homefs.Self)
}

// WriteFor writes files for the account o, each atomically: a temporary
// file in the same directory gets its permissions (and owner) first, then
// the data, is synced, and takes the final name. Missing directories are
// created.
//
// Unless force, no existing file is ever replaced: if any of files exists,
// WriteFor returns a *spec.Error and writes nothing; a file that appears
// while it runs is not replaced either (the temporary file is renamed into
// place with RENAME_NOREPLACE, which fails when the name is taken).
//
// For another account (root with --user) every directory is reached with
// homefs's rules: each component below the account's home (or below /)
// is opened with O_NOFOLLOW from its parent and must belong to the account
// or root, and what is created (directories and files) belongs to the
// account from the start. A symlink the user planted is refused, never
// followed: root never writes a skeleton where the user could not.
//
// It returns the directories it had to create, outermost first.
func WriteFor(files []File, force bool, o homefs.Owner) (created []string, err error) {
	if !force {
		for _, f := range files {
			if err := notThere(f.Path); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range files {
		d, dirs, err := o.MkdirAll(filepath.Dir(f.Path), 0o755)
		created = append(created, dirs...)
		if err != nil {
			return created, outError(f.Path, err)
		}
		err = d.WriteAtomic(filepath.Base(f.Path), f.Data, f.Mode, force)
		d.Close()
		if errors.Is(err, fs.ErrExist) {
			return created, notThere(f.Path)
		}
		if err != nil {
			return created, fmt.Errorf("cannot write %s: %w", f.Path, err)
		}
	}
	return created, nil
}

// outError makes a refusal of homefs a *spec.Error about --out.
func outError(path string, err error) error {
	var he *homefs.Error
	if errors.As(err, &he) {
		return &spec.Error{Flag: "--out", Value: path, Msg: he.Error(), Hint: "give a path where every directory is the account's or root's, without symbolic links"}
	}
	return err
}

// notThere returns a *spec.Error when something exists at path.
func notThere(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return &spec.Error{Flag: "--out", Value: path, Msg: "already exists",
			Hint: "choose another --out, or pass --force to replace it"}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ErrNoGo is returned by Build when no Go toolchain is on PATH.
var ErrNoGo = errors.New("no go command on PATH")

// Build compiles the Go skeleton in the directory of program into program,
// with the go command found on PATH. The directory is its own module, so a
// go.work above it is ignored.
func Build(program string) error { return BuildFor(program, homefs.Self) }

// BuildFor is Build for the account o: for another account the go command
// runs as that account, with its home as HOME (its build cache), so that
// root writes nothing in the user's directory through a path the user
// controls.
func BuildFor(program string, o homefs.Owner) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return ErrNoGo
	}
	cmd := exec.Command(goCmd, "build", "-o", program, ".")
	cmd.Dir = filepath.Dir(program)
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if o.Other() {
		cmd.Env = append(cmd.Env, "HOME="+o.Home, "XDG_CACHE_HOME=", "GOCACHE=", "GOPATH=", "GOMODCACHE=")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(o.UID), Gid: uint32(o.GID)}}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build in %s failed: %v\n%s", cmd.Dir, err, strings.TrimSpace(out.String()))
	}
	return nil
}
