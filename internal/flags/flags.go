// Package flags defines the flags that describe a daemon. They are
// registered on a plain pflag.FlagSet, so that the full command line
// (internal/cli, on cobra) and the fast front that prints entries
// (cmd/mkdaemon, without cobra) parse the same flags in the same way.
package flags

import (
	"github.com/spf13/pflag"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Spec holds the daemon flags, --json, and the action flags of the main
// command.
type Spec struct {
	In     spec.Input // In.Args is left to the caller: the words after --
	JSON   bool
	Print  bool
	Yes    bool
	DryRun bool
}

// Register adds the daemon flags and --json to fs; main adds --print, --yes
// and --dry-run, which only the installing command has.
func (f *Spec) Register(fs *pflag.FlagSet, main bool) {
	fs.StringVar(&f.In.Program, "program", "", "`PATH` of the program to keep running (~ and relative paths are made absolute)")
	fs.StringVar(&f.In.Pidfile, "pidfile", "", "`PATH` of the pidfile (default ${XDG_STATE_HOME:-~/.local/state}/mkdaemon/NAME.pid)")
	fs.StringVar(&f.In.Name, "name", "", "process `NAME` start-stop-daemon matches, at most 15 characters (default: the name the kernel gives the program)")
	fs.StringVar(&f.In.Interval, "interval", crontab.DefaultInterval, "how often cron checks: 5m, 2h, a crontab schedule or @hourly-style `SPEC`")
	fs.BoolVar(&f.In.Background, "background", false, "the program stays in the foreground: start-stop-daemon forks it and writes the pidfile")
	fs.StringVar(&f.In.Log, "log", "", "with --background: `FILE` that receives the program's output")
	fs.StringVar(&f.In.Chdir, "chdir", "", "`DIR` to start the program in")
	fs.BoolVar(&f.In.AtBoot, "at-boot", false, "also start the program when cron starts (an @reboot line)")
	fs.StringVar(&f.In.User, "user", "", "install into `USER`'s crontab (root only)")
	fs.BoolVar(&f.JSON, "json", false, "print JSON instead of text")
	if main {
		fs.BoolVar(&f.Print, "print", false, "print the start-stop-daemon line and crontab entry; install nothing")
		fs.BoolVarP(&f.Yes, "yes", "y", false, "install without asking for confirmation")
		fs.BoolVar(&f.DryRun, "dry-run", false, "show the change to the crontab; write nothing")
	}
}
