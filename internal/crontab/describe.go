package crontab

import (
	"fmt"
	"strconv"
	"strings"
)

var weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var months = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// describe puts a valid five-field schedule into words. Common shapes get a
// sentence; anything else is spelled out field by field.
func describe(f []string) string {
	min, hour, dom, mon, dow := f[0], f[1], f[2], f[3], f[4]
	m, minOK := number(min, fieldDefs[0])
	h, hourOK := number(hour, fieldDefs[1])
	days := dom == "*" && mon == "*" && dow == "*"
	if hour == "*" && days {
		switch {
		case min == "*":
			return "every minute"
		case strings.HasPrefix(min, "*/"):
			return "every " + min[2:] + " minutes"
		case minOK:
			return fmt.Sprintf("every hour at minute %d", m)
		}
	}
	if minOK && days && strings.HasPrefix(hour, "*/") {
		return fmt.Sprintf("every %s hours at minute %d", hour[2:], m)
	}
	if minOK && hourOK {
		at := fmt.Sprintf("at %02d:%02d", h, m)
		d, domOK := number(dom, fieldDefs[2])
		w, dowOK := number(dow, fieldDefs[4])
		mo, monOK := number(mon, fieldDefs[3])
		switch {
		case days:
			return "every day " + at
		case dom == "*" && mon == "*" && dowOK:
			return "every " + weekdays[w] + " " + at
		case domOK && mon == "*" && dow == "*":
			return fmt.Sprintf("on day %d of every month %s", d, at)
		case domOK && monOK && dow == "*":
			return fmt.Sprintf("every year on %s %d %s", months[mo], d, at)
		}
	}
	names := [5]string{"minute", "hour", "day-of-month", "month", "day-of-week"}
	var parts []string
	for i, v := range f {
		if v != "*" {
			parts = append(parts, names[i]+" "+v)
		}
	}
	return "when " + strings.Join(parts, ", ") + " (crontab(5))"
}

// number returns the value of a field that is one plain value.
func number(s string, f field) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if n, ok := f.names[strings.ToLower(s)]; ok {
		return n, true
	}
	return 0, false
}
