package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func newRemoveCmd(a *app) *cobra.Command {
	var (
		user        string
		yes, dryRun bool
	)
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a daemon's entry from the crontab",
		Long: `remove takes the entry of the daemon NAME (as mkdaemon list shows it) out
of the crontab and leaves every other line as it was. The daemon itself
keeps running; cron just stops restarting it.`,
		Example: "  mkdaemon remove mybot.py --dry-run\n  mkdaemon remove mybot.py --yes",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("remove takes one NAME, got %d arguments", len(args)).hint("mkdaemon list shows the names; then: mkdaemon remove NAME")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !dryRun && !yes && !a.interactive() {
				return errNeedYes()
			}
			if dryRun {
				a.dryRun()
			}
			acct, env, err := a.account(user)
			if err != nil {
				return err
			}
			in := a.installer(acct, env.Current, stateDirOf(acct, env))
			where := whose(acct, env.Current)
			c := crontab.Change{Name: name, Remove: true}
			if dryRun {
				p, err := in.Plan(context.Background(), c)
				if err != nil {
					return err
				}
				fmt.Fprint(a.stdout, p.Diff())
				return nil
			}
			res, err := a.apply(in, c, yes, where, fmt.Sprintf("Remove %s from %s?", name, where), nil)
			if err != nil {
				return err
			}
			a.reportChange(res, where, yes)
			a.stillRunning(res.Old, name, acct)
			if res.Interrupted != nil {
				reraise(res.Interrupted)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "edit `USER`'s crontab (root only)")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "remove without asking for confirmation")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show the change to the crontab; write nothing and stop nothing")
	return cmd
}

// stillRunning tells how to stop the daemon whose entry was removed, if it
// runs: removing the entry only stops cron from restarting it.
func (a *app) stillRunning(old, name string, acct spec.Account) {
	blocks, err := crontab.Blocks(old)
	if err != nil {
		return
	}
	for _, b := range blocks {
		if b.Name != name {
			continue
		}
		d := installed.Of(b)
		if d.Problem != "" {
			return
		}
		if st := proc.InspectAs(d.Pidfile, d.Process, acct.Proc()); st.State == proc.Running {
			ssdPath := spec.LookupSSD(a.getenv("PATH"))
			if ssdPath == "" {
				ssdPath = "/usr/sbin/start-stop-daemon"
			}
			fmt.Fprintf(a.stdout, "%s is still running (PID %d); stop it with: %s\n",
				name, st.PID, shell.Join([]string{ssdPath, "--stop", "--pidfile", d.Pidfile, "--name", d.Process}))
		}
	}
}
