package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
)

func newStopCmd(a *app) *cobra.Command {
	var (
		user    string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "stop NAME",
		Short: "Pause an installed daemon's entry, then stop the daemon",
		Long: `stop pauses the entry, so that cron stops starting it, then stops the
daemon: SIGTERM, up to --timeout for it to exit, then SIGKILL, and only to
the process the pidfile names, with the entry's name and owner. A pidfile
left behind is removed.

A paused entry stays in the crontab where it was, its lines turned into
comments that start with "` + "#paused: " + `"; mkdaemon list shows it as paused, and
mkdaemon start un-pauses it.`,
		Example: "  mkdaemon stop mybot.py",
		Args:    oneName("stop"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.timedEntry(user, args[0], timeout)
			if err != nil {
				return err
			}
			changed, err := a.setPaused(e, true)
			if err != nil {
				return err
			}
			if changed {
				fmt.Fprintf(a.stdout, "paused %s in %s: cron will not start it until mkdaemon start %s\n", e.d.Name, e.where, e.d.Name)
			} else {
				fmt.Fprintf(a.stdout, "%s was already paused in %s\n", e.d.Name, e.where)
			}
			_, err = a.stop(e, timeout)
			return err
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the entry in `USER`'s crontab (root only)")
	cmd.Flags().DurationVar(&timeout, "timeout", check.DefaultTimeout, "how long to wait after SIGTERM before SIGKILL")
	return cmd
}
