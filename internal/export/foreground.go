package export

import (
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// ForegroundFlag is the option every skeleton made by `mkdaemon scaffold`
// understands (with its short form -f): stay in the foreground instead of
// daemonizing.
const ForegroundFlag = "--foreground"

// Command is how a supervisor should start the daemon.
type Command struct {
	// Argv is the program's absolute path followed by its arguments.
	Argv []string
	// Foreground is true when the process started by Argv stays in the
	// foreground: a program of ModeForeground, or a skeleton given
	// --foreground. False means the program daemonizes itself and writes
	// its pidfile.
	Foreground bool
	// AddedForeground is true when ForegroundFlag was added to the
	// arguments the crontab entry uses.
	AddedForeground bool
}

// ForegroundCommand returns the form of s a supervisor runs. A skeleton
// made by mkdaemon scaffold (Spec.Skeleton) gets ForegroundFlag right
// after the program, before the user's arguments, where any option parser
// still reads it; it is not added twice when the arguments already have it.
func ForegroundCommand(s spec.Spec) Command {
	argv := append([]string{s.Program}, s.Args...)
	if s.Skeleton {
		if hasForegroundFlag(s.Args) {
			return Command{Argv: argv, Foreground: true}
		}
		argv = append([]string{s.Program, ForegroundFlag}, s.Args...)
		return Command{Argv: argv, Foreground: true, AddedForeground: true}
	}
	return Command{Argv: argv, Foreground: s.Mode == spec.ModeForeground}
}

// hasForegroundFlag looks for -f or --foreground among the options, that
// is before a `--` that ends them.
func hasForegroundFlag(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-f", ForegroundFlag:
			return true
		}
	}
	return false
}
