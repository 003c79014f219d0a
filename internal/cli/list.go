package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/proc"
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
schedule, pidfile, and state from the pidfile and /proc: running (with its
PID), stopped (no pidfile), or stale (the pidfile names a dead process, a
zombie, or a PID reused by another program).`,
		Example: "  mkdaemon list\n  mkdaemon list --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, env, err := a.account(user)
			if err != nil {
				return err
			}
			in := a.installer(acct, env.Current, stateDirOf(acct, env))
			ds, err := installed.List(context.Background(), in, acct.Proc())
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
			fmt.Fprintln(w, "NAME\tSCHEDULE\tSTATE\tPIDFILE")
			for _, d := range ds {
				sched := d.Schedule
				if d.AtBoot && sched != "@reboot" {
					sched += " + @reboot"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", d.Name, sched, stateText(d), d.Pidfile)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "list `USER`'s crontab (root only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func stateText(d installed.Daemon) string {
	switch {
	case d.Problem != "":
		return "unknown: " + d.Problem
	case d.State == proc.Running:
		return fmt.Sprintf("running (PID %d)", d.PID)
	case d.State == proc.Stale:
		return "stale pidfile: " + d.Reason
	}
	return string(d.State)
}

// noArgs refuses positional arguments as bad input (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0]).hint("see %s --help", cmd.CommandPath())
	}
	return nil
}
