package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
)

func newRestartCmd(a *app) *cobra.Command {
	var (
		user    string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "restart NAME",
		Short: "Stop an installed daemon and start it again, as after deploying new code",
		Long: `restart stops the daemon as mkdaemon stop does, without pausing its entry,
then starts it as mkdaemon start does, and prints the old and the new PID.`,
		Example: "  mkdaemon restart mybot.py",
		Args:    oneName("restart"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.timedEntry(user, args[0], timeout)
			if err != nil {
				return err
			}
			old, err := a.stop(e, timeout)
			if err != nil {
				return err
			}
			s, err := a.start(e, timeout)
			if err != nil {
				return err
			}
			if old.PID != 0 {
				fmt.Fprintf(a.stdout, "restarted %s: PID %d -> PID %d\n", e.d.Name, old.PID, s.PID)
			} else {
				fmt.Fprintf(a.stdout, "started %s (PID %d)\n", e.d.Name, s.PID)
			}
			if e.d.Paused {
				fmt.Fprintf(a.stdout, "%s stays paused: cron will not restart it if it exits (mkdaemon start %s un-pauses it)\n", e.d.Name, e.d.Name)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the entry in `USER`'s crontab (root only)")
	cmd.Flags().DurationVar(&timeout, "timeout", check.DefaultTimeout, "how long to wait for the daemon to stop (then SIGKILL) and to start")
	return cmd
}
