package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
)

func newStartCmd(a *app) *cobra.Command {
	var (
		user    string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "start NAME",
		Short: "Start an installed daemon now, as cron would; un-pause a stopped one",
		Long: `start runs the entry's command now, the way cron runs it (as the crontab's
account, with cron's environment), and waits until the pidfile names a live
process with the entry's name and owner. It prints the PID. An entry that
mkdaemon stop paused is un-paused first: cron starts it again on its
schedule.`,
		Example: "  mkdaemon start mybot.py",
		Args:    oneName("start"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.timedEntry(user, args[0], timeout)
			if err != nil {
				return err
			}
			if changed, err := a.setPaused(e, false); err != nil {
				return err
			} else if changed {
				fmt.Fprintf(a.stdout, "un-paused %s in %s: cron starts it again on its schedule\n", e.d.Name, e.where)
			}
			s, err := a.start(e, timeout)
			if err != nil {
				return err
			}
			if s.New {
				fmt.Fprintf(a.stdout, "started %s (PID %d)\n", e.d.Name, s.PID)
			} else {
				fmt.Fprintf(a.stdout, "%s is already running (PID %d)\n", e.d.Name, s.PID)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the entry in `USER`'s crontab (root only)")
	cmd.Flags().DurationVar(&timeout, "timeout", check.DefaultTimeout, "how long to wait for the daemon to start")
	return cmd
}
