package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/scaffold"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/wizard"
)

// scaffoldFlags are scaffold's own flags beside the shared daemon flags.
type scaffoldFlags struct {
	spec    specFlags
	lang    string
	shape   string
	out     string
	every   time.Duration
	force   bool
	install bool
}

func newScaffoldCmd(a *app) *cobra.Command {
	var f scaffoldFlags
	cmd := &cobra.Command{
		Use:   "scaffold --lang go|perl|php|python --out PATH [flags] [-- PROGRAM-ARGS...]",
		Short: "Write a new bot that daemonizes itself, and the lines that keep it running",
		Long: `scaffold writes a daemon skeleton: a program that puts itself in the
background correctly (double fork, no terminal, cwd /, umask 027, a locked
pidfile, SIGTERM and SIGHUP handled, its state saved atomically), with one
place for the bot's code. Then it prints the start-stop-daemon line and
crontab entry for it, exactly as --print would.

  --shape periodic         work() runs every --every (the default)
  --shape connection       one long-lived connection: connect, handle each
                           line, connect again after a growing pause

  --lang perl|php|python   --out is the script, made executable
  --lang go                --out is a directory: main.go and go.mod go there,
                           and the binary is built when go is on PATH

The pidfile and log chosen here are the skeleton's defaults, so the printed
line and the program agree; the skeleton's own --pidfile, --log, --state and
--every flags override them. --interval is cron's schedule for the entry. An existing file is never replaced without
--force. With --install the entry also goes into your crontab, as mkdaemon
--program does.`,
		Example: `  mkdaemon scaffold --lang python --out ~/bots/mybot.py
  mkdaemon scaffold --lang go --out ~/bots/gobot --interval 10m --every 30s
  mkdaemon scaffold --lang python --shape connection --out ~/bots/ircbot.py
  mkdaemon scaffold --lang perl --out ~/bots/mybot.pl --install --yes`,
		Args: programArgsOnly,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.spec.In.Args = args
			return a.runScaffold(cmd, &f)
		},
	}
	registerSpec(cmd, &f.spec, false)
	fl := cmd.Flags()
	fl.StringVar(&f.lang, "lang", "", "the skeleton's `LANGUAGE`: go, perl, php or python")
	fl.StringVar(&f.shape, "shape", string(scaffold.Periodic), "the bot's `SHAPE`: periodic (work every --every) or connection (one long-lived connection)")
	fl.StringVarP(&f.out, "out", "o", "", "the script to write, or for --lang go the `PATH` of its directory")
	fl.DurationVar(&f.every, "every", scaffold.DefaultInterval, "how often the bot does its work: the skeleton's pause between two runs, as a `DURATION` (30s, 5m)")
	fl.BoolVar(&f.force, "force", false, "replace files that exist")
	fl.BoolVar(&f.install, "install", false, "also install the crontab entry")
	fl.BoolVarP(&f.spec.Yes, "yes", "y", false, "with --install: install without asking for confirmation")
	fl.BoolVar(&f.spec.DryRun, "dry-run", false, "say what would be written and installed; write nothing")
	fl.BoolVar(&f.spec.NoStart, "no-start", false, "with --install: install without starting the bot now (the next tick starts it)")
	_ = cmd.MarkFlagFilename("out")
	_ = cmd.RegisterFlagCompletionFunc("shape", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{string(scaffold.Periodic), string(scaffold.Connection)}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("lang", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var ls []string
		for _, l := range scaffold.Langs {
			ls = append(ls, string(l))
		}
		return ls, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// runScaffold checks every flag before anything is written, renders the
// skeleton and the entry, and only then writes the files, builds a Go
// skeleton, and prints or installs the entry.
func (a *app) runScaffold(cmd *cobra.Command, f *scaffoldFlags) error {
	if f.lang == "" {
		return usagef("--lang is required").hint("mkdaemon scaffold --lang python --out ~/bots/mybot.py (or go, perl, php)")
	}
	lang, err := scaffold.ParseLang(f.lang)
	if err != nil {
		return err
	}
	shape, err := scaffold.ParseShape(f.shape)
	if err != nil {
		return err
	}
	if shape == scaffold.Connection && cmd.Flags().Changed("every") {
		return usagef("--every applies to --shape periodic only: a connection bot reads as long as it is connected").
			hint("leave out --every")
	}
	if f.out == "" {
		return usagef("--out is required").hint("mkdaemon scaffold --lang %s --out %s", lang, exampleOut(lang))
	}
	if f.spec.In.Program != "" {
		return usagef("--program does not apply to scaffold: the program is what --out names").
			hint("mkdaemon scaffold --lang %s --out %s", lang, f.spec.In.Program)
	}
	if f.every <= 0 {
		return &spec.Error{Flag: "--every", Value: f.every.String(), Msg: "must be positive: the bot would run its work in a busy loop",
			Hint: "use --every 1m, or --every 1s for a bot that must react fast"}
	}
	if f.spec.Yes && !f.install {
		return usagef("--yes only applies with --install").hint("add --install, or leave out --yes")
	}
	if f.install && !f.spec.Yes && !f.spec.DryRun && !a.interactive() {
		return usagef("--install needs --yes when not running interactively").
			hint("run the same command without --install to see the entry, then with --install --yes")
	}
	if f.spec.DryRun {
		a.dryRun()
	}

	env, err := a.env()
	if err != nil {
		return err
	}
	program := scaffold.ProgramFor(lang, spec.AbsPath(f.out, env), f.spec.In.Name)
	r, err := scaffold.Resolve(lang, program, f.spec.In, env)
	if err != nil {
		return err
	}
	p := scaffold.FromSpec(lang, r.Spec)
	p.Shape = shape
	p.Interval = f.every
	if _, err := scaffold.Render(p); err != nil {
		return err
	}
	e, err := a.render(r)
	if err != nil {
		return err
	}

	// Everything is checked: from here on, files are written.
	res, err := a.edge.createSkeleton(p, f.force, ownerFor(r.Account, env.Current))
	if err != nil {
		return err
	}
	for _, path := range res.Files {
		fmt.Fprintf(a.stderr, "mkdaemon: wrote %s\n", path)
	}
	if res.NotBuilt != "" {
		// No entry for a binary that does not exist: cron would fail on
		// every tick.
		next := shell.Join(append([]string{"mkdaemon", "--program", r.Spec.Program}, r.Spec.Args...))
		if f.install {
			return fmt.Errorf("%s; nothing was installed: build it, then install its entry with: %s --yes", res.NotBuilt, next)
		}
		fmt.Fprintf(a.stderr, "mkdaemon: %s\nmkdaemon: then print or install its entry with: %s --print (or --yes)\n", res.NotBuilt, next)
		return nil
	}
	if err := a.makePidfileDir(r, env, f.install); err != nil {
		return err
	}
	if f.install {
		return a.install(cmd, &f.spec, r, e)
	}
	return a.printEntry(e, f.spec.JSON)
}

// makePidfileDir creates mkdaemon's state directory when the skeleton's
// default pidfile (and log and state) go there, so that the skeleton can be
// tried at once. Install creates it too, with the right owner for another
// user's crontab; without --install it is created only for oneself.
func (a *app) makePidfileDir(r *spec.Resolved, env spec.Env, install bool) error {
	dir := filepath.Dir(r.Spec.Pidfile)
	if !r.DefaultPidfile || install {
		return nil
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if r.Account.UID != env.Current.UID {
		a.warn([]string{fmt.Sprintf("%s does not exist yet: the skeleton cannot write its pidfile there until mkdaemon --install creates it for %s", dir, r.Account.Name)})
		return nil
	}
	return a.edge.makeDir(dir, env.Current.Home, -1, -1)
}

func exampleOut(lang scaffold.Lang) string {
	if lang == scaffold.Go {
		return "~/bots/mybot"
	}
	return "~/bots/mybot." + map[scaffold.Lang]string{scaffold.Perl: "pl", scaffold.PHP: "php", scaffold.Python: "py"}[lang]
}

// wizardScaffolder writes the skeletons the wizard offers for a program
// path that does not exist, with the defaults of mkdaemon scaffold, once
// the user has chosen to go ahead at the review.
type wizardScaffolder struct {
	a    *app
	env  spec.Env
	user string // --user
}

// Plan implements wizard.Scaffolder.
func (ws wizardScaffolder) Plan(req wizard.ScaffoldRequest) (string, spec.File, error) {
	lang, err := scaffold.ParseLang(req.Lang)
	if err != nil {
		return "", spec.File{}, err
	}
	return scaffold.ProgramFor(lang, req.Out, req.Name), scaffold.Planned(lang), nil
}

// Scaffold implements wizard.Scaffolder.
func (ws wizardScaffolder) Scaffold(_ context.Context, req wizard.ScaffoldRequest) (string, error) {
	lang, err := scaffold.ParseLang(req.Lang)
	if err != nil {
		return "", err
	}
	program := scaffold.ProgramFor(lang, req.Out, req.Name)
	name := req.Name
	if name == "" {
		name = proc.Truncate(filepath.Base(program))
	}
	pidfile := req.Pidfile
	if pidfile == "" {
		pidfile = filepath.Join(spec.StateDir(ws.env.Current, ws.env), name+".pid")
	}
	p := scaffold.FromSpec(lang, spec.Spec{Program: program, Name: name, Pidfile: pidfile, Log: req.Log})
	acct, err := spec.ResolveAccount(ws.user, ws.env)
	if err != nil {
		return "", err
	}
	res, err := ws.a.edge.createSkeleton(p, false, ownerFor(acct, ws.env.Current))
	if err != nil {
		return "", err
	}
	if res.NotBuilt != "" {
		// The wizard checks its questions against the program itself.
		return "", errors.New(res.NotBuilt)
	}
	return res.Params.Program, nil
}
