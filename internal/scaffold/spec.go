package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// How a skeleton meets the one Spec the rest of mkdaemon shares: the CLI
// and the wizard both go ProgramFor -> Resolve -> FromSpec -> Create, so the
// start-stop-daemon line they print and the program they write agree.

// interpreters are what the scripts' #! lines name, with the Debian package
// that installs each.
var interpreters = map[Lang]struct{ path, pkg string }{
	Perl:   {"/usr/bin/perl", "perl"},
	PHP:    {"/usr/bin/php", "php-cli"},
	Python: {"/usr/bin/python3", "python3"},
}

// ProgramFor is the program a skeleton written to out starts. For a script
// that is out itself. For Go, out is a directory and the program is the
// binary built in it, named name, or after the directory when name is "".
func ProgramFor(lang Lang, out, name string) string {
	if lang != Go {
		return out
	}
	if name == "" {
		name = filepath.Base(out)
	}
	return filepath.Join(out, name)
}

// Resolve validates in, the shared daemon flags, for a skeleton that will
// be written to start as program (absolute; see ProgramFor). in.Program is
// ignored.
//
// spec.Resolve reads the program: that it exists, is executable, and that
// the interpreter on its #! line is where cron looks. The program does not
// exist yet, so it reads a stand-in instead, with the same name and the same
// first line, in a temporary directory; what it says about the stand-in is
// then said about program. Bad input is a *spec.Error, as from spec.Resolve.
func Resolve(lang Lang, program string, in spec.Input, env spec.Env) (*spec.Resolved, error) {
	if i, ok := interpreters[lang]; ok {
		if fi, err := os.Stat(i.path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return nil, &spec.Error{Flag: "--lang", Value: string(lang),
				Msg:  "the skeleton runs " + i.path + ", which is not installed",
				Hint: "install it (apt-get install " + i.pkg + "), or choose another --lang"}
		}
	}
	dir, err := os.MkdirTemp("", "mkdaemon-scaffold-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	standIn := filepath.Join(dir, filepath.Base(program))
	if err := os.WriteFile(standIn, standInContent(lang), 0o755); err != nil {
		return nil, err
	}
	in.Program = standIn
	r, err := spec.Resolve(in, env)
	var se *spec.Error
	if errors.As(err, &se) {
		e := *se
		if e.Flag == "--program" {
			e.Flag = "--out"
		}
		e.Value = strings.ReplaceAll(e.Value, standIn, program)
		e.Msg = strings.ReplaceAll(e.Msg, standIn, program)
		e.Hint = strings.ReplaceAll(e.Hint, standIn, program)
		return nil, &e
	}
	if err != nil {
		return nil, err
	}
	r.Spec.Program = program
	for i, w := range r.Warnings {
		r.Warnings[i] = strings.ReplaceAll(w, standIn, program)
	}
	return r, nil
}

// standInContent is what spec.Resolve reads of the skeleton: its first line
// (a Go binary has no #!) and the marker.
func standInContent(lang Lang) []byte {
	if i, ok := interpreters[lang]; ok {
		return []byte("#!" + i.path + "\n# " + spec.SkeletonMarker + "\n")
	}
	return []byte(spec.SkeletonMarker + "\n")
}

// FromSpec is the Params of the skeleton for a resolved daemon: the
// program, process name and pidfile of its start-stop-daemon line. The log
// defaults to NAME.log next to the pidfile, since a bot that logs nowhere
// is hard to debug; the state to NAME.state there.
func FromSpec(lang Lang, s spec.Spec) Params {
	p := Params{Lang: lang, Program: s.Program, Name: s.Name, Pidfile: s.Pidfile, Log: s.Log}
	if p.Log == "" {
		p.Log = filepath.Join(filepath.Dir(s.Pidfile), s.Name+".log")
	}
	return p
}
