package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// specFlags are the flags that describe a daemon, shared by every command
// that renders one, plus the action flags of the main command.
type specFlags struct {
	in     spec.Input
	json   bool
	print  bool
	yes    bool
	dryRun bool
}

// register adds the daemon flags and --json to cmd; main adds --print,
// --yes and --dry-run, which only the installing commands have.
func (f *specFlags) register(cmd *cobra.Command, main bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.in.Program, "program", "", "`PATH` of the program to keep running (~ and relative paths are made absolute)")
	fl.StringVar(&f.in.Pidfile, "pidfile", "", "`PATH` of the pidfile (default ${XDG_STATE_HOME:-~/.local/state}/mkdaemon/NAME.pid)")
	fl.StringVar(&f.in.Name, "name", "", "process `NAME` start-stop-daemon matches, at most 15 characters (default: the name the kernel gives the program)")
	fl.StringVar(&f.in.Interval, "interval", crontab.DefaultInterval, "how often cron checks: 5m, 2h, a crontab schedule or @hourly-style `SPEC`")
	fl.BoolVar(&f.in.Background, "background", false, "the program stays in the foreground: start-stop-daemon forks it and writes the pidfile")
	fl.StringVar(&f.in.Log, "log", "", "with --background: `FILE` that receives the program's output")
	fl.StringVar(&f.in.Chdir, "chdir", "", "`DIR` to start the program in")
	fl.BoolVar(&f.in.AtBoot, "at-boot", false, "also start the program when cron starts (an @reboot line)")
	fl.StringVar(&f.in.User, "user", "", "install into `USER`'s crontab (root only)")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of text")
	if main {
		fl.BoolVar(&f.print, "print", false, "print the start-stop-daemon line and crontab entry; install nothing")
		fl.BoolVarP(&f.yes, "yes", "y", false, "install without asking for confirmation")
		fl.BoolVar(&f.dryRun, "dry-run", false, "show the change to the crontab; write nothing")
	}
	_ = cmd.MarkFlagFilename("program")
	_ = cmd.MarkFlagFilename("pidfile", "pid")
	_ = cmd.MarkFlagFilename("log")
	_ = cmd.MarkFlagDirname("chdir")
}

// missingFlags is the error for a run that lacks answers and may not ask.
func missingFlags(f *specFlags) error {
	e := usagef("--program is required when not running interactively")
	return e.hint("mkdaemon --print --program ~/bots/mybot.py, or run mkdaemon on a terminal to be asked")
}

// env is what spec.Resolve needs to know about this process.
func (a *app) env() (spec.Env, error) {
	cur, err := spec.CurrentAccount()
	if err != nil {
		return spec.Env{}, err
	}
	if h := a.getenv("HOME"); h != "" {
		cur.Home = h // as the shell expands ~
	}
	cwd, err := os.Getwd()
	if err != nil {
		return spec.Env{}, err
	}
	return spec.Env{Getenv: a.getenv, Cwd: cwd, Current: cur, Lookup: spec.LookupAccount}, nil
}

// resolve validates the input; every error is bad input (exit 2) except a
// failure to learn who we are.
func (a *app) resolve(in spec.Input) (*spec.Resolved, error) {
	env, err := a.env()
	if err != nil {
		return nil, err
	}
	return spec.Resolve(in, env)
}

// render finds start-stop-daemon and renders the entry.
func (a *app) render(r *spec.Resolved) (entry.Entry, error) {
	ssdPath, err := ssd.Lookup(a.getenv("PATH"))
	if err != nil {
		return entry.Entry{}, err
	}
	e, err := entry.Build(r, ssdPath, a.now())
	if tl, ok := err.(*crontab.CommandTooLongError); ok {
		return entry.Entry{}, &spec.Error{Msg: tl.Error(),
			Hint: "shorten the paths or the arguments (a wrapper script or a config file the program reads can carry long arguments)"}
	}
	return e, err
}
