package cli

import (
	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// specFlags holds the flags that describe a daemon, --json, and the action
// flags of the main command.
type specFlags struct {
	In      spec.Input // In.Args is left to the caller: the words after --
	JSON    bool
	Print   bool
	Yes     bool
	DryRun  bool
	Replace bool
	NoStart bool // install without starting the daemon
}

// registerSpec adds f's flags to cmd (main: also --print, --yes, --dry-run
// and --replace, which only the installing command has), with completion
// hints for the paths.
func registerSpec(cmd *cobra.Command, f *specFlags, main bool) {
	fs := cmd.Flags()
	fs.StringVar(&f.In.Program, "program", "", "`PATH` of the program to keep running (~ and relative paths are made absolute)")
	fs.StringVar(&f.In.Pidfile, "pidfile", "", "`PATH` of the pidfile (default ${XDG_STATE_HOME:-~/.local/state}/mkdaemon/NAME.pid)")
	fs.StringVar(&f.In.Name, "name", "", "process `NAME` start-stop-daemon matches, at most 15 characters (default: the name the kernel gives the program)")
	fs.StringVar(&f.In.Interval, "interval", schedule.DefaultInterval, "how often cron checks: 5m, 2h, a crontab schedule or @hourly-style `SPEC`")
	fs.BoolVar(&f.In.Daemonizes, "daemonizes", false, "the program forks into the background and writes its own pidfile (default: it stays in the foreground and start-stop-daemon does both)")
	// --background named the foreground mode before it became the
	// default; it is accepted and changes nothing.
	var background bool
	fs.BoolVar(&background, "background", false, "the default: start-stop-daemon forks the program and writes the pidfile")
	_ = fs.MarkHidden("background")
	fs.StringVar(&f.In.Log, "log", "", "`FILE` that receives the program's output, /dev/null to discard it (default ${XDG_STATE_HOME:-~/.local/state}/mkdaemon/NAME.log; not with --daemonizes: such a program opens its own)")
	fs.StringVar(&f.In.Chdir, "chdir", "", "`DIR` to start the program in")
	fs.BoolVar(&f.In.AtBoot, "at-boot", false, "also start the program when cron starts (an @reboot line)")
	fs.StringVar(&f.In.User, "user", "", "install into `USER`'s crontab (root only)")
	fs.BoolVar(&f.JSON, "json", false, "print JSON instead of text")
	if main {
		fs.BoolVar(&f.Print, "print", false, "print the start-stop-daemon line and crontab entry; install nothing")
		fs.BoolVarP(&f.Yes, "yes", "y", false, "install without asking for confirmation")
		fs.BoolVar(&f.DryRun, "dry-run", false, "show the change to the crontab; write nothing and start nothing")
		fs.BoolVar(&f.Replace, "replace", false, "replace an installed entry of the same name that runs another program")
	}
	// Day two: the log's rotation, mail on restarts, starting on install.
	fs.StringVar(&f.In.LogMax, "log-max", "", "rotate the log when it is larger than `SIZE` (logrotate's size: 10M, 500k; default "+spec.DefaultLogMax+")")
	fs.StringVar(&f.In.LogKeep, "log-keep", "", "keep `N` rotated, compressed logs (default 5)")
	fs.BoolVar(&f.In.Notify, "notify", false, "a tick that starts the daemon prints a line and the log's last lines, which cron mails to you")
	if main {
		fs.BoolVar(&f.NoStart, "no-start", false, "install without starting the daemon now (the next tick starts it)")
	}

	registerEnv(cmd, f)
	_ = cmd.MarkFlagFilename("program")
	_ = cmd.MarkFlagFilename("pidfile", "pid")
	_ = cmd.MarkFlagFilename("log")
	_ = cmd.MarkFlagDirname("chdir")
}

// registerEnv adds the flags that give the program its environment.
func registerEnv(cmd *cobra.Command, f *specFlags) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.In.Env, "env", nil, "give the program the variable `NAME=VALUE` (repeatable; written into the crontab: put secrets in --env-file)")
	fs.StringVar(&f.In.EnvFile, "env-file", "", "`FILE` of NAME=value lines the program gets, read at every start (mode 0600; never copied into the crontab)")
	_ = cmd.MarkFlagFilename("env-file")
}

// missingFlags is the error for a run that lacks answers and may not ask.
func missingFlags() error {
	e := usagef("--program is required when not running interactively")
	return e.hint("mkdaemon --print --program ~/bots/mybot.py, or run mkdaemon on a terminal to be asked")
}

// env is what spec.Gather needs to know about this process.
func (a *app) env() (spec.Env, error) { return spec.EnvOf(a.getenv) }

// resolve gathers the facts the input depends on and validates the input;
// every error is bad input (exit 2) except a failure to learn who we are.
func (a *app) resolve(in spec.Input) (*spec.Resolved, error) {
	env, err := a.env()
	if err != nil {
		return nil, err
	}
	return spec.Resolve(in, spec.Gather(in, env))
}

// render renders the entry with the start-stop-daemon the facts found.
func (a *app) render(r *spec.Resolved) (entry.Entry, error) {
	return entry.Render(r, a.now())
}
