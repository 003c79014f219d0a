package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// durationsAccepted lists the intervals Parse writes as one crontab
// line with even gaps.
const durationsAccepted = "mkdaemon takes a whole number of minutes that divides an hour (1m 2m 3m 4m 5m 6m 10m 12m 15m 20m 30m 60m) or of hours that divides a day (1h 2h 3h 4h 6h 8h 12h 24h); cron's resolution is one minute"

// durationLike explains a single word that reads as a duration but is not
// one Parse takes (90s, 1h30m, -5m, 1.5h, 2d, 5): without it such a
// value would be refused as a crontab line with one field. It returns nil
// for anything else.
func durationLike(value, v string) error {
	// A word without letters such as 5-10 or 1,2 is a crontab field, and is
	// refused as one; a bare number is taken for a duration without unit.
	digitsOnly := strings.Trim(v, "0123456789") == ""
	if v == "" || strings.ContainsAny(v, " \t") || !strings.ContainsAny(v[:1], "0123456789+-.") ||
		!digitsOnly && !strings.ContainsFunc(v, unicode.IsLetter) {
		return nil
	}
	fail := func(msg, hint string) error {
		return &Error{Value: value, Msg: msg + ": " + durationsAccepted, Hint: hint}
	}
	if digitsOnly {
		n, _ := strconv.Atoi(v)
		return fail(fmt.Sprintf("%s has no unit", v), "for minutes "+suggest(time.Duration(n)*time.Minute))
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		unit := strings.TrimLeft(v, "0123456789.+-")
		switch strings.ToLower(unit) {
		case "d", "day", "days":
			return fail(fmt.Sprintf("%s: days are not a unit here", v),
				"for once a day use --interval 24h (or @daily); for every other day a schedule such as '0 0 */2 * *'")
		case "w", "week", "weeks":
			return fail(fmt.Sprintf("%s: weeks are not a unit here", v), "for once a week use --interval @weekly")
		case "min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "sec", "secs":
			return fail(fmt.Sprintf("%s is not a duration mkdaemon reads", v), "write minutes as Nm and hours as Nh, for example --interval 5m")
		}
		return fail(fmt.Sprintf("%s is not a duration mkdaemon reads", v), "for example --interval 5m, --interval 2h or --interval '*/5 * * * *'")
	}
	switch {
	case d < 0:
		return fail(fmt.Sprintf("%s is negative", v), suggest(-d))
	case d == 0:
		return fail(fmt.Sprintf("%s is zero", v), "the shortest interval is --interval 1m")
	case d < time.Minute:
		return fail(fmt.Sprintf("%s is shorter than a minute", v),
			"the shortest interval is --interval 1m; for more often the program must loop itself")
	case d%time.Minute != 0:
		return fail(fmt.Sprintf("%s is not a whole number of minutes", v), nearest(d))
	}
	if isAccepted(d) {
		return fail(fmt.Sprintf("%s: write a duration as one number and one unit, m or h", v), suggest(d))
	}
	return fail(fmt.Sprintf("%s does not divide an hour or a day evenly, so cron could not keep the gaps even", v), nearest(d))
}

// accepted holds the durations Parse takes, shortest first.
var accepted = func() []time.Duration {
	var out []time.Duration
	for _, m := range []int{1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30} {
		out = append(out, time.Duration(m)*time.Minute)
	}
	for _, h := range []int{1, 2, 3, 4, 6, 8, 12, 24} {
		out = append(out, time.Duration(h)*time.Hour)
	}
	return out
}()

func isAccepted(d time.Duration) bool {
	for _, a := range accepted {
		if a == d {
			return true
		}
	}
	return false
}

// suggest is the hint for a value meant as d: d itself when it is an
// accepted interval, else the accepted ones around it.
func suggest(d time.Duration) string {
	if d > 0 && isAccepted(d) {
		return "write --interval " + short(d)
	}
	return nearest(d)
}

// nearest suggests the accepted durations on either side of d.
func nearest(d time.Duration) string {
	var lo, hi time.Duration
	for _, a := range accepted {
		if a < d {
			lo = a
		} else if a > d && hi == 0 {
			hi = a
		}
	}
	switch {
	case lo == 0:
		return "use --interval " + short(hi)
	case hi == 0:
		return "use --interval " + short(lo) + ", or a schedule such as '0 0 */2 * *' for every other day"
	}
	return fmt.Sprintf("use --interval %s or --interval %s", short(lo), short(hi))
}

// short writes a whole number of minutes as Parse reads it: in
// hours when it is whole hours, else in minutes (90m, not 1h30m).
func short(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}
