package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// What start, stop, restart, status and logs share: an installed entry
// found by its NAME, as the account that owns the crontab.

// installedEntry is one managed block of an account's crontab.
type installedEntry struct {
	acct  spec.Account
	env   spec.Env
	in    *crontab.Installer
	where string
	d     installed.Daemon
}

// oneName is the Args rule of the commands that take one entry NAME.
func oneName(verb string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("%s takes one NAME, got %d arguments", verb, len(args)).
				hint("mkdaemon list shows the names; then: mkdaemon %s NAME", verb)
		}
		return nil
	}
}

// checkTimeout refuses a --timeout that cannot be waited for (exit 2).
func checkTimeout(d time.Duration) error {
	if d <= 0 {
		return usagef("--timeout %s: give a positive duration", d).hint("for example --timeout 10s")
	}
	return nil
}

// timedEntry is findEntry for the commands that wait for the daemon
// (start, stop, restart): --timeout is checked first, as bad input.
func (a *app) timedEntry(user, name string, timeout time.Duration) (*installedEntry, error) {
	if err := checkTimeout(timeout); err != nil {
		return nil, err
	}
	return a.findEntry(user, name)
}

// findEntry reads the account's crontab and returns the entry name. An
// unknown name is bad input (exit 2); an unreadable crontab is a runtime
// failure (exit 1).
func (a *app) findEntry(user, name string) (*installedEntry, error) {
	acct, env, err := a.account(user)
	if err != nil {
		return nil, err
	}
	e := &installedEntry{acct: acct, env: env, in: a.installer(acct, env.Current, stateDirOf(acct, env)), where: whose(acct, env.Current)}
	ds, err := installed.ListHealth(context.Background(), e.in, acct.Proc(), stateDirOf(acct, env), a.now())
	if err != nil {
		return nil, err
	}
	var known []string
	for _, d := range ds {
		if d.Name == name {
			if d.Problem != "" {
				return nil, fmt.Errorf("the entry %s in %s cannot be used: %s", name, e.where, d.Problem)
			}
			e.d = d
			return e, nil
		}
		known = append(known, d.Name)
	}
	u := usagef("no mkdaemon entry named %s in %s", name, e.where)
	if len(known) == 0 {
		return nil, u.hint("it has none; mkdaemon --program PATH --yes installs one")
	}
	return nil, u.hint("it has: %s", strings.Join(known, ", "))
}

// target is the entry as check runs it: its command, as cron runs it for
// the account (with the HOME of the user database).
func (e *installedEntry) target() (check.Target, error) {
	acct, err := spec.LookupAccount(e.acct.Name)
	if err != nil {
		return check.Target{}, err
	}
	return check.Target{Command: e.d.Command, Pidfile: e.d.Pidfile, Name: e.d.Process, Account: acct,
		Log: installed.LogOf(e.d), Program: e.d.Program}, nil
}

// setPaused pauses or un-pauses the entry's block in the crontab, where it
// stands; false when it already was so.
func (a *app) setPaused(e *installedEntry, paused bool) (bool, error) {
	if e.d.Paused == paused {
		return false, nil
	}
	lines := installed.Unpause(e.d.Lines)
	if paused {
		lines = installed.Pause(e.d.Lines)
	}
	res, err := a.apply(e.in, crontab.Change{Name: e.d.Name, Lines: lines}, true, e.where, "", nil)
	if err != nil {
		return false, err
	}
	a.warn(res.Warnings)
	if res.Interrupted != nil {
		reraise(res.Interrupted)
	}
	e.d.Paused = paused
	return true, nil
}

// start runs the entry's command as cron would and says what happened.
func (a *app) start(e *installedEntry, timeout time.Duration) (check.Started, error) {
	t, err := e.target()
	if err != nil {
		return check.Started{}, err
	}
	s, err := a.edge.startEntry(context.Background(), t, timeout)
	if err != nil {
		var te *check.TickError
		if errors.As(err, &te) {
			return s, fmt.Errorf("%s did not start: %s\nrun `mkdaemon check %s` for the whole diagnosis", e.d.Name, te.Msg, e.d.Name)
		}
		return s, err
	}
	return s, nil
}

// stop stops the entry's daemon and says what happened.
func (a *app) stop(e *installedEntry, timeout time.Duration) (check.Stopped, error) {
	s, err := a.edge.stopDaemon(context.Background(), e.d.Pidfile, e.d.Process, e.acct.Proc(), timeout)
	if err != nil {
		return s, fmt.Errorf("stopping %s: %w", e.d.Name, err)
	}
	switch {
	case s.PID == 0:
		fmt.Fprintf(a.stdout, "%s was not running\n", e.d.Name)
	case s.Killed:
		fmt.Fprintf(a.stdout, "stopped %s (PID %d): it outlived SIGTERM for %s and was killed with SIGKILL\n", e.d.Name, s.PID, timeout)
	default:
		fmt.Fprintf(a.stdout, "stopped %s (PID %d) with SIGTERM\n", e.d.Name, s.PID)
	}
	if s.RemovedPidfile {
		fmt.Fprintf(a.stdout, "removed the pidfile %s it left behind\n", e.d.Pidfile)
	}
	return s, nil
}

// writeRotation writes the installed entry's logrotate config, or says
// that logrotate is missing and the log will not be rotated.
func (a *app) writeRotation(r *spec.Resolved, current spec.Account) error {
	if r.Logrotate == "" {
		if log := spec.LogOf(r.Spec); log != "" {
			a.warn([]string{fmt.Sprintf("logrotate is not installed, so %s is never rotated and may fill the disk: install the Debian package logrotate (apt-get install logrotate), then install the entry again", log)})
		}
		return nil
	}
	if err := a.edge.writeRotation(entry.RotationOf(r), ownerFor(r.Account, current), false); err != nil {
		return fmt.Errorf("writing the logrotate config: %w", err)
	}
	return nil
}

// startInstalled starts a daemon just installed, as its first tick would.
func (a *app) startInstalled(r *spec.Resolved, e entry.Entry) error {
	t, err := a.targetOf(r, e)
	if err != nil {
		return err
	}
	s, err := a.edge.startEntry(context.Background(), t, check.DefaultTimeout)
	if err != nil {
		var te *check.TickError
		if !errors.As(err, &te) {
			return err
		}
		// The check's diagnosis: it runs the entry again, step by step,
		// with the program's own output and the environment cron gives.
		fmt.Fprintf(a.stdout, "%s is installed but did not start; the check says why:\n", e.Name)
		if rep, cerr := a.edge.runCheck(context.Background(), t, check.Options{Timeout: check.DefaultTimeout, Stop: true}); len(rep.Steps) > 0 {
			printReport(a.stdout, e.Name, t, rep, true)
		} else if cerr != nil {
			fmt.Fprintf(a.stdout, "the check could not run: %v\n", cerr)
		}
		return fmt.Errorf("%s is installed but did not start: %s", e.Name, te.Msg)
	}
	if s.New {
		fmt.Fprintf(a.stdout, "started %s (PID %d)\n", e.Name, s.PID)
	} else {
		fmt.Fprintf(a.stdout, "%s is already running (PID %d)\n", e.Name, s.PID)
	}
	return nil
}
