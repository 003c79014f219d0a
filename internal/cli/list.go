package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/installed"
)

func newListCmd(a *app) *cobra.Command {
	var (
		user   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Show the daemons mkdaemon installed in the crontab, and whether they run",
		Long: `list shows every daemon mkdaemon installed in the crontab: its name,
schedule, and state from the pidfile and /proc: running (with its PID),
stopped (no pidfile), paused (by mkdaemon stop), crash-looping (started on
each of the last 3 ticks), or stale (the pidfile names a dead process, a
zombie, or a PID reused by another program); its uptime, the starts
recorded in the last 24 hours and the last one, and its log with its size.
--json adds the pidfile and the crontab lines.`,
		Example: "  mkdaemon list\n  mkdaemon list --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, env, err := a.account(user)
			if err != nil {
				return err
			}
			in := a.installer(acct, env.Current, stateDirOf(acct, env))
			ds, err := installed.ListHealth(context.Background(), in, acct.Proc(), stateDirOf(acct, env), a.now())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(ds)
			}
			if len(ds) == 0 {
				fmt.Fprintf(a.stdout, "no mkdaemon entries in %s\n", whose(acct, env.Current))
				return nil
			}
			w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSCHEDULE\tSTATE\tUPTIME\tSTARTS/24H\tLAST START\tLOG")
			for _, d := range ds {
				up, last := "-", "-"
				if d.StartedAt != nil {
					up = duration(time.Duration(d.UptimeSeconds) * time.Second)
				}
				if d.LastStart != nil {
					last = d.LastStart.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.Name, scheduleText(d), stateText(d), up, d.Starts24h, last, logText(d))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "list `USER`'s crontab (root only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// noArgs refuses positional arguments as bad input (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0]).hint("see %s --help", cmd.CommandPath())
	}
	return nil
}
