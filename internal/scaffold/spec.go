package scaffold

import (
	"errors"
	"os"
	"path/filepath"

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
// ignored. The program does not exist yet, so the rules are given the file
// it will be: executable, the account's, with the skeleton's first line and
// marker. Bad input is a *spec.Error, as from spec.Resolve, naming --out
// where spec.Resolve names --program.
func Resolve(lang Lang, program string, in spec.Input, env spec.Env) (*spec.Resolved, error) {
	if i, ok := interpreters[lang]; ok {
		if fi, err := os.Stat(i.path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return nil, &spec.Error{Flag: "--lang", Value: string(lang),
				Msg:  "the skeleton runs " + i.path + ", which is not installed",
				Hint: "install it (apt-get install " + i.pkg + "), or choose another --lang"}
		}
	}
	in.Program = program
	r, err := spec.Resolve(in, spec.GatherPlanned(in, env, Planned(lang)))
	var se *spec.Error
	if errors.As(err, &se) && se.Flag == "--program" {
		e := *se
		e.Flag = "--out"
		return nil, &e
	}
	return r, err
}

// Planned is the file the rules are told a skeleton of lang will be: its
// first line (a Go binary has none) and the marker.
func Planned(lang Lang) spec.File {
	f := spec.File{Mode: 0o755, Skeleton: true}
	if i, ok := interpreters[lang]; ok {
		f.FirstLine = "#!" + i.path + "\n"
	}
	return f
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
