package schedule

import (
	"strings"
	"testing"
)

// TestScheduleWarnings: what cron accepts but reads differently from how it
// looks is accepted with a warning that says what it does.
func TestScheduleWarnings(t *testing.T) {
	tests := []struct {
		in   string
		want []string // substrings, one per warning; none for no warning
	}{
		{"*/5 * * * *", nil},
		{"*/59 * * * *", nil},
		{"0 0 31 2,3 *", nil},
		{"*/60 * * * *", []string{"*/60 in the minute field matches only minute 0, not every 60 minutes", "once an hour at most; write 0"}},
		{"0 */24 * * *", []string{"*/24 in the hour field matches only hour 0, not every 24 hours", "once a day at most; write 0"}},
		{"0 0 */31 * *", []string{"*/31 in the day-of-month field matches only day-of-month 1", "write 1 to say so"}},
		{"0 0 * */12 *", []string{"*/12 in the month field matches only January", "once a year at most; write 1"}},
		{"0 0 * * */7", []string{"*/7 in the day-of-week field matches only Sunday", "once a week at most; write 0"}},
		{"0 0 * * */8", []string{"*/8 in the day-of-week field matches only Sunday"}},
		{"0 0 * * 0-7/7", []string{"0-7/7 in the day-of-week field matches only Sunday: a step of 7 passes the end of 0-7"}},
		{"10-20/30 * * * *", []string{"10-20/30 in the minute field matches only minute 10: a step of 30 passes the end of 10-20", "write 10"}},
		{"*/60,30 */24 * * *", []string{"*/60 in the minute field", "*/24 in the hour field"}},
		// The * keeps both day fields required; a plain value would not.
		{"0 0 29 2 */7", []string{"because it starts with *, the day-of-month field must match as well (a plain 0 would make either field enough)"}},
		{"0 0 */31 * mon", []string{"because it starts with *, the day-of-week field must match as well"}},
		// Both day fields restricted and the date never exists: weekdays alone.
		{"0 0 30 2 1", []string{"day-of-month 30 never occurs in February", "this runs on Monday in February, whatever the date"}},
		{"0 0 31 4,6 mon-fri", []string{"never occurs in April or June", "every day-of-week from Monday through Friday"}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if len(tt.want) == 0 {
			if len(s.Warnings) != 0 {
				t.Errorf("Parse(%q) warned %q", tt.in, s.Warnings)
			}
			continue
		}
		all := strings.Join(s.Warnings, "\n")
		for _, w := range tt.want {
			if !strings.Contains(all, w) {
				t.Errorf("Parse(%q) warnings %q; want one with %q", tt.in, s.Warnings, w)
			}
		}
	}
}

// TestScheduleStepWiderThanField: a step wider than its field cannot mean
// what it says, and the hint names what to write instead.
func TestScheduleStepWiderThanField(t *testing.T) {
	tests := []refusal{
		{"*/61 * * * *", `bad minute "*/61": a step of 61 is wider than the field (60 minutes, 0-59): cron starts the count again every hour`, "--interval 1h or --interval 2h"},
		{"*/90 * * * *", "no step gives every 90 minutes", "*/30"},
		{"0 */25 * * *", "wider than the field (24 hours, 0-23)", "'0 0 */2 * *'"},
		{"0 0 */32 * *", "wider than the field (31 days, 1-31)", "'0 0 1 */2 *'"},
		{"0 0 1 */13 *", "wider than the field (12 months, 1-12)", "@yearly"},
		{"0 0 * * */9", "wider than the field (8 days, 0-7)", "'0 0 * * sun'"},
		{"10-20/61 * * * *", "a step of 61 is wider than the field", ""},
	}
	wantRefused(t, tests)
}
