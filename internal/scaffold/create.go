package scaffold

import (
	"errors"
	"os/exec"
	"path/filepath"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/shell"
)

// Result says what Create did.
type Result struct {
	Params Params   // with the defaults filled in
	Files  []string // the files written, in order
	Dirs   []string // the directories created for them, outermost first
	// Built is true when the Go binary at Params.Program was built. For a
	// script it is always false, and so is the need.
	Built bool
	// NotBuilt says why a Go skeleton was not built, for the user: no
	// toolchain on PATH. Empty otherwise.
	NotBuilt string
}

// Create renders the skeleton for p and writes it, never replacing an
// existing file unless force. For Go it also builds the binary when a Go
// toolchain is on PATH. `mkdaemon scaffold` and the wizard both call it.
//
// Bad input (a value that cannot go into a skeleton, a file that exists)
// yields a *spec.Error before anything is written; other errors are
// failures of the file system or of the build.
func Create(p Params, force bool, o homefs.Owner) (Result, error) {
	files, err := Render(p)
	if err != nil {
		return Result{}, err
	}
	p, _ = p.normalize() // cannot fail: Render checked it
	_, lookErr := exec.LookPath("go")
	build := p.Lang == Go && lookErr == nil
	if build && !force {
		// The binary counts as one of the files: it must not be replaced either.
		if err := notThere(p.Program); err != nil {
			return Result{}, err
		}
	}
	dirs, err := WriteFor(files, force, o)
	if err != nil {
		return Result{}, err
	}
	res := Result{Params: p, Dirs: dirs}
	for _, f := range files {
		res.Files = append(res.Files, f.Path)
	}
	if p.Lang != Go {
		return res, nil
	}
	if !build {
		res.NotBuilt = notBuilt(p.Program)
		return res, nil
	}
	if err := BuildFor(p.Program, o); err != nil {
		if errors.Is(err, ErrNoGo) {
			res.NotBuilt = notBuilt(p.Program)
			return res, nil
		}
		return res, err
	}
	res.Built = true
	res.Files = append(res.Files, p.Program)
	return res, nil
}

func notBuilt(program string) string {
	return "no go command on PATH; build it later with: cd " + shell.Quote(filepath.Dir(program)) +
		" && go build -o " + shell.Quote(filepath.Base(program)) + " ."
}
