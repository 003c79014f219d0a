package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/export"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/wizard"
)

// runWizard is mkdaemon on a terminal without a program: it asks for what
// the flags did not give, then installs, prints (--print, or when chosen)
// or exports. Ctrl-C at any question exits 130 with nothing written.
func (a *app) runWizard(cmd *cobra.Command, f *specFlags) error {
	in, _ := a.stdin.(*os.File) // a.interactive() made sure both are terminals
	out, _ := a.stdout.(*os.File)
	env, err := a.env()
	if err != nil {
		return err
	}
	w := &wizard.Wizard{
		Prompter:   wizard.NewTerminal(in, out, a.getenv("NO_COLOR") != ""),
		Out:        a.stdout,
		Env:        env,
		Now:        a.now,
		Render:     a.render,
		Given:      givenFlags(cmd),
		PrintOnly:  f.Print,
		Yes:        f.Yes,
		Installer:  &wizardInstaller{a: a, f: f},
		Scaffolder: wizardScaffolder{a: a, env: env, user: f.In.User},
		Exporter:   wizardExporter{},
	}
	if !f.DryRun {
		// A dry run offers no check: the check starts the daemon.
		w.Checker = wizardChecker{a: a}
	}
	res, err := w.Run(cmd.Context(), f.In)
	switch {
	case errors.Is(err, wizard.ErrCanceled):
		return errCanceled
	case err != nil:
		return err
	case res.Action == wizard.ActionPrint:
		return a.printEntry(res.Entry, f.JSON)
	}
	return nil
}

// givenFlags tells the wizard which answers the command line gave: a flag
// that was set, or the program's arguments after --.
func givenFlags(cmd *cobra.Command) func(string) bool {
	return func(name string) bool {
		if name == "args" {
			return cmd.ArgsLenAtDash() >= 0
		}
		fl := cmd.Flags().Lookup(name)
		return fl != nil && fl.Changed
	}
}

// wizardInstaller installs what the user confirmed at the wizard's review.
// The review was the confirmation: the diff it showed is the plan applied,
// and if the crontab changed since, nothing is written (crontab.ErrChanged).
type wizardInstaller struct {
	a    *app
	f    *specFlags
	plan *crontab.Plan // from Diff, for the change in change
}

func (wi *wizardInstaller) target(r *spec.Resolved) (*crontab.Installer, string, error) {
	env, err := wi.a.env()
	if err != nil {
		return nil, "", err
	}
	return wi.a.installer(r.Account, env.Current, r.StateDir), whose(r.Account, env.Current), nil
}

func changeOf(e entry.Entry) crontab.Change {
	return crontab.Change{Name: e.Name, Lines: e.CrontabLines}
}

// Diff implements wizard.Differ.
func (wi *wizardInstaller) Diff(ctx context.Context, r *spec.Resolved, e entry.Entry) (string, error) {
	in, _, err := wi.target(r)
	if err != nil {
		return "", err
	}
	p, err := in.Plan(ctx, changeOf(e))
	if err != nil {
		return "", err
	}
	if err := keepOthers(e, wi.f.Replace)(p.Old); err != nil {
		return "", err
	}
	wi.plan = p
	return p.Diff(), nil
}

// Install implements wizard.Installer.
func (wi *wizardInstaller) Install(ctx context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error {
	in, where, err := wi.target(r)
	if err != nil {
		return err
	}
	c := changeOf(e)
	if wi.f.DryRun {
		fmt.Fprintf(out, "--dry-run: %s was not changed\n", where)
		return nil
	}
	confirmed := wi.plan
	if confirmed == nil || !slices.Equal(confirmed.Change.Lines, c.Lines) || confirmed.Change.Name != c.Name {
		if confirmed, err = in.Plan(ctx, c); err != nil {
			return err
		}
		if err := keepOthers(e, wi.f.Replace)(confirmed.Old); err != nil {
			return err
		}
	}
	res, err := wi.a.edge.applyCrontab(ctx, in, c, confirmed)
	var ie *crontab.InterruptedError
	if errors.As(err, &ie) {
		return errCanceled
	}
	if err != nil {
		return err
	}
	wi.a.reportChange(res, where, false)
	if res.Interrupted != nil {
		reraise(res.Interrupted)
	}
	env, err := wi.a.env()
	if err != nil {
		return err
	}
	return wi.a.writeRotation(r, env.Current)
}

// wizardExporter offers the formats of `mkdaemon export` at the review.
// Like export without --out it shows the file and what to do with it, and
// writes nothing: where a unit or a jobs.yaml belongs is the user's call
// (mkdaemon export --out writes it).
type wizardExporter struct{}

func (wizardExporter) Formats() []string {
	fs := make([]string, len(export.Formats))
	for i, f := range export.Formats {
		fs[i] = string(f)
	}
	return fs
}

func (wizardExporter) Export(_ context.Context, format string, r *spec.Resolved, out io.Writer) error {
	res, _, err := export.Export(r.Spec, export.Format(format), export.Options{}, "", false)
	if err != nil {
		return err
	}
	res.User = r.Account.Name
	_, err = fmt.Fprintf(out, "\n%s\n%s", res.Content, exportInstructions(res, r, ""))
	return err
}
