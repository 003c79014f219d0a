package wizard

import (
	"context"
	"io"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// The wizard drives other parts of mkdaemon through these interfaces, which
// the CLI wires to the real implementations. A nil one means the feature is
// not available, and the wizard says so instead of offering it.

// Languages are the skeletons a Scaffolder can write, as offered to the
// user, with the identifier passed in ScaffoldRequest.Lang.
var Languages = []struct{ Label, Lang string }{
	{"Go", "go"},
	{"Perl", "perl"},
	{"PHP", "php"},
	{"Python", "python"},
}

// ScaffoldRequest asks for a new daemon skeleton.
type ScaffoldRequest struct {
	Lang string // "go", "perl", "php" or "python"
	// Out is where the skeleton goes: the program file for a script, a
	// directory for Go.
	Out string
	// The skeleton's own defaults; empty leaves the scaffolder's.
	Name, Pidfile, Log string
}

// Scaffolder writes daemon skeletons.
type Scaffolder interface {
	// Plan says, without writing anything, which program a skeleton for
	// req will be and what the rules will find there.
	Plan(req ScaffoldRequest) (program string, file spec.File, err error)
	// Scaffold writes the skeleton and returns the path of the program to
	// run (Out itself for a script, the binary inside Out for Go). It
	// never overwrites an existing file.
	Scaffold(ctx context.Context, req ScaffoldRequest) (program string, err error)
}

// Installer puts the entry into the crontab of r.Account.
type Installer interface {
	// Install writes the entry and reports what it did on out.
	Install(ctx context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error
}

// Differ is implemented by an Installer that can show the change to the
// crontab before making it.
type Differ interface {
	// Diff returns the unified diff the install would make, "" when the
	// crontab already holds exactly this entry.
	Diff(ctx context.Context, r *spec.Resolved, e entry.Entry) (string, error)
}

// Exporter renders the daemon for another supervisor.
type Exporter interface {
	// Formats are the formats offered, such as "systemd" and "toolforge".
	Formats() []string
	// Export writes the daemon in format to where that format belongs,
	// or shows it, reporting on out.
	Export(ctx context.Context, format string, r *spec.Resolved, out io.Writer) error
}

// Checker runs the start-up check against an installed entry.
type Checker interface {
	// Check reports each step on out; an error means the check failed.
	Check(ctx context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error
}
