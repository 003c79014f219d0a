package schedule

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseScheduleAccepts(t *testing.T) {
	tests := []struct{ in, expr, text string }{
		{"", "*/5 * * * *", "At every 5th minute"},
		{"30m", "*/30 * * * *", "At every 30th minute"},
		{"1m", "* * * * *", "At every minute"},
		{"60m", "0 * * * *", "At minute 0"},
		{"1h", "0 * * * *", "At minute 0"},
		{"6h", "0 */6 * * *", "At minute 0 past every 6th hour"},
		{"24h", "0 0 * * *", "At 00:00"},
		{"  */10   * *  * * ", "*/10 * * * *", "At every 10th minute"},
		{"15 3 * * *", "15 3 * * *", "At 03:15"},
		{"0 9 * * mon", "0 9 * * mon", "At 09:00 on Monday"},
		{"0 9 * * 7", "0 9 * * 7", "At 09:00 on Sunday"},
		{"0 4 1 * *", "0 4 1 * *", "At 04:00 on day-of-month 1"},
		{"0 0 29 Feb *", "0 0 29 Feb *", "At 00:00 on day-of-month 29 in February"},
		{"0 9-17 * * mon-fri", "0 9-17 * * mon-fri", "At minute 0 past every hour from 9 through 17 on every day-of-week from Monday through Friday"},
		{"1-5/2,30 * * jan-mar,dec *", "1-5/2,30 * * jan-mar,dec *", "At every 2nd minute from 1 through 5 and minute 30 in every month from January through March and December"},
		{"@reboot", "@reboot", "At reboot (when cron starts)"},
		{"@hourly", "@hourly", "At minute 0"},
		{"@daily", "@daily", "At 00:00"},
		{"@midnight", "@midnight", "At 00:00"},
		{"@weekly", "@weekly", "At 00:00 on Sunday"},
		{"@monthly", "@monthly", "At 00:00 on day-of-month 1"},
		{"@yearly", "@yearly", "At 00:00 on day-of-month 1 in January"},
		{"@annually", "@annually", "At 00:00 on day-of-month 1 in January"},
		// Steps as wide as their field: cron matches the first value alone.
		{"*/60 * * * *", "*/60 * * * *", "At minute 0"},
		{"0 0 * */12 *", "0 0 * */12 *", "At 00:00 in January"},
		// Rare, but it fires: Feb 29 on a Sunday (2032, 2060, ...).
		{"0 0 29 2 */7", "0 0 29 2 */7", "At 00:00 on day-of-month 29 if it's on Sunday in February"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if s.Expr != tt.expr || s.Text() != tt.text {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", tt.in, s.Expr, s.Text(), tt.expr, tt.text)
		}
	}
}

func TestParseScheduleRejects(t *testing.T) {
	tests := []refusal{
		{"7m", "does not divide an hour evenly", "--interval 5m or --interval 10m"},
		{"45m", "does not divide an hour evenly", "--interval 30m or --interval 60m"},
		{"90m", "does not divide an hour evenly", "--interval 1h or --interval 2h"},
		{"5h", "does not divide a day evenly", "--interval 4h or --interval 6h"},
		{"0m", "at least 1m", ""},
		{"0 * * * * *", "6 fields", "'* * * * *'"},
		{"* * * *", "4 fields", ""},
		{"@every 5m", "@every is not crontab syntax", "--interval 5m"},
		{"@fortnightly", "unknown @-descriptor", "@reboot"},
		{"CRON_TZ=UTC", "time-zone prefixes", ""},
		{"CRON_TZ=UTC 0 * * * *", "time-zone prefixes", ""},
		{"TZ=Europe/Berlin 0 * * * *", "time-zone prefixes", ""},
		{"60 * * * *", "bad minute \"60\": 60 is out of range 0-59", ""},
		{"0 24 * * *", "bad hour", ""},
		{"0 0 0 * *", "bad day-of-month", ""},
		{"0 0 * 13 *", "bad month", ""},
		{"0 0 * * 8", "bad day-of-week", ""},
		{"0 0 * * monday", "not a number or a name", ""},
		{"5/10 * * * *", "a step needs a range or * before it (Debian cron refuses N/step): write 5-59/10", ""},
		{"*/0 * * * *", "at least 1", ""},
		{"*/90 * * * *", "a step of 90 is wider than the field (60 minutes, 0-59)", "--interval 1h or --interval 2h"},
		{"5-1 * * * *", "runs backwards, so cron would match nothing; write it as two ranges (5-59,0-1)", ""},
		{"0 0 30 2 *", "never fires", ""},
		{"0 0 31 4,6 *", "never fires", ""},
		{"a b c d e", "not a number", ""},
		{"1,,2 * * * *", "empty value", ""},
	}
	wantRefused(t, tests)
}

// TestAcceptedSchedulesPassDebianCrontab holds the parser to the real
// crontab: every schedule mkdaemon accepts, `crontab -n` accepts too.
func TestAcceptedSchedulesPassDebianCrontab(t *testing.T) {
	bin, err := exec.LookPath("crontab")
	if err != nil {
		t.Fatalf("crontab is not installed (apt-get install -y cron): %v", err)
	}
	var lines []string
	for _, in := range []string{"", "30m", "1m", "2h", "24h", "0 9-17 * * mon-fri", "1-5/2,30 * * jan-mar,dec *",
		"0 9 * * 7", "0 0 29 Feb *", "0 0 * * sun-sat/2", "0-59/15 */3 1-31/2 */2 *", "@reboot", "@hourly",
		"@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually"} {
		s, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		lines = append(lines, s.Expr+" /bin/true")
	}
	f := filepath.Join(t.TempDir(), "tab")
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-n", f).CombinedOutput()
	if err != nil {
		t.Fatalf("crontab -n refused what mkdaemon accepts: %v\n%s", err, out)
	}
}

func TestNextRunsFollowCron(t *testing.T) {
	loc := time.FixedZone("X", 0)
	from := time.Date(2026, 11, 25, 10, 7, 30, 0, loc) // a Wednesday
	tests := []struct {
		in   string
		want []string
	}{
		{"*/5 * * * *", []string{"10:10 25", "10:15 25", "10:20 25"}},
		{"0 9 * * 1", []string{"09:00 30", "09:00 07", "09:00 14"}},
		// Debian cron treats a day field starting with * as unrestricted,
		// so both day fields must match: odd days that are Mondays.
		{"0 0 */2 * 1", []string{"00:00 07", "00:00 21", "00:00 11"}},
		// Both restricted: either matches.
		{"0 0 1 * 1", []string{"00:00 30", "00:00 01", "00:00 07"}},
		{"0 0 * * 7", []string{"00:00 29", "00:00 06", "00:00 13"}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		s.spec.Location = loc
		var got []string
		for _, n := range s.Next(from, 3) {
			got = append(got, n.Format("15:04 02"))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%q from %v: next %v, want %v", tt.in, from, got, tt.want)
		}
	}
	if r, _ := Parse("@reboot"); r.Next(from, 3) != nil {
		t.Errorf("@reboot has next runs")
	}
}

// refusal is a value Parse must refuse, with part of the message and of
// the hint.
type refusal struct{ in, msg, hint string }

// wantRefused holds Parse to each refusal and returns the errors, in order
// (nil where Parse did not return a *Error).
func wantRefused(t *testing.T, tests []refusal) []*Error {
	t.Helper()
	errs := make([]*Error, len(tests))
	for i, tt := range tests {
		_, err := Parse(tt.in)
		se, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a *Error", tt.in, err)
			continue
		}
		errs[i] = se
		if !strings.Contains(se.Msg, tt.msg) || !strings.Contains(se.Hint, tt.hint) || se.Value != tt.in {
			t.Errorf("Parse(%q) = %q (hint %q, value %q); want message with %q and hint with %q",
				tt.in, se.Msg, se.Hint, se.Value, tt.msg, tt.hint)
		}
	}
	return errs
}
