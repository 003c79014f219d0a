package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/logfile"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// statusLines is how many of the log's last lines status shows.
const statusLines = 10

func newStatusCmd(a *app) *cobra.Command {
	var (
		user   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "status NAME",
		Short: "Show an installed daemon's state, uptime, starts and log",
		Long: `status shows what mkdaemon list shows for one entry: its state (running
with its PID, stopped, paused, crash-looping or stale), its uptime, the
starts recorded in the last 24 hours and the last one, and its log's path
and size, followed by the log's last lines.`,
		Example: "  mkdaemon status mybot.py\n  mkdaemon status mybot.py --json",
		Args:    oneName("status"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.findEntry(user, args[0])
			if err != nil {
				return err
			}
			d := e.d
			var tail []string
			if d.Log != "" {
				s, _ := logfile.Tail(d.Log, e.acct.Proc(), statusLines)
				tail = logfile.Lines(s)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if tail == nil {
					tail = []string{}
				}
				return enc.Encode(struct {
					installed.Daemon
					LogTail []string `json:"log_tail"`
				}{d, tail})
			}
			w := a.stdout
			fmt.Fprintf(w, "%s: %s\n", d.Name, stateText(d))
			if d.StartedAt != nil {
				fmt.Fprintf(w, "  uptime:    %s (since %s)\n", duration(time.Duration(d.UptimeSeconds)*time.Second), d.StartedAt.Local().Format("2006-01-02 15:04:05"))
			}
			fmt.Fprintf(w, "  starts:    %s\n", startsText(d))
			fmt.Fprintf(w, "  schedule:  %s\n", scheduleText(d))
			fmt.Fprintf(w, "  pidfile:   %s\n", d.Pidfile)
			fmt.Fprintf(w, "  log:       %s\n", logText(d))
			if len(tail) > 0 {
				fmt.Fprintf(w, "last lines of %s:\n", d.Log)
				for _, l := range tail {
					fmt.Fprintf(w, "  %s\n", l)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the entry in `USER`'s crontab (root only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// stateText is the entry's state in words, with the evidence.
func stateText(d installed.Daemon) string {
	running := ""
	if d.State == proc.Running {
		running = fmt.Sprintf(" (PID %d)", d.PID)
	}
	switch {
	case d.Problem != "":
		return "unknown: " + d.Problem
	case d.Status == installed.StatusPaused:
		if running != "" {
			return "paused, still running" + running
		}
		return "paused"
	case d.Status == installed.StatusCrashLooping:
		return fmt.Sprintf("crash-looping: started on each of the last %d ticks%s", installed.CrashTicks, running)
	case d.State == proc.Running:
		return "running" + running
	case d.State == proc.Stale:
		return "stale pidfile: " + d.Reason
	}
	return string(d.State)
}

func startsText(d installed.Daemon) string {
	s := fmt.Sprintf("%d in the last 24 hours", d.Starts24h)
	if d.LastStart != nil {
		s += "; last " + d.LastStart.Local().Format("2006-01-02 15:04:05")
	}
	return s
}

func scheduleText(d installed.Daemon) string {
	if d.AtBoot && d.Schedule != "@reboot" {
		return d.Schedule + " + @reboot"
	}
	return d.Schedule
}

func logText(d installed.Daemon) string {
	switch {
	case d.Log == "":
		return "none"
	case d.LogSize < 0:
		return d.Log + " (not written yet)"
	}
	return fmt.Sprintf("%s (%s)", d.Log, size(d.LogSize))
}

// duration is an uptime for people: 45s, 12m, 3h12m, 4d3h.
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// size is a byte count for people.
func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
