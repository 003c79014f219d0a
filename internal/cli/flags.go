package cli

import (
	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/flags"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// specFlags are the flags that describe a daemon (internal/flags, shared
// with the fast front in cmd/mkdaemon).
type specFlags = flags.Spec

// registerSpec adds f's flags to cmd (main: also --print, --yes and
// --dry-run), with completion hints for the paths.
func registerSpec(cmd *cobra.Command, f *specFlags, main bool) {
	f.Register(cmd.Flags(), main)
	_ = cmd.MarkFlagFilename("program")
	_ = cmd.MarkFlagFilename("pidfile", "pid")
	_ = cmd.MarkFlagFilename("log")
	_ = cmd.MarkFlagDirname("chdir")
}

// missingFlags is the error for a run that lacks answers and may not ask.
func missingFlags() error {
	e := usagef("--program is required when not running interactively")
	return e.hint("mkdaemon --print --program ~/bots/mybot.py, or run mkdaemon on a terminal to be asked")
}

// env is what spec.Resolve needs to know about this process.
func (a *app) env() (spec.Env, error) { return spec.EnvOf(a.getenv) }

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
	return entry.Render(r, a.getenv("PATH"), a.now())
}
