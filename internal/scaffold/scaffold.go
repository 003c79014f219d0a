// Package scaffold renders and writes the daemon skeletons of
// `mkdaemon scaffold`: a Perl, PHP or Python script, or a Go program, that
// daemonizes itself correctly, so that a bot author fills in one function.
//
// Render is a pure function of Params; Write and Create are the edge that
// touches the file system (and, for Go, runs the toolchain). The command
// and the wizard both go ProgramFor -> Resolve -> FromSpec -> Create
// (spec.go), so that the line they print and the program agree.
package scaffold

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/templates"
)

// Lang is the language of a skeleton.
type Lang string

const (
	Go     Lang = "go"
	Perl   Lang = "perl"
	PHP    Lang = "php"
	Python Lang = "python"
)

// Langs lists the languages in the order help texts show them.
var Langs = []Lang{Go, Perl, PHP, Python}

// ParseLang accepts the names Langs lists.
func ParseLang(s string) (Lang, error) {
	for _, l := range Langs {
		if string(l) == s {
			return l, nil
		}
	}
	return "", &spec.Error{Flag: "--lang", Value: s, Msg: "is not a skeleton language",
		Hint: "use one of: go, perl, php, python"}
}

// Shape is how a bot spends its time.
type Shape string

const (
	// Periodic runs a function every Params.Interval.
	Periodic Shape = "periodic"
	// Connection holds one long-lived connection, reading from it in a
	// loop and connecting again with capped backoff when it drops.
	Connection Shape = "connection"
)

// Shapes lists the shapes in the order help texts show them.
var Shapes = []Shape{Periodic, Connection}

// ParseShape accepts the names Shapes lists.
func ParseShape(s string) (Shape, error) {
	for _, sh := range Shapes {
		if string(sh) == s {
			return sh, nil
		}
	}
	return "", &spec.Error{Flag: "--shape", Value: s, Msg: "is not a bot shape",
		Hint: "use periodic (a function run every --every) or connection (one long-lived connection)"}
}

// DefaultInterval is the pause between two units of work when Params does
// not say.
const DefaultInterval = time.Minute

// Params are the values a skeleton is made of. They become the skeleton's
// defaults; its own --pidfile, --log, --state and --every override them.
type Params struct {
	Lang  Lang
	Shape Shape // "" means Periodic
	// Program is the absolute path of what is started: the script, or for
	// Go the binary, whose directory receives main.go and go.mod.
	Program string
	// Name is the process name (comm) start-stop-daemon matches: the base
	// name of Program cut to 15 bytes. Empty means exactly that.
	Name     string
	Pidfile  string        // absolute
	Log      string        // absolute; "" means /dev/null
	State    string        // absolute; "" means next to the pidfile, ending in .state
	Interval time.Duration // Periodic: pause between two runs; 0 means DefaultInterval
}

// File is one file of a rendered skeleton.
type File struct {
	Path string // absolute
	Data []byte
	Mode fs.FileMode
}

// normalize fills in the defaults and checks every value, naming the flag
// that set it.
func (p Params) normalize() (Params, error) {
	if _, err := ParseLang(string(p.Lang)); err != nil {
		return p, err
	}
	if p.Shape == "" {
		p.Shape = Periodic
	}
	if _, err := ParseShape(string(p.Shape)); err != nil {
		return p, err
	}
	abs := func(flag, v string, optional bool) error {
		if v == "" && optional {
			return nil
		}
		if !filepath.IsAbs(v) {
			return &spec.Error{Flag: flag, Value: v, Msg: "must be an absolute path"}
		}
		return checkField(flag, v)
	}
	if err := abs("--out", p.Program, false); err != nil {
		return p, err
	}
	if strings.HasSuffix(p.Program, "/") {
		return p, &spec.Error{Flag: "--out", Value: p.Program, Msg: "must name a file, not end in /"}
	}
	p.Program = filepath.Clean(p.Program)
	// The skeletons name their interpreter by absolute path, so the
	// process is named after the script itself.
	comm := proc.Truncate(filepath.Base(p.Program))
	if p.Name == "" {
		p.Name = comm
	}
	if err := checkField("--name", p.Name); err != nil {
		return p, err
	}
	if proc.Unmatchable(p.Name) {
		return p, &spec.Error{Flag: "--name", Value: p.Name,
			Msg:  "contains a backslash: start-stop-daemon reads process names with backslashes doubled, so it would never find the daemon",
			Hint: "name the program without a backslash"}
	}
	if p.Name != comm {
		return p, &spec.Error{Flag: "--name", Value: p.Name,
			Msg:  fmt.Sprintf("does not match the process name %q the kernel gives %s", comm, p.Program),
			Hint: "use --name " + shell.Quote(comm) + ", or name the program " + shell.Quote(p.Name)}
	}
	if err := abs("--pidfile", p.Pidfile, false); err != nil {
		return p, err
	}
	if err := abs("--log", p.Log, true); err != nil {
		return p, err
	}
	if p.State == "" {
		p.State = strings.TrimSuffix(p.Pidfile, ".pid") + ".state"
	}
	if err := abs("--state", p.State, false); err != nil {
		return p, err
	}
	if p.Interval == 0 {
		p.Interval = DefaultInterval
	}
	if p.Interval < 0 {
		return p, &spec.Error{Flag: "--every", Value: p.Interval.String(), Msg: "must not be negative"}
	}
	return p, nil
}

func checkField(flag, v string) error {
	if why := unsafeReason(v); why != "" {
		return &spec.Error{Flag: flag, Value: v, Msg: "cannot be written safely into a skeleton: " + why}
	}
	return nil
}

// templateData is what the templates see.
type templateData struct {
	Params
	Marker string
	Module string // Go module path
}

// funcs are the template functions; see quote.go.
var funcs = template.FuncMap{
	"goString":   goString,
	"perl":       perlString,
	"php":        phpString,
	"py":         pyString,
	"seconds":    seconds,
	"goDuration": goDuration,
}

// goDuration is a Go expression for d, such as 90 * time.Second.
func goDuration(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"}, {time.Millisecond, "Millisecond"}} {
		if d%u.d == 0 {
			return fmt.Sprintf("%d * time.%s", d/u.d, u.name)
		}
	}
	return fmt.Sprintf("%d * time.Nanosecond", d)
}

// seconds is a duration as a number literal of seconds that Go, Perl, PHP
// and Python all read the same way ("60", "0.25").
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// sources maps each language to its templates and where their output goes,
// relative to the directory of Params.Program ("" is Program itself).
var sources = map[Lang][]struct {
	tmpl, out string
	mode      fs.FileMode
}{
	Go:     {{"go/main.go.tmpl", "main.go", 0o644}, {"go/go.mod.tmpl", "go.mod", 0o644}},
	Perl:   {{"perl/bot.pl.tmpl", "", 0o755}},
	PHP:    {{"php/bot.php.tmpl", "", 0o755}},
	Python: {{"python/bot.py.tmpl", "", 0o755}},
}

// Render returns the files of the skeleton for p, with the defaults filled
// in. Bad parameters yield a *spec.Error naming the flag that set them.
func Render(p Params) ([]File, error) {
	p, err := p.normalize()
	if err != nil {
		return nil, err
	}
	data := templateData{Params: p, Marker: spec.SkeletonMarker, Module: modulePath(p.Name)}
	var files []File
	for _, src := range sources[p.Lang] {
		text, err := fs.ReadFile(templates.FS, path.Join("skeleton", src.tmpl))
		if err != nil {
			return nil, err
		}
		t, err := template.New(src.tmpl).Option("missingkey=error").Funcs(funcs).Parse(string(text))
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, err
		}
		out := p.Program
		if src.out != "" {
			out = filepath.Join(filepath.Dir(p.Program), src.out)
		}
		files = append(files, File{Path: out, Data: b.Bytes(), Mode: src.mode})
	}
	return files, nil
}

// modulePath makes a Go module path out of a process name: the characters a
// module path allows, or "bot" when none is left.
func modulePath(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		}
	}
	m := strings.TrimRight(b.String(), ".")
	if m == "" {
		return "bot"
	}
	return m
}
