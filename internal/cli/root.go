// Package cli is the whole mkdaemon command line, on cobra; cmd/mkdaemon
// only calls Main.
//
// How it is put together:
//
//   - Main builds an app (the process's streams and environment) and a cobra
//     root command, and turns the returned error into an exit status
//     (errors.go: *spec.Error and *usageError exit 2, errCanceled 130,
//     anything else 1).
//   - Every subcommand lives in its own file as newXxxCmd(a *app)
//     *cobra.Command and is registered in newRootCmd below.
//   - Commands that describe a daemon share the flags of specFlags
//     (flags.go): a.resolve turns them into
//     a validated spec.Resolved, and a.render into an entry.Entry (the
//     start-stop-daemon line and crontab lines). Nothing may be written
//     before both succeed.
package cli

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/mkdaemon/mkdaemon/internal/shell"
)

// app is what a command may touch of the outside world.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	// edge is every side effect; a dry run swaps in a dryRun.
	edge edge
}

// dryRun makes every side effect from here on a report of what would be
// done.
func (a *app) dryRun() { a.edge = &dryRun{out: a.stderr} }

// interactive reports whether prompting is allowed: stdin and stdout are
// both terminals and MKDAEMON_NO_PROMPT is unset.
func (a *app) interactive() bool {
	if a.getenv("MKDAEMON_NO_PROMPT") != "" {
		return false
	}
	in, ok1 := a.stdin.(*os.File)
	out, ok2 := a.stdout.(*os.File)
	return ok1 && ok2 && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd()))
}

// Main runs mkdaemon with args (without the program name) and returns
// its exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now, edge: realEdge{}}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

func newRootCmd(a *app) *cobra.Command {
	var f specFlags
	root := &cobra.Command{
		Use:   "mkdaemon [flags] [-- PROGRAM-ARGS...]",
		Short: "Keep a program running with cron and start-stop-daemon",
		Long: `mkdaemon writes the start-stop-daemon command line and crontab entry that
start a program whenever it is not running, checks them, and installs them
into your crontab without touching anything else there.

  mkdaemon                                  ask for everything (on a terminal)
  mkdaemon --print --program ~/bots/bot.py  print the lines, install nothing
  mkdaemon --program ~/bots/bot.py --yes    install the entry`,
		Example: `  mkdaemon --print --program ~/bots/mybot.py --interval 30m -- --wiki en`,
		Args:    programArgsOnly,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.In.Args = args
			return a.runMain(cmd, &f)
		},
	}
	registerSpec(root, &f, true)
	root.SuggestionsMinimumDistance = 2
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("%v", err).hint("see %s --help", cmd.CommandPath())
	})
	root.AddCommand(
		// Subcommands register here, one line each.
		newAdoptCmd(a),
		newCheckCmd(a),
		newExportCmd(a),
		newLintCmd(a),
		newListCmd(a),
		newRemoveCmd(a),
		newScaffoldCmd(a),
		newStartCmd(a),
		newStopCmd(a),
		newRestartCmd(a),
		newStatusCmd(a),
		newLogsCmd(a),
	)
	return root
}

// programArgsOnly accepts positional arguments only after `--`: they are the
// program's own. A word before it is a command mkdaemon does not have, or
// a value without its flag.
func programArgsOnly(cmd *cobra.Command, args []string) error {
	dash := cmd.ArgsLenAtDash()
	if dash == 0 || len(args) == 0 {
		return nil
	}
	first := args[0]
	// With flags already given, the word is more likely meant for the
	// program than a command.
	if dash < 0 && cmd.HasSubCommands() && cmd.Flags().NFlag() == 0 {
		e := usagef("unknown command %q", first)
		if s := cmd.SuggestionsFor(first); len(s) > 0 {
			e.hint("did you mean %s?", strings.Join(s, " or "))
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return e.hint("the commands are: %s; without a command, mkdaemon --program PATH [-- ARGS...] prints or installs an entry", strings.Join(names, ", "))
	}
	return usagef("unexpected argument %q", first).
		hint("put the program's own arguments after --, as in: %s --program PATH -- %s", cmd.CommandPath(), shell.Quote(first))
}

// runMain is mkdaemon without a subcommand: print or install one entry.
func (a *app) runMain(cmd *cobra.Command, f *specFlags) error {
	if f.DryRun {
		a.dryRun()
	}
	if f.In.Program == "" && !a.interactive() {
		return missingFlags()
	}
	if f.In.Program == "" {
		return a.runWizard(cmd, f)
	}
	r, err := a.resolve(f.In)
	if err != nil {
		return err
	}
	e, err := a.render(r)
	if err != nil {
		return err
	}
	if f.Print {
		return a.printEntry(e, f.JSON)
	}
	return a.install(cmd, f, r, e)
}
