package schedule

import (
	"strings"
	"testing"
)

// TestScheduleDurationLike: a word that reads as a duration but is not an
// interval is explained as a duration, not as a crontab line with 1 field.
func TestScheduleDurationLike(t *testing.T) {
	tests := []refusal{
		{"90s", "90s is not a whole number of minutes", "--interval 1m or --interval 2m"},
		{"30s", "30s is shorter than a minute", "--interval 1m"},
		{"500ms", "shorter than a minute", "--interval 1m"},
		{"1h30m", "1h30m does not divide an hour or a day evenly", "--interval 1h or --interval 2h"},
		{"1.5h", "does not divide an hour or a day evenly", "--interval 1h or --interval 2h"},
		{"7m0s", "does not divide an hour or a day evenly", "--interval 6m or --interval 10m"},
		{"48h0m", "does not divide", "--interval 24h"},
		{"2h0m", "write a duration as one number and one unit", "--interval 2h"},
		{"0.5h", "write a duration as one number and one unit", "--interval 30m"},
		{"+5m", "one number and one unit", "--interval 5m"},
		{"-5m", "-5m is negative", "--interval 5m"},
		{"0s", "zero", "--interval 1m"},
		{"2d", "days are not a unit", "'0 0 */2 * *'"},
		{"1w", "weeks are not a unit", "@weekly"},
		{"5min", "not a duration mkdaemon reads", "--interval 5m"},
		{"5M", "not a duration mkdaemon reads", "--interval 5m"},
		{"-90s", "negative", "--interval 1m or --interval 2m"},
		{"5", "5 has no unit", "for minutes write --interval 5m"},
		{"7", "7 has no unit", "--interval 6m or --interval 10m"},
		{"0", "0 has no unit", "--interval 1m"},
	}
	for i, se := range wantRefused(t, tests) {
		if se == nil {
			continue
		}
		tt := tests[i]
		for _, want := range []string{"cron's resolution is one minute", "5m", "2h"} {
			if !strings.Contains(se.Msg, want) {
				t.Errorf("Parse(%q) = %q; want it to say which durations are accepted (%q)", tt.in, se.Msg, want)
			}
		}
		if strings.Contains(se.Msg, "crontab schedule has 5") {
			t.Errorf("Parse(%q) = %q; a duration is not a crontab line", tt.in, se.Msg)
		}
	}
	// Without letters a word is a crontab field that lacks four others.
	for _, in := range []string{"5-10", "1,2", "*/5"} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), "1 field: a crontab schedule has 5") {
			t.Errorf("Parse(%q) = %v; want the five-fields message", in, err)
		}
	}
}
