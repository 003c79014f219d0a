package check

import "github.com/mkdaemon/mkdaemon/internal/ssd"

// TargetFromCommand reads a check target back from a crontab command (the
// command field with cron's % escapes undone, as /bin/sh -c gets it): the
// start-stop-daemon call's --pidfile and --name, and --output (the log),
// --chdir and --startas or --exec (the program) when present. Account is
// left for the caller.
func TargetFromCommand(command string) (Target, error) {
	c, err := ssd.Parse(command)
	if err != nil {
		return Target{}, err
	}
	return Target{Command: command, Pidfile: c.Pidfile, Name: c.Name, Program: c.Program, Log: c.Log, Chdir: c.Chdir}, nil
}
