package proc

import "strings"

// CommMax is the longest process name the kernel keeps (TASK_COMM_LEN - 1).
// start-stop-daemon --name compares against this cut name, and a longer
// --name never matches.
const CommMax = 15

// Unmatchable reports whether start-stop-daemon --name can never match a
// process of this name: it compares against the Name: line of
// /proc/PID/status, where the kernel writes a backslash doubled (and a
// newline as \n), so the line never equals the name.
func Unmatchable(name string) bool { return strings.ContainsAny(name, "\\\n") }

// Truncate cuts a name to what the kernel keeps. The kernel counts bytes.
func Truncate(name string) string {
	if len(name) > CommMax {
		return name[:CommMax]
	}
	return name
}
