// Package entry renders a resolved Spec into what the user copies or
// mkdaemon installs: the start-stop-daemon command line and the crontab
// line(s), with the schedule in words and its next run times.
package entry

import (
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// Entry is the rendered daemon. Its JSON form is `mkdaemon --print --json`.
type Entry struct {
	Name         string    `json:"name"`
	Program      string    `json:"program"`
	Args         []string  `json:"args"`
	Pidfile      string    `json:"pidfile"`
	Mode         spec.Mode `json:"mode"`
	Log          string    `json:"log,omitempty"`
	Chdir        string    `json:"chdir,omitempty"`
	User         string    `json:"user"`
	Schedule     string    `json:"schedule"`
	ScheduleText string    `json:"schedule_text"`
	NextRuns     []string  `json:"next_runs"`
	AtBoot       bool      `json:"at_boot"`
	Argv         []string  `json:"argv"`
	Command      string    `json:"command"`
	CrontabLines []string  `json:"crontab_lines"`
	Warnings     []string  `json:"warnings"`

	Env     []string `json:"env,omitempty"`      // --env NAME=VALUE
	EnvFile string   `json:"env_file,omitempty"` // --env-file
}

// Build renders r. ssdPath is the start-stop-daemon found on this machine;
// now is when the next runs are counted from. The only error is a command
// too long for cron (*crontab.CommandTooLongError).
func Build(r *spec.Resolved, ssdPath string, now time.Time) (Entry, error) {
	s := r.Spec
	argv := ssd.Argv(ssdPath, s)
	command := EnvPrefix(s) + ssd.Command(argv) + record(r)
	lines, err := crontab.Lines(r.Schedule, s.AtBoot, command)
	if err != nil {
		return Entry{}, err
	}
	lines = append(lines, rotationLines(r)...)
	next := []string{}
	for _, t := range r.Schedule.Next(now, 3) {
		next = append(next, t.Format(time.RFC3339))
	}
	args := s.Args
	if args == nil {
		args = []string{}
	}
	warnings := r.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	return Entry{
		Name: s.Name, Program: s.Program, Args: args, Pidfile: s.Pidfile, Mode: s.Mode,
		Log: s.Log, Chdir: s.Chdir, User: r.Account.Name,
		Schedule: s.Schedule, ScheduleText: r.Schedule.Text(), NextRuns: next, AtBoot: s.AtBoot,
		Argv: argv, Command: command, CrontabLines: lines, Warnings: warnings,
		Env: s.Env, EnvFile: s.EnvFile,
	}, nil
}
