package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/logfile"
)

func newLogsCmd(a *app) *cobra.Command {
	var (
		user   string
		lines  int
		follow bool
	)
	cmd := &cobra.Command{
		Use:   "logs NAME [-n N] [-f]",
		Short: "Print an installed daemon's log; -f follows it, across rotations",
		Long: `logs prints the last lines of the entry's log. With -f it goes on printing
what is appended, until interrupted, and keeps following when logrotate
rotates the log (by copying and truncating it, or by moving it).`,
		Example: "  mkdaemon logs mybot.py -n 50\n  mkdaemon logs mybot.py -f",
		Args:    oneName("logs"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if lines < 0 {
				return usagef("-n %d: give a number of lines, 0 or more", lines).hint("mkdaemon logs %s -n 50", args[0])
			}
			e, err := a.findEntry(user, args[0])
			if err != nil {
				return err
			}
			if e.d.Log == "" {
				return usagef("%s has no log: its output is discarded, or its program opens a log mkdaemon does not know", e.d.Name).
					hint("install it again without --log /dev/null to have its output in %s", "${XDG_STATE_HOME:-~/.local/state}/mkdaemon/"+e.d.Name+".log")
			}
			if !follow {
				s, err := logfile.Tail(e.d.Log, e.acct.Proc(), lines)
				if os.IsNotExist(err) {
					fmt.Fprintf(a.stderr, "mkdaemon: %s has not been written yet\n", e.d.Log)
					return nil
				}
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(a.stdout, s)
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return logfile.Follow(ctx, e.d.Log, e.acct.Proc(), lines, a.stdout, 200*time.Millisecond)
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the entry in `USER`'s crontab (root only)")
	cmd.Flags().IntVarP(&lines, "lines", "n", 20, "how many of the last lines to print")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "go on printing what is appended, across rotations, until interrupted")
	return cmd
}
