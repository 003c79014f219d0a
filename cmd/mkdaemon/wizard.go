package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

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
		Prompter:  wizard.NewTerminal(in, out, a.getenv("NO_COLOR") != ""),
		Out:       a.stdout,
		Env:       env,
		Now:       a.now,
		Render:    a.render,
		Given:     givenFlags(cmd),
		PrintOnly: f.print,
		Yes:       f.yes,
		Installer: &wizardInstaller{a: a, cmd: cmd, f: f},
		Exporter:  wizardExporter{},
	}
	res, err := w.Run(cmd.Context(), f.in)
	switch {
	case errors.Is(err, wizard.ErrCanceled):
		return errCanceled
	case err != nil:
		return err
	case res.Action == wizard.ActionPrint:
		return a.printEntry(res.Entry, f.json)
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

// wizardInstaller installs what the user confirmed at the wizard's review
// the way `mkdaemon --yes` does: the review was the confirmation.
type wizardInstaller struct {
	a   *app
	cmd *cobra.Command
	f   *specFlags
}

func (wi *wizardInstaller) Install(_ context.Context, r *spec.Resolved, e entry.Entry, _ io.Writer) error {
	f := *wi.f
	f.yes = true
	return wi.a.install(wi.cmd, &f, r, e)
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
	_, err = fmt.Fprintf(out, "\n%s\n%s", res.Content, res.Instructions(""))
	return err
}
