package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

var weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var months = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// rebootText describes @reboot, which has no clock time.
const rebootText = "At reboot (when cron starts)"

// describe puts a valid five-field schedule into words the way crontab.guru
// reads it ("At 09:00 on every day-of-week from Monday through Friday"), but
// as Debian cron runs it: a step that matches one value is that value.
func describe(f []string) string {
	var p [5][]term
	for i := range f {
		p[i] = terms(f[i], fieldDefs[i])
	}
	var b strings.Builder
	b.WriteString("At ")
	if m, ok := single(p[0]); ok {
		if h, ok := single(p[1]); ok {
			fmt.Fprintf(&b, "%02d:%02d", h, m)
		} else {
			fmt.Fprintf(&b, "minute %d", m)
			if !all(p[1]) {
				b.WriteString(" past " + phrase(p[1], fieldDefs[1]))
			}
		}
	} else {
		b.WriteString(phrase(p[0], fieldDefs[0]))
		if !all(p[1]) {
			b.WriteString(" past " + phrase(p[1], fieldDefs[1]))
		}
	}
	if days := dayPhrase(f, p[2], p[4]); days != "" {
		b.WriteString(" on " + days)
	}
	if !all(p[3]) {
		b.WriteString(" in " + phrase(p[3], fieldDefs[3]))
	}
	return b.String()
}

// dayPhrase combines the two day fields as cron does: when either starts
// with * both must match ("if it's on"), otherwise either may ("and on").
func dayPhrase(f []string, dom, dow []term) string {
	switch {
	case all(dom) && all(dow):
		return ""
	case all(dow):
		return phrase(dom, fieldDefs[2])
	case all(dom):
		return phrase(dow, fieldDefs[4])
	case strings.HasPrefix(f[2], "*") || strings.HasPrefix(f[4], "*"):
		return phrase(dom, fieldDefs[2]) + " if it's on " + phrase(dow, fieldDefs[4])
	}
	return phrase(dom, fieldDefs[2]) + " and on " + phrase(dow, fieldDefs[4])
}

// term is one item of a field's list: lo through hi every step, with every
// telling */N (and *) from a range.
type term struct {
	lo, hi, step int
	every        bool
}

// terms reads a valid field into its items. An item that matches one value
// becomes that value, so */60 in the minute field reads as minute 0.
func terms(s string, f field) []term {
	var out []term
	for _, item := range strings.Split(s, ",") {
		rng, stepText, _ := strings.Cut(item, "/")
		sp := term{lo: f.min, hi: f.max, step: 1, every: rng == "*"}
		if stepText != "" {
			sp.step, _ = strconv.Atoi(stepText)
		}
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			sp.lo, _ = fieldValue(a, f)
			sp.hi = sp.lo
			if isRange {
				sp.hi, _ = fieldValue(b, f)
			}
		}
		var bits uint64
		for v := sp.lo; v <= sp.hi; v += sp.step {
			bits |= 1 << uint(v)
		}
		if distinct(bits, f) == 1 {
			sp = term{lo: sp.lo, hi: sp.lo, step: 1}
		}
		out = append(out, sp)
	}
	return out
}

// single returns the value of a field that is one plain value.
func single(p []term) (int, bool) {
	if len(p) == 1 && p[0].lo == p[0].hi {
		return p[0].lo, true
	}
	return 0, false
}

// all reports whether a field is * (or */1).
func all(p []term) bool { return len(p) == 1 && p[0].every && p[0].step == 1 }

// phrase describes a field: "minute 0 and 30", "every 2nd hour",
// "every day-of-week from Monday through Friday", "January and July".
// Single values next to each other share one prefix.
func phrase(p []term, f field) string {
	var parts, values []string
	flush := func() {
		if len(values) > 0 {
			parts = append(parts, valuePrefix(f)+joinAnd(values, "and"))
			values = nil
		}
	}
	for _, sp := range p {
		if sp.lo == sp.hi {
			values = append(values, label(sp.lo, f))
			continue
		}
		flush()
		s := "every " + noun(f)
		if sp.step > 1 {
			s = fmt.Sprintf("every %s %s", ordinal(sp.step), noun(f))
		}
		if !sp.every {
			s += fmt.Sprintf(" from %s through %s", label(sp.lo, f), label(sp.hi, f))
		}
		parts = append(parts, s)
	}
	flush()
	return strings.Join(parts, " and ")
}

// noun names one of a field's values: "minute", "day-of-month".
func noun(f field) string { return f.name }

// valuePrefix comes before a list of plain values: "minute 0 and 30", but
// "Monday and Friday".
func valuePrefix(f field) string {
	if f.names != nil {
		return ""
	}
	return f.name + " "
}

// label writes one value: a number, or a month or weekday name.
func label(v int, f field) string {
	switch f.name {
	case "month":
		return months[v]
	case "day-of-week":
		return weekdays[v]
	}
	return strconv.Itoa(v)
}

// ordinal writes 2 as "2nd", 11 as "11th", 23 as "23rd".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
