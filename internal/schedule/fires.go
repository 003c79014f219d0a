package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// monthDays is the longest each month gets: February has 29 days in leap
// years.
var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// checkFires refuses a schedule that can never fire, decided from the
// fields rather than by searching a window of years (some schedules fire
// once in 28 years, or once in 40 around a century that is not a leap year).
//
// Minutes and hours always match something, and every date falls on every
// weekday over the 400-year Gregorian cycle. So only the day fields can make
// a schedule dead:
//   - when neither day field starts with *, either matching is enough, and
//     every month has each weekday: it fires;
//   - when day-of-month starts with *, it includes day 1: it fires;
//   - when only day-of-week starts with *, both must match, and some listed
//     day-of-month must exist in some listed month.
func checkFires(fields []string, spec *cron.SpecSchedule) *Error {
	if spec.Dom&starBit != 0 || spec.Dow&starBit == 0 {
		return nil
	}
	if reachable(spec) {
		return nil
	}
	return &Error{
		Msg: fmt.Sprintf("this schedule never fires: day-of-month %s never occurs in %s",
			fields[2], monthList(spec.Month)),
		Hint: "check the day-of-month against the month: February has at most 29 days; April, June, September and November have 30",
	}
}

// reachable reports whether some day-of-month of spec exists in some of its
// months.
func reachable(spec *cron.SpecSchedule) bool {
	for m := 1; m <= 12; m++ {
		if spec.Month&(1<<uint(m)) == 0 {
			continue
		}
		for d := 1; d <= monthDays[m]; d++ {
			if spec.Dom&(1<<uint(d)) != 0 {
				return true
			}
		}
	}
	return false
}

// deadDays warns when both day fields are restricted but no listed
// day-of-month exists in the listed months: cron then runs on the weekdays
// alone, which is rarely what `0 0 30 2 mon` meant.
func deadDays(fields []string, spec *cron.SpecSchedule) []string {
	if spec.Dom&starBit != 0 || spec.Dow&starBit != 0 || reachable(spec) {
		return nil
	}
	return []string{fmt.Sprintf("day-of-month %s never occurs in %s, and when both day fields are restricted either one matching is enough: this runs on %s in %s, whatever the date",
		fields[2], monthList(spec.Month), phrase(terms(fields[4], fieldDefs[4]), fieldDefs[4]), monthList(spec.Month))}
}

func monthList(bits uint64) string {
	var names []string
	for m := 1; m <= 12; m++ {
		if bits&(1<<uint(m)) != 0 {
			names = append(names, months[m])
		}
	}
	if len(names) == 12 {
		return "any month"
	}
	return joinAnd(names, "or")
}

// next is the first time after t that spec fires. robfig/cron's Next gives
// up after five years and returns the zero time; a schedule that
// checkFires let through does fire, so then the matching day is found by
// walking the calendar (at most one 400-year cycle), and Next is asked again
// from the start of that day.
func next(spec *cron.SpecSchedule, t time.Time) time.Time {
	if n := spec.Next(t); !n.IsZero() {
		return n
	}
	t = t.In(spec.Location)
	day := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, spec.Location)
	for i := 0; i < 400*366+2*366; i++ {
		d := day.AddDate(0, 0, i)
		if !dayMatches(spec, d) {
			continue
		}
		if n := spec.Next(d.Add(-time.Second)); n.After(t) {
			return n
		}
	}
	return time.Time{}
}

// dayMatches is cron's rule for the date of t: the month must match, and
// the day fields both (when either starts with *) or either.
func dayMatches(spec *cron.SpecSchedule, t time.Time) bool {
	if spec.Month&(1<<uint(t.Month())) == 0 {
		return false
	}
	dom := spec.Dom&(1<<uint(t.Day())) != 0
	dow := spec.Dow&(1<<uint(t.Weekday())) != 0
	if spec.Dom&starBit != 0 || spec.Dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}

// joinAnd joins words as a person lists them: "a", "a and b",
// "a, b and c" (with conj in place of "and").
func joinAnd(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
