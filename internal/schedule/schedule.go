// Package schedule reads the --interval of a daemon as Debian cron reads a
// crontab schedule: it accepts exactly what cron runs (durations that cron
// can express, five fields, @-descriptors), refuses what cron would refuse
// or never run, warns about what cron reads differently from how it looks,
// and describes a schedule in words with its next runs.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/robfig/cron/v3"
)

// Schedule is a validated crontab schedule: what Debian cron accepts, and
// nothing it would read differently.
type Schedule struct {
	// Expr is the schedule as written to the crontab: five fields or an
	// @-descriptor.
	Expr string
	// Warnings explain parts cron accepts but reads differently from how
	// they look, such as */60 in the minute field (minute 0 only).
	Warnings []string

	spec *cron.SpecSchedule // nil for @reboot, which has no clock time
}

// Text describes the schedule in words, the way crontab.guru reads it:
// "At every 5th minute".
func (s Schedule) Text() string {
	if s.Reboot() {
		return rebootText
	}
	if fields, ok := descriptors[s.Expr]; ok {
		return describe(strings.Fields(fields))
	}
	return describe(strings.Fields(s.Expr))
}

// Reboot reports whether the schedule only fires when cron starts.
func (s Schedule) Reboot() bool { return s.Expr == "@reboot" }

// Next returns the next n times the schedule fires after from, in from's
// location (cron uses the system's local time). @reboot has none.
func (s Schedule) Next(from time.Time, n int) []time.Time {
	if s.spec == nil {
		return nil
	}
	var out []time.Time
	t := from
	for i := 0; i < n; i++ {
		t = next(s.spec, t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// DefaultInterval is five minutes: a tick costs about a millisecond when the
// daemon runs, and the interval is the longest the daemon stays down.
const DefaultInterval = "*/5 * * * *"

// Error explains why an interval was refused, with a suggestion.
type Error struct {
	Value string
	Msg   string
	Hint  string
}

func (e *Error) Error() string { return e.Msg }

var descriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// splitDuration splits "30m" or "2h" into its digits and unit.
func splitDuration(v string) (digits, unit string, ok bool) {
	if len(v) < 2 || (v[len(v)-1] != 'm' && v[len(v)-1] != 'h') {
		return "", "", false
	}
	digits = v[:len(v)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", "", false
		}
	}
	return digits, v[len(v)-1:], true
}

// Parse accepts crontab(5) syntax as Debian cron reads it, and
// durations (30m, 2h) that divide an hour or a day evenly.
func Parse(value string) (Schedule, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		v = DefaultInterval
	}
	if digits, unit, ok := splitDuration(v); ok {
		expr, err := durationExpr(value, digits, unit)
		if err != nil {
			return Schedule{}, err
		}
		v = expr
	} else if err := durationLike(value, v); err != nil {
		return Schedule{}, err
	}
	if strings.HasPrefix(v, "@") {
		return parseDescriptor(value, v)
	}
	if strings.HasPrefix(v, "CRON_TZ=") || strings.HasPrefix(v, "TZ=") {
		return Schedule{}, &Error{Value: value,
			Msg:  "time-zone prefixes are not crontab syntax: Debian cron has no CRON_TZ and runs every job in the system's time zone",
			Hint: "convert the time to the system's zone and drop the prefix"}
	}
	fields := strings.Fields(v)
	switch {
	case len(fields) == 6:
		return Schedule{}, &Error{Value: value,
			Msg:  "6 fields: crontab has no seconds field",
			Hint: "drop the first field: --interval " + shell.Quote(strings.Join(fields[1:], " "))}
	case len(fields) != 5:
		return Schedule{}, &Error{Value: value,
			Msg:  fmt.Sprintf("%d %s: a crontab schedule has 5 (minute hour day-of-month month day-of-week)", len(fields), map[bool]string{true: "field", false: "fields"}[len(fields) == 1]),
			Hint: "for example --interval '*/5 * * * *', --interval 30m or --interval @hourly"}
	}
	spec, warnings, err := parseFields(fields)
	if err != nil {
		err.Value = value
		return Schedule{}, err
	}
	if err := checkFires(fields, spec); err != nil {
		err.Value = value
		return Schedule{}, err
	}
	warnings = append(warnings, deadDays(fields, spec)...)
	return Schedule{Expr: strings.Join(fields, " "), Warnings: warnings, spec: spec}, nil
}

func parseDescriptor(value, v string) (Schedule, error) {
	if v == "@reboot" {
		return Schedule{Expr: v}, nil
	}
	if strings.HasPrefix(v, "@every") {
		return Schedule{}, &Error{Value: value,
			Msg:  "@every is not crontab syntax (Debian cron refuses it)",
			Hint: "use a duration that divides an hour or a day, such as --interval 5m or --interval 2h"}
	}
	fields, ok := descriptors[v]
	if !ok {
		return Schedule{}, &Error{Value: value,
			Msg:  "unknown @-descriptor",
			Hint: "use one of @reboot @yearly @annually @monthly @weekly @daily @midnight @hourly"}
	}
	spec, _, err := parseFields(strings.Fields(fields))
	if err != nil {
		panic("crontab: bad built-in descriptor " + v) // a bug in the table above
	}
	return Schedule{Expr: v, spec: spec}, nil
}

// durationExpr turns Nm or Nh into a five-field schedule. Cron counts from
// the top of the hour (or midnight), so only divisors are even intervals.
func durationExpr(value, digits, unit string) (string, error) {
	n, err := strconv.Atoi(digits)
	if err != nil || n == 0 {
		return "", &Error{Value: value, Msg: "a duration must be at least 1m", Hint: "for example --interval 5m"}
	}
	span, name, steps := 60, "an hour", []int{1, 2, 5, 10, 15, 20, 30, 60}
	if unit == "h" {
		span, name, steps = 24, "a day", []int{1, 2, 3, 4, 6, 8, 12, 24}
	}
	if n > span || span%n != 0 {
		lo, hi := around(steps, n)
		hint := fmt.Sprintf("use --interval %d%s", lo, unit)
		if hi != 0 {
			hint += fmt.Sprintf(" or --interval %d%s", hi, unit)
		}
		if unit == "m" && n > 60 {
			hint = "use --interval 1h or --interval 2h"
		}
		if unit == "h" && n > 24 {
			hint = "use --interval @daily, or a schedule such as '0 0 */2 * *' for every other day"
		}
		return "", &Error{Value: value,
			Msg:  fmt.Sprintf("%d%s does not divide %s evenly: cron counts from the top of each hour and from midnight, so the gaps would be uneven", n, unit, name),
			Hint: hint}
	}
	switch {
	case unit == "m" && n == 1:
		return "* * * * *", nil
	case unit == "m" && n == 60, unit == "h" && n == 1:
		return "0 * * * *", nil
	case unit == "m":
		return fmt.Sprintf("*/%d * * * *", n), nil
	case n == 24:
		return "0 0 * * *", nil
	default:
		return fmt.Sprintf("0 */%d * * *", n), nil
	}
}

// around returns the nearest of the usual steps below and above n (hi is 0
// when n is past the last).
func around(steps []int, n int) (lo, hi int) {
	lo = steps[0]
	for _, d := range steps {
		if d < n {
			lo = d
		} else if d > n {
			return lo, d
		}
	}
	return lo, 0
}

type field struct {
	name     string
	min, max int
	names    map[string]int
	// unit is what the field counts, cycle the span after which cron starts
	// its count again, and wider what to use for gaps longer than that.
	unit, cycle, wider string
}

var fieldDefs = [5]field{
	{name: "minute", min: 0, max: 59, unit: "minutes", cycle: "hour",
		wider: "use a step that divides 60 (such as */30), or the hour field for longer gaps: --interval 1h or --interval 2h"},
	{name: "hour", min: 0, max: 23, unit: "hours", cycle: "day",
		wider: "use a step that divides 24 (such as */12), or the day-of-month field for longer gaps: '0 0 */2 * *'"},
	{name: "day-of-month", min: 1, max: 31, unit: "days", cycle: "month",
		wider: "use the month field for longer gaps: '0 0 1 */2 *' runs every other month"},
	{name: "month", min: 1, max: 12, unit: "months", cycle: "year", names: map[string]int{
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12},
		wider: "for once a year use --interval @yearly or name the month: '0 0 1 jan *'"},
	{name: "day-of-week", min: 0, max: 7, unit: "days", cycle: "week", names: map[string]int{
		"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6},
		wider: "for once a week name the day: '0 0 * * sun'"},
}

// starBit is robfig/cron's marker for a day field written as `*`: when
// either day field has it, both must match; otherwise either may (crontab(5)).
// Debian cron decides this by the field's first character, so `*/2` counts
// as a star too, unlike robfig's own parser; setting the bit ourselves keeps
// next-run times faithful to cron.
const starBit = 1 << 63

func parseFields(fields []string) (*cron.SpecSchedule, []string, *Error) {
	var bits [5]uint64
	var warnings []string
	for i, f := range fields {
		b, lone, err := parseField(f, fieldDefs[i])
		if err != nil {
			return nil, nil, err
		}
		bits[i] = b
		for _, l := range lone {
			warnings = append(warnings, loneWarning(l, fieldDefs[i], i, fields))
		}
	}
	// Day-of-week 7 is Sunday, as 0 is.
	if bits[4]&(1<<7) != 0 {
		bits[4] = bits[4]&^(1<<7) | 1
	}
	for _, i := range []int{2, 4} {
		if strings.HasPrefix(fields[i], "*") {
			bits[i] |= starBit
		}
	}
	return &cron.SpecSchedule{
		Second: 1, Minute: bits[0], Hour: bits[1], Dom: bits[2], Month: bits[3], Dow: bits[4],
		Location: time.Local,
	}, warnings, nil
}

// lone is a stepped item that matches a single value: cron stops a step at
// the end of its range, so */60 in the minute field is minute 0 alone.
type lone struct {
	item  string
	value int
	star  bool // the item is */N, not a range
	step  int
}

func parseField(s string, f field) (uint64, []lone, *Error) {
	var bits uint64
	var lones []lone
	for _, item := range strings.Split(s, ",") {
		b, l, err := parseItem(item, f)
		if err != nil {
			return 0, nil, err
		}
		bits |= b
		if l != nil {
			lones = append(lones, *l)
		}
	}
	return bits, lones, nil
}

func parseItem(item string, f field) (uint64, *lone, *Error) {
	bad := func(format string, args ...any) *Error {
		return &Error{Msg: fmt.Sprintf("bad %s %q: ", f.name, item) + fmt.Sprintf(format, args...),
			Hint: fmt.Sprintf("the %s field takes %d-%d%s, *, lists (1,5), ranges (1-5) and steps (*/5, 1-30/5)",
				f.name, f.min, f.max, nameNote(f))}
	}
	rng, stepText, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 || strings.HasPrefix(stepText, "+") {
			return 0, nil, bad("the step must be a whole number of at least 1")
		}
		// Cron itself accepts any step and stops at the end of the range, so
		// a step wider than the field is the first value alone. As wide as
		// the field (*/60 for minutes) is a plausible way to say "once an
		// hour" and gets a warning; wider is a misunderstanding.
		if width := f.max - f.min + 1; n > width {
			e := bad("a step of %d is wider than the field (%d %s, %d-%d): cron starts the count again every %s, so no step gives every %d %s",
				n, width, f.unit, f.min, f.max, f.cycle, n, f.unit)
			e.Hint = f.wider
			return 0, nil, e
		}
		step = n
	}
	lo, hi := f.min, f.max
	switch {
	case rng == "*":
	case rng == "":
		return 0, nil, bad("empty value")
	default:
		a, b, isRange := strings.Cut(rng, "-")
		var err error
		if lo, err = fieldValue(a, f); err != nil {
			return 0, nil, bad("%v", err)
		}
		hi = lo
		if isRange {
			if hi, err = fieldValue(b, f); err != nil {
				return 0, nil, bad("%v", err)
			}
			if hi < lo {
				return 0, nil, bad("the range runs backwards, so cron would match nothing; write it as two ranges (%d-%d,%d-%d)", lo, f.max, f.min, hi)
			}
		} else if hasStep {
			return 0, nil, bad("a step needs a range or * before it (Debian cron refuses N/step): write %d-%d/%d", lo, f.max, step)
		}
	}
	var bits uint64
	for v := lo; v <= hi; v += step {
		bits |= 1 << uint(v)
	}
	if step > 1 && distinct(bits, f) == 1 {
		return bits, &lone{item: item, value: lo, star: rng == "*", step: step}, nil
	}
	return bits, nil, nil
}

// distinct counts the values bits matches, with day-of-week 7 as Sunday.
func distinct(bits uint64, f field) int {
	if f.name == "day-of-week" && bits&(1<<7) != 0 {
		bits = bits&^(1<<7) | 1
	}
	n := 0
	for ; bits != 0; bits &= bits - 1 {
		n++
	}
	return n
}

// loneWarning explains a stepped item that matches one value. Field i of
// fields holds it.
func loneWarning(l lone, f field, i int, fields []string) string {
	what := fmt.Sprintf("%s %d", f.name, l.value)
	switch f.name {
	case "day-of-week":
		what = weekdays[l.value]
	case "month":
		what = months[l.value]
	}
	var w string
	if l.star {
		w = fmt.Sprintf("%s in the %s field matches only %s, not every %d %s: cron starts the count again every %s, so this is once %s at most",
			l.item, f.name, what, l.step, f.unit, f.cycle, perCycle(f))
	} else {
		lo, hi, _ := strings.Cut(strings.Split(l.item, "/")[0], "-")
		w = fmt.Sprintf("%s in the %s field matches only %s: a step of %d passes the end of %s-%s at once",
			l.item, f.name, what, l.step, lo, hi)
	}
	// A day field that starts with * makes cron require both day fields to
	// match; the plain value would let either match instead.
	other := map[int]int{2: 4, 4: 2}
	if o, day := other[i]; day && l.star && fields[o] != "*" {
		return w + fmt.Sprintf("; because it starts with *, the %s field must match as well (a plain %d would make either field enough)",
			fieldDefs[o].name, l.value)
	}
	return w + fmt.Sprintf("; write %d to say so", l.value)
}

func fieldValue(s string, f field) (int, error) {
	if n, ok := f.names[strings.ToLower(s)]; ok && len(s) == 3 {
		return n, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q is not a number%s", s, map[bool]string{true: " or a name", false: ""}[f.names != nil])
	}
	if n < f.min || n > f.max {
		return 0, fmt.Errorf("%d is out of range %d-%d", n, f.min, f.max)
	}
	return n, nil
}

// perCycle is "an hour", "a day" ...: the most often one value of f fires.
func perCycle(f field) string {
	if f.cycle == "hour" {
		return "an hour"
	}
	return "a " + f.cycle
}

func nameNote(f field) string {
	switch f.name {
	case "month":
		return " or jan-dec"
	case "day-of-week":
		return " (0 and 7 are Sunday) or sun-sat"
	}
	return ""
}
