package entry

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Render renders r with the start-stop-daemon its facts found. No
// start-stop-daemon is a runtime failure (spec.ErrNoSSD); a command too
// long for cron is bad input, a *spec.Error.
func Render(r *spec.Resolved, now time.Time) (Entry, error) {
	if r.SSD == "" {
		return Entry{}, spec.ErrNoSSD
	}
	e, err := Build(r, r.SSD, now)
	if tl, ok := err.(*crontab.CommandTooLongError); ok {
		return Entry{}, &spec.Error{Msg: tl.Error(),
			Hint: "shorten the paths or the arguments (a wrapper script or a config file the program reads can carry long arguments)"}
	}
	return e, err
}

// Print writes e for copy-paste, as `mkdaemon --print` shows it: the
// start-stop-daemon line and the crontab line(s) on stdout and the warnings
// on stderr, or with asJSON the Entry as one JSON object (warnings inside).
func Print(stdout, stderr io.Writer, e Entry, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}
	Warn(stderr, e.Warnings)
	var b strings.Builder
	fmt.Fprintf(&b, "# start-stop-daemon command line (starts %s unless it is already running):\n%s\n\n", e.Name, e.Command)
	fmt.Fprintf(&b, "# crontab entry: %s%s\n", e.ScheduleText, nextRunsText(e.NextRuns))
	for _, l := range e.CrontabLines {
		b.WriteString(l + "\n")
	}
	_, err := io.WriteString(stdout, b.String())
	return err
}

// Warn writes warnings the way mkdaemon shows every warning.
func Warn(stderr io.Writer, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(stderr, "mkdaemon: warning: %s\n", w)
	}
}

func nextRunsText(runs []string) string {
	if len(runs) == 0 {
		return ""
	}
	out := make([]string, 0, len(runs))
	for _, r := range runs {
		t, err := time.Parse(time.RFC3339, r)
		if err != nil {
			out = append(out, r)
			continue
		}
		out = append(out, t.Format("Mon 2006-01-02 15:04 MST"))
	}
	return " (next: " + strings.Join(out, ", ") + ")"
}
