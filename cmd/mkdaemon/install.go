package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// install puts the entry into the target's crontab as the managed block
// named after the daemon: --dry-run shows the diff and writes nothing; on a
// terminal the entry and the diff are shown and confirmed; elsewhere --yes
// is required. Everything outside the block stays as it was (package
// crontab has the rules and the safety net: lock, backup, verify).
func (a *app) install(cmd *cobra.Command, f *specFlags, r *spec.Resolved, e entry.Entry) error {
	interactive := a.interactive()
	if !f.dryRun && !f.yes && !interactive {
		return errNeedYes()
	}
	env, err := a.env()
	if err != nil {
		return err
	}
	in := a.installer(r.Account, env.Current, r.StateDir)
	where := whose(r.Account, env.Current)
	c := crontab.Change{Name: e.Name, Lines: e.CrontabLines}

	if f.dryRun {
		a.warn(e.Warnings)
		p, err := in.Plan(context.Background(), c)
		if err != nil {
			return err
		}
		if p.Action == crontab.Unchanged {
			fmt.Fprintf(a.stdout, "%s is already in %s as shown; nothing to do\n", e.Name, where)
			return nil
		}
		fmt.Fprint(a.stdout, p.Diff())
		return nil
	}
	if !f.yes {
		if err := a.printEntry(e, false); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	} else {
		a.warn(e.Warnings)
	}
	res, err := a.apply(in, c, f.yes, where, fmt.Sprintf("Install %s into %s?", e.Name, where))
	if err != nil {
		return err
	}
	a.reportChange(res, where, f.yes)
	if res.Interrupted != nil {
		reraise(res.Interrupted)
	}
	return nil
}
