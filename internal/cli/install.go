package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// install puts the entry into the target's crontab as the managed block
// named after the daemon: --dry-run shows the diff and writes nothing; on a
// terminal the entry and the diff are shown and confirmed; elsewhere --yes
// is required. Everything outside the block stays as it was (package
// crontab has the rules and the safety net: lock, backup, verify).
func (a *app) install(cmd *cobra.Command, f *specFlags, r *spec.Resolved, e entry.Entry) error {
	interactive := a.interactive()
	if !f.DryRun && !f.Yes && !interactive {
		return errNeedYes()
	}
	env, err := a.env()
	if err != nil {
		return err
	}
	in := a.installer(r.Account, env.Current, r.StateDir)
	where := whose(r.Account, env.Current)
	c := crontab.Change{Name: e.Name, Lines: e.CrontabLines}

	if f.DryRun {
		a.warn(e.Warnings)
		p, err := in.Plan(context.Background(), c)
		if err != nil {
			return err
		}
		if err := keepOthers(e, f.Replace)(p.Old); err != nil {
			return err
		}
		if p.Action == crontab.Unchanged {
			fmt.Fprintf(a.stdout, "%s is already in %s as shown; nothing to do\n", e.Name, where)
			return nil
		}
		fmt.Fprint(a.stdout, p.Diff())
		return nil
	}
	if !f.Yes {
		if err := a.printEntry(e, false); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	} else {
		a.warn(e.Warnings)
	}
	res, err := a.apply(in, c, f.Yes, where, fmt.Sprintf("Install %s into %s?", e.Name, where), keepOthers(e, f.Replace))
	if err != nil {
		return err
	}
	a.reportChange(res, where, f.Yes)
	if res.Interrupted != nil {
		reraise(res.Interrupted)
	}
	if err := a.writeRotation(r, env.Current); err != nil {
		return err
	}
	if f.NoStart {
		return nil
	}
	return a.startInstalled(r, e)
}

// keepOthers refuses to replace the block of another program that has the
// same name: blocks are keyed by process name, and two programs can share
// one (two `#!/usr/bin/env python3` scripts are both "python3"). Replaced
// silently, the running copy's pidfile would be forgotten and cron would
// start a second daemon beside it.
func keepOthers(e entry.Entry, replace bool) func(old string) error {
	return func(old string) error {
		if replace {
			return nil
		}
		blocks, err := crontab.Blocks(old)
		if err != nil {
			return nil // Plan has already said what is wrong with the crontab
		}
		for _, b := range blocks {
			if b.Name != e.Name {
				continue
			}
			if prev := installed.Of(b); prev.Program != "" && prev.Program != e.Program {
				return usagef("the crontab already has an entry named %s, for %s; installing %s under the same name would replace it and lose track of its running copy",
					e.Name, prev.Program, e.Program).
					hint("add --replace to replace it, or give the new program a process name of its own (a script whose first line names its interpreter by absolute path is named after the script)")
			}
		}
		return nil
	}
}
