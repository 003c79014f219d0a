package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/entry"
)

// printEntry writes the entry for copy-paste: the start-stop-daemon line
// and the crontab line(s) on stdout, warnings on stderr (in JSON they are a
// field).
func (a *app) printEntry(e entry.Entry, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}
	a.warn(e.Warnings)
	var b strings.Builder
	fmt.Fprintf(&b, "# start-stop-daemon command line (starts %s unless it is already running):\n%s\n\n", e.Name, e.Command)
	fmt.Fprintf(&b, "# crontab entry: %s%s\n", e.ScheduleText, nextRunsText(e.NextRuns))
	for _, l := range e.CrontabLines {
		b.WriteString(l + "\n")
	}
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}

func (a *app) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "mkdaemon: warning: %s\n", w)
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
