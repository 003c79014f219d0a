// Package installed reads back what mkdaemon installed: the managed blocks
// of a crontab, each with the pidfile, process name and program of its
// start-stop-daemon line and the state of that daemon.
package installed

import (
	"context"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// Daemon is one managed block read back from a crontab: what `mkdaemon
// list` shows.
type Daemon struct {
	Name     string `json:"name"`
	Schedule string `json:"schedule"` // of the first line that is not @reboot
	AtBoot   bool   `json:"at_boot"`
	// Pidfile and Process are the --pidfile and --name the
	// start-stop-daemon line matches on.
	Pidfile string `json:"pidfile,omitempty"`
	Process string `json:"process_name,omitempty"`
	Program string `json:"program,omitempty"` // --startas (or --exec)
	proc.DaemonState
	// Paused: `mkdaemon stop` disabled the block's lines (see Pause).
	Paused bool `json:"paused"`
	// Command is the tick's command as /bin/sh -c gets it.
	Command string `json:"-"`
	Health
	// Problem says why the block could not be understood; State is then
	// empty.
	Problem string   `json:"problem,omitempty"`
	Lines   []string `json:"lines"`

	call ssd.Call // the tick's start-stop-daemon options
}

// List reads the crontab of the account acct and describes every managed
// block, with the state of its daemon from its pidfile and /proc.
func List(ctx context.Context, in *crontab.Installer, acct proc.Account) ([]Daemon, error) {
	text, err := in.Read(ctx)
	if err != nil {
		return nil, err
	}
	return Daemons(text, acct)
}

// ListHealth is List with each daemon's Health at now; stateDir is where
// records of entries that do not name theirs are looked for.
func ListHealth(ctx context.Context, in *crontab.Installer, acct proc.Account, stateDir string, now time.Time) ([]Daemon, error) {
	ds, err := List(ctx, in, acct)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if ds[i].Problem == "" {
			ds[i].Health = health(ds[i], acct, stateDir, now)
		}
	}
	return ds, nil
}

// Daemons describes the managed blocks of a crontab text of the account
// acct, inspecting each daemon's pidfile as that account: a process counts
// as the daemon only when it runs as acct.
func Daemons(text string, acct proc.Account) ([]Daemon, error) {
	blocks, err := crontab.Blocks(text)
	if err != nil {
		return nil, err
	}
	out := make([]Daemon, 0, len(blocks))
	for _, b := range blocks {
		d := Of(b)
		if d.Problem == "" {
			d.DaemonState = proc.InspectAs(d.Pidfile, d.Process, acct)
		}
		out = append(out, d)
	}
	return out, nil
}

// Of reads a block's schedule, pidfile and process name back from
// its lines without looking at any process.
func Of(b crontab.Block) Daemon {
	d := Daemon{Name: b.Name, Lines: b.Lines}
	var problems []string
	for _, l := range b.Lines {
		if active, ok := strings.CutPrefix(l, PausedPrefix); ok {
			d.Paused, l = true, active
		}
		sched, cmd, ok := crontab.Job(l)
		if !ok || isRotation(cmd) {
			continue
		}
		if sched == "@reboot" {
			d.AtBoot = true
		} else if d.Schedule == "" {
			d.Schedule = sched
		}
		if d.Pidfile != "" {
			continue
		}
		sh, _ := crontab.Unescape(cmd)
		c, err := ssd.Parse(sh)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		d.Pidfile, d.Process, d.Program = c.Pidfile, c.Name, c.Program
		d.Command, d.call = sh, c
	}
	if d.Schedule == "" && d.AtBoot {
		d.Schedule = "@reboot"
	}
	switch {
	case d.Pidfile != "":
	case len(problems) > 0:
		d.Problem = strings.Join(problems, "; ")
	default:
		d.Problem = "no start-stop-daemon line in the block"
	}
	return d
}

// isRotation reports whether a job line runs logrotate: the rotation line
// of an entry's block, which is not the tick.
func isRotation(command string) bool {
	f := strings.Fields(command)
	return len(f) > 0 && strings.HasSuffix(f[0], "/logrotate")
}
