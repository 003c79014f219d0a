package schedule

import "testing"

// TestDescribeSchedule covers every form Parse takes, worded the way
// crontab.guru reads it, but for what Debian cron runs.
func TestDescribeSchedule(t *testing.T) {
	tests := []struct{ in, text string }{
		// Durations.
		{"1m", "At every minute"},
		{"5m", "At every 5th minute"},
		{"30m", "At every 30th minute"},
		{"60m", "At minute 0"},
		{"1h", "At minute 0"},
		{"2h", "At minute 0 past every 2nd hour"},
		{"3h", "At minute 0 past every 3rd hour"},
		{"12h", "At minute 0 past every 12th hour"},
		{"24h", "At 00:00"},
		// Minutes and hours.
		{"* * * * *", "At every minute"},
		{"*/1 * * * *", "At every minute"},
		{"*/2 * * * *", "At every 2nd minute"},
		{"0,30 * * * *", "At minute 0 and 30"},
		{"0,15,30,45 * * * *", "At minute 0, 15, 30 and 45"},
		{"1-5 * * * *", "At every minute from 1 through 5"},
		{"1-59/2 * * * *", "At every 2nd minute from 1 through 59"},
		{"5,10-20 * * * *", "At minute 5 and every minute from 10 through 20"},
		{"30 * * * *", "At minute 30"},
		{"* 9 * * *", "At every minute past hour 9"},
		{"*/15 9-17 * * *", "At every 15th minute past every hour from 9 through 17"},
		{"0 9,17 * * *", "At minute 0 past hour 9 and 17"},
		{"23 0-20/2 * * *", "At minute 23 past every 2nd hour from 0 through 20"},
		{"0 21 * * *", "At 21:00"},
		{"5 4 * * *", "At 04:05"},
		// Days and months.
		{"0 0 1 * *", "At 00:00 on day-of-month 1"},
		{"0 4 8-14 * *", "At 04:00 on every day-of-month from 8 through 14"},
		{"0 0 */2 * *", "At 00:00 on every 2nd day-of-month"},
		{"0 0 1 1 *", "At 00:00 on day-of-month 1 in January"},
		{"0 0 1 */3 *", "At 00:00 on day-of-month 1 in every 3rd month"},
		{"5 0 * 8 *", "At 00:05 in August"},
		{"0 0 * jan,jul *", "At 00:00 in January and July"},
		{"0 0 * 3-5 *", "At 00:00 in every month from March through May"},
		{"0 0 * 1-12/6 *", "At 00:00 in every 6th month from January through December"},
		{"0 0 * * 0", "At 00:00 on Sunday"},
		{"0 0 * * 7", "At 00:00 on Sunday"},
		{"0 0 * * SUN", "At 00:00 on Sunday"},
		{"0 0 * * 6,0", "At 00:00 on Saturday and Sunday"},
		{"0 0 * * 1,3,5", "At 00:00 on Monday, Wednesday and Friday"},
		{"0 9 * * 1-5", "At 09:00 on every day-of-week from Monday through Friday"},
		{"0 9 * * mon-fri", "At 09:00 on every day-of-week from Monday through Friday"},
		{"0 0 * * */2", "At 00:00 on every 2nd day-of-week"},
		{"0 0 * * 5-7", "At 00:00 on every day-of-week from Friday through Sunday"},
		// Both day fields: either is enough, unless one starts with *.
		{"0 0 1,15 * 3", "At 00:00 on day-of-month 1 and 15 and on Wednesday"},
		{"0 0 13 * fri", "At 00:00 on day-of-month 13 and on Friday"},
		{"0 0 */2 * 1", "At 00:00 on every 2nd day-of-month if it's on Monday"},
		{"0 0 13 * */2", "At 00:00 on day-of-month 13 if it's on every 2nd day-of-week"},
		{"0 0 */1 * 1", "At 00:00 on Monday"},
		{"0 0 1 * */1", "At 00:00 on day-of-month 1"},
		{"0 0,12 1 */2 *", "At minute 0 past hour 0 and 12 on day-of-month 1 in every 2nd month"},
		// A step that matches one value is that value.
		{"*/60 * * * *", "At minute 0"},
		{"10-20/30 * * * *", "At minute 10"},
		{"0 */24 * * *", "At 00:00"},
		{"0 0 */31 * *", "At 00:00 on day-of-month 1"},
		{"0 0 1 */12 *", "At 00:00 on day-of-month 1 in January"},
		{"0 0 * * */7", "At 00:00 on Sunday"},
		{"0 0 29 2 */7", "At 00:00 on day-of-month 29 if it's on Sunday in February"},
		// Descriptors.
		{"@reboot", "At reboot (when cron starts)"},
		{"@hourly", "At minute 0"},
		{"@daily", "At 00:00"},
		{"@midnight", "At 00:00"},
		{"@weekly", "At 00:00 on Sunday"},
		{"@monthly", "At 00:00 on day-of-month 1"},
		{"@yearly", "At 00:00 on day-of-month 1 in January"},
		{"@annually", "At 00:00 on day-of-month 1 in January"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if s.Text() != tt.text {
			t.Errorf("Parse(%q).Text = %q, want %q", tt.in, s.Text(), tt.text)
		}
	}
}

func TestDescribeScheduleOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th",
		13: "13th", 21: "21st", 22: "22nd", 23: "23rd", 30: "30th", 31: "31st", 111: "111th", 101: "101st"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
