package export

import (
	"fmt"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Format is a supervisor mkdaemon exports to.
type Format string

const (
	FormatSystemd   Format = "systemd"   // a systemd user unit
	FormatToolforge Format = "toolforge" // a Toolforge jobs.yaml entry
)

// Formats lists every format, in the order help texts show them.
var Formats = []Format{FormatSystemd, FormatToolforge}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	e := &spec.Error{Flag: "--format", Value: s, Msg: "is not a format mkdaemon exports to",
		Hint: "use --format systemd (a user unit) or --format toolforge (a jobs.yaml entry)"}
	if s == "" {
		e.Value, e.Msg = "", "is required"
	}
	return "", e
}

// Options are the per-format choices.
type Options struct {
	Systemd   SystemdOptions
	Toolforge ToolforgeOptions
}

// Result is a rendered export, ready to print or Write.
type Result struct {
	Format Format
	// Name is the unit's name (without .service) or the job's name.
	Name string
	// Content is the whole file: the unit, or a jobs.yaml holding only
	// the job. Write merges Job into an existing jobs.yaml instead.
	Content []byte
	// Job is the Toolforge job; zero for systemd.
	Job Job
	// User is the account that runs the daemon, "" for the current one.
	User string
}

// Render renders s in format f. Errors about the input are *spec.Error.
func Render(f Format, s spec.Spec, o Options) (Result, error) {
	switch f {
	case FormatSystemd:
		so := o.Systemd
		if so.Unit == "" {
			so.Unit = UnitName(s)
		}
		b, err := Systemd(s, so)
		if err != nil {
			return Result{}, err
		}
		return Result{Format: f, Name: so.Unit, Content: b, User: s.User}, nil
	case FormatToolforge:
		j, err := Toolforge(s, o.Toolforge)
		if err != nil {
			return Result{}, err
		}
		b, err := JobsYAML(j)
		if err != nil {
			return Result{}, err
		}
		return Result{Format: f, Name: j.Name, Content: b, Job: j, User: s.User}, nil
	}
	_, err := ParseFormat(string(f))
	return Result{}, err
}

// Instructions says what to do with the file next; path is where it was
// written, "" when it went to stdout. The CLI prints it on stderr.
func (r Result) Instructions(path string) string {
	if r.Format == FormatSystemd {
		return SystemdInstructions(r.Name, r.User, path)
	}
	var b strings.Builder
	file := path
	if path == "" {
		file = "jobs.yaml"
		b.WriteString("Add this entry to your tool's jobs.yaml (or write it there with --out jobs.yaml, which merges).\n")
	} else {
		fmt.Fprintf(&b, "Wrote job %s into %s.\n", r.Name, path)
	}
	fmt.Fprintf(&b, "On a Toolforge bastion, as the tool (become TOOL), load it with:\n  toolforge jobs load %s\n", file)
	b.WriteString("The command runs in the tool's home directory on Toolforge: the program, its arguments' paths and the log file must exist there.\n")
	fmt.Fprintf(&b, "Check it with: toolforge jobs list && toolforge jobs logs %s\n", r.Name)
	return b.String()
}

// Export renders s in format f and, when out is not "", writes it there
// (Write: a unit is replaced only with force, a jobs.yaml is merged). It
// returns the result and the path written, "" when out is "". This is the
// whole of `mkdaemon export` after flag parsing, for the CLI and for the
// wizard's review step, which offers these exports beside the crontab.
// Errors about the input are *spec.Error; nothing is written then.
func Export(s spec.Spec, f Format, o Options, out string, force bool) (Result, string, error) {
	if out != "" {
		if err := CheckOut(out); err != nil {
			return Result{}, "", err
		}
	}
	r, err := Render(f, s, o)
	if err != nil {
		return Result{}, "", err
	}
	if out == "" {
		return r, "", nil
	}
	path, err := r.Write(out, force)
	if err != nil {
		return Result{}, "", err
	}
	return r, path, nil
}
