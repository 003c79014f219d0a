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
	res, err := a.apply(in, c, f.Yes, where, fmt.Sprintf("Install %s into %s?", e.Name, where))
	if err != nil {
		return err
	}
	a.reportChange(res, where, f.Yes)
	a.warnReplaced(res, e)
	if res.Interrupted != nil {
		reraise(res.Interrupted)
	}
	return nil
}

// warnReplaced says so when the block that was replaced belonged to another
// daemon: blocks are keyed by process name, and two programs can share one
// (two `#!/usr/bin/env python3` scripts are both "python3").
func (a *app) warnReplaced(res crontab.Result, e entry.Entry) {
	if res.Action != crontab.Updated {
		return
	}
	blocks, err := crontab.Blocks(res.Old)
	if err != nil {
		return
	}
	for _, b := range blocks {
		if b.Name != e.Name {
			continue
		}
		if old := installed.Of(b); old.Pidfile != "" && old.Pidfile != e.Pidfile {
			a.warn([]string{fmt.Sprintf("this replaced the entry of another daemon also named %s (pidfile %s); to keep both, their process names must differ (a script whose first line names its interpreter by absolute path is named after the script)",
				e.Name, old.Pidfile)})
		}
	}
}
