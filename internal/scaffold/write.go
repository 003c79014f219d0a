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

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Write writes files, each atomically: a temporary file in the same
// directory gets its permissions first, then the data, is synced, and takes
// the final name. Missing directories are created.
//
// Unless force, no existing file is ever replaced: if any of files exists,
// Write returns a *spec.Error and writes nothing; a file that appears while
// Write runs is not replaced either (the temporary file is linked into place,
// which fails when the name is taken).
//
// It returns the directories it had to create, outermost first.
func Write(files []File, force bool) (created []string, err error) {
	if !force {
		for _, f := range files {
			if err := notThere(f.Path); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range files {
		dirs, err := makeDirs(filepath.Dir(f.Path))
		created = append(created, dirs...)
		if err != nil {
			return created, err
		}
		if err := writeFile(f, force); err != nil {
			return created, err
		}
	}
	return created, nil
}

// makeDirs creates dir and its missing parents, and returns those it
// created, outermost first.
func makeDirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		missing = append([]string{d}, missing...)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return missing, nil
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

func writeFile(f File, replace bool) error {
	dir := filepath.Dir(f.Path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.Path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone already once renamed; removes the link source otherwise
	err = tmp.Chmod(f.Mode)
	if err == nil {
		_, err = tmp.Write(f.Data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", f.Path, err)
	}
	if replace {
		err = os.Rename(tmp.Name(), f.Path)
	} else {
		err = os.Link(tmp.Name(), f.Path)
		if errors.Is(err, fs.ErrExist) {
			return notThere(f.Path)
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", f.Path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename or link in dir survive a crash. Failure only costs
// that durability, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ErrNoGo is returned by Build when no Go toolchain is on PATH.
var ErrNoGo = errors.New("no go command on PATH")

// Build compiles the Go skeleton in the directory of program into program,
// with the go command found on PATH. The directory is its own module, so a
// go.work above it is ignored.
func Build(program string) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return ErrNoGo
	}
	cmd := exec.Command(goCmd, "build", "-o", program, ".")
	cmd.Dir = filepath.Dir(program)
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build in %s failed: %v\n%s", cmd.Dir, err, strings.TrimSpace(out.String()))
	}
	return nil
}
