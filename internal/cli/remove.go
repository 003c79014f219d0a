package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func newRemoveCmd(a *app) *cobra.Command {
	var (
		user        string
		yes, dryRun bool
		keepRunning bool
		timeout     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a daemon's entry from the crontab",
		Long: `remove takes the entry of the daemon NAME (as mkdaemon list shows it) out
of the crontab and leaves every other line as it was, then stops the
daemon as mkdaemon stop does (--keep-running leaves it running; cron just
stops restarting it) and removes the entry's logrotate config.`,
		Example: "  mkdaemon remove mybot.py --dry-run\n  mkdaemon remove mybot.py --yes",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("remove takes one NAME, got %d arguments", len(args)).hint("mkdaemon list shows the names; then: mkdaemon remove NAME")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			acct, env, in, err := a.editCrontab(user, yes, dryRun)
			if err != nil {
				return err
			}
			where := whose(acct, env.Current)
			c := crontab.Change{Name: name, Remove: true}
			if dryRun {
				return a.showPlan(in, c)
			}
			res, err := a.apply(in, c, yes, where, fmt.Sprintf("Remove %s from %s?", name, where), nil)
			if err != nil {
				return err
			}
			a.reportChange(res, where, yes)
			if res.Interrupted != nil {
				reraise(res.Interrupted)
			}
			if keepRunning {
				a.stillRunning(res.Old, name, acct)
				return nil
			}
			return a.afterRemove(res.Old, name, acct, env, timeout)
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "edit `USER`'s crontab (root only)")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "remove without asking for confirmation")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show the change to the crontab; write nothing and stop nothing")
	cmd.Flags().BoolVar(&keepRunning, "keep-running", false, "leave the daemon running")
	cmd.Flags().DurationVar(&timeout, "timeout", check.DefaultTimeout, "how long to wait after SIGTERM before SIGKILL")
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

// afterRemove stops the daemon of the block name that was in old, the
// crontab before the removal, and removes its logrotate config.
func (a *app) afterRemove(old, name string, acct spec.Account, env spec.Env, timeout time.Duration) error {
	blocks, err := crontab.Blocks(old)
	if err != nil {
		return nil
	}
	for _, b := range blocks {
		if b.Name != name {
			continue
		}
		d := installed.Of(b)
		for _, l := range installed.Unpause(b.Lines) {
			_, cmd, ok := crontab.Job(l)
			f := strings.Fields(cmd)
			if ok && len(f) == 4 && strings.HasSuffix(f[0], "/logrotate") && f[1] == "-s" {
				rot := entry.Rotation{State: f[2], Config: f[3]}
				if filepath.Dir(rot.Config) == filepath.Dir(rot.State) {
					if err := a.edge.writeRotation(rot, ownerFor(acct, env.Current), true); err != nil {
						a.warn([]string{"could not remove the logrotate config " + rot.Config + ": " + err.Error()})
					}
				}
			}
		}
		if d.Problem != "" {
			return nil
		}
		e := &installedEntry{acct: acct, env: env, d: d}
		_, err := a.stop(e, timeout)
		return err
	}
	return nil
}
