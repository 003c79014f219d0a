package schedule

import (
	"strings"
	"testing"
	"time"
)

// TestScheduleNeverFires holds the verdict to cron's day rule: only a
// day-of-month that no listed month has, with day-of-week starting with *,
// is dead. Schedules that fire once in decades are accepted.
func TestScheduleNeverFires(t *testing.T) {
	tests := []struct {
		in    string
		never bool
	}{
		{"0 0 30 2 *", true},
		{"0 0 31 4,6,9,11 *", true},
		{"0 0 30,31 feb *", true},
		{"0 0 30-31 2 */2", true},
		{"0 0 31 2 */7", true},
		// Both day fields restricted: any Monday in February is enough.
		{"0 0 30 2 1", false},
		{"0 0 31 4 mon-fri", false},
		// Day-of-month starting with * includes day 1.
		{"0 0 */30 2 1", false},
		// Some month has the day.
		{"0 0 31 2,3 *", false},
		{"0 0 29 2 *", false},
		// Rare: Feb 29 on a Sunday, every 28 years (40 across 2100).
		{"0 0 29 2 */7", false},
		{"0 0 29 2 0-7/7", false},
		{"0 0 29 2 */8", false},
		{"0 0 29 2 *", false},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		never := err != nil && strings.Contains(err.Error(), "never fires")
		if never != tt.never {
			t.Errorf("Parse(%q) = %v; want never fires %v", tt.in, err, tt.never)
		}
	}
}

// TestScheduleNeverFiresMatchesCalendar checks the field reasoning against a
// walk over one whole 400-year Gregorian cycle, for every combination of a
// few day-of-month, month and day-of-week fields.
func TestScheduleNeverFiresMatchesCalendar(t *testing.T) {
	type date struct{ month, day, weekday int }
	var cycle []date
	for d := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() < 2400; d = d.AddDate(0, 0, 1) {
		cycle = append(cycle, date{int(d.Month()), d.Day(), int(d.Weekday())})
	}
	doms := []string{"1", "28", "29", "30", "31", "30,31", "29-31", "*/30", "*/31", "*"}
	monthFields := []string{"*", "2", "4", "2,4", "4,6,9,11", "1", "2-3"}
	dows := []string{"*", "0", "*/7", "*/2", "1-5", "6"}
	for _, dom := range doms {
		for _, mon := range monthFields {
			for _, dow := range dows {
				in := "0 0 " + dom + " " + mon + " " + dow
				spec, _, perr := parseFields(strings.Fields(in))
				if perr != nil {
					t.Fatalf("%q: %v", in, perr)
				}
				fires := false
				for _, d := range cycle {
					if matchDate(spec.Month, spec.Dom, spec.Dow, d.month, d.day, d.weekday) {
						fires = true
						break
					}
				}
				_, err := Parse(in)
				never := err != nil && strings.Contains(err.Error(), "never fires")
				if never == fires {
					t.Errorf("%q: refused as never firing %v, but fires in 400 years %v", in, never, fires)
				}
			}
		}
	}
}

// matchDate is cron's day rule written out on its own.
func matchDate(month, dom, dow uint64, m, d, w int) bool {
	if month&(1<<uint(m)) == 0 {
		return false
	}
	a, b := dom&(1<<uint(d)) != 0, dow&(1<<uint(w)) != 0
	if dom&starBit != 0 || dow&starBit != 0 {
		return a && b
	}
	return a || b
}

// TestScheduleNextBeyondFiveYears: robfig/cron's Next stops after five
// years; the next runs of a rare schedule are still found.
func TestScheduleNextBeyondFiveYears(t *testing.T) {
	loc := time.FixedZone("X", 0)
	tests := []struct {
		in   string
		from time.Time
		want []string
	}{
		{"0 0 29 2 */7", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), []string{"2032-02-29 00:00", "2060-02-29 00:00", "2088-02-29 00:00"}},
		// 2100 is not a leap year: 40 years from 2088 to 2128.
		{"30 6 29 2 */7", time.Date(2089, 1, 1, 0, 0, 0, 0, loc), []string{"2128-02-29 06:30", "2156-02-29 06:30", "2184-02-29 06:30"}},
		{"0 0 29 2 1", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), []string{"2026-02-02 00:00", "2026-02-09 00:00", "2026-02-16 00:00"}},
		// The day itself matches but its time is past.
		{"0 0 29 2 */7", time.Date(2032, 2, 29, 0, 0, 0, 0, loc), []string{"2060-02-29 00:00", "2088-02-29 00:00", "2128-02-29 00:00"}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		s.spec.Location = loc
		var got []string
		for _, n := range s.Next(tt.from, 3) {
			got = append(got, n.Format("2006-01-02 15:04"))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%q from %v: next %v, want %v", tt.in, tt.from, got, tt.want)
		}
	}
}
