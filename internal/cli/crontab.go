package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// What install, list and remove share: the crontab of the target account
// behind a crontab.Installer, the --yes rule and the confirmation prompt.

// errNeedYes is the usage error of a change that may not ask.
func errNeedYes() error {
	return usagef("--yes required when not running interactively").
		hint("see the change with --dry-run, then run the same command with --yes")
}

// account resolves --user for commands that do not take a daemon spec
// (list, remove), with the same rules as the main command: only root may
// name another user.
func (a *app) account(name string) (spec.Account, spec.Env, error) {
	env, err := a.env()
	if err != nil {
		return spec.Account{}, env, err
	}
	acct, err := spec.ResolveAccount(name, env)
	return acct, env, err
}

// editCrontab is the start of every command that changes a crontab by
// NAME or line (remove, adopt): --yes is required without a terminal, a
// dry run records instead of writing, and the account's installer is made.
func (a *app) editCrontab(user string, yes, dryRun bool) (spec.Account, spec.Env, *crontab.Installer, error) {
	if !dryRun && !yes && !a.interactive() {
		return spec.Account{}, spec.Env{}, nil, errNeedYes()
	}
	if dryRun {
		a.dryRun()
	}
	acct, env, err := a.account(user)
	if err != nil {
		return spec.Account{}, spec.Env{}, nil, err
	}
	return acct, env, a.installer(acct, env.Current, stateDirOf(acct, env)), nil
}

// showPlan prints, for a dry run, the diff the change would make.
func (a *app) showPlan(in *crontab.Installer, c crontab.Change) error {
	p, err := in.Plan(context.Background(), c)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(a.stdout, p.Diff())
	return err
}

// installer is the safe editor of acct's crontab; stateDir is where its
// lock and backups go.
func (a *app) installer(acct spec.Account, cur spec.Account, stateDir string) *crontab.Installer {
	return crontab.NewInstaller(crontab.Target{
		User: acct.Name, UID: acct.UID, GID: acct.GID, Home: acct.Home,
		Current:  acct.UID == cur.UID,
		StateDir: stateDir,
	}, 0)
}

// whose names the crontab in messages.
func whose(acct, cur spec.Account) string {
	if acct.UID == cur.UID {
		return "your crontab"
	}
	return acct.Name + "'s crontab"
}

// confirm asks a yes/no question on the terminal; anything but y or yes
// is no.
func (a *app) confirm(question string) (bool, error) {
	fmt.Fprintf(a.stdout, "%s [y/N] ", question)
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(a.stdout)
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// apply makes a change: with --yes at once, otherwise after showing the
// diff and asking. The plan the user confirmed is the one applied: if the
// crontab changed meanwhile nothing is written.
func (a *app) apply(in *crontab.Installer, c crontab.Change, yes bool, where, question string, guard func(old string) error) (crontab.Result, error) {
	ctx := context.Background()
	// The change is planned on the crontab as read now and written only if
	// it still reads the same under the lock (crontab.ErrChanged).
	p, err := in.Plan(ctx, c)
	if err != nil {
		return crontab.Result{}, err
	}
	if guard != nil {
		if err := guard(p.Old); err != nil {
			return crontab.Result{}, err
		}
	}
	if p.Action == crontab.Unchanged {
		return crontab.Result{Plan: *p}, nil
	}
	if !yes {
		fmt.Fprintf(a.stdout, "Change to %s:\n%s", where, p.Diff())
		ok, err := a.confirm(question)
		if err != nil {
			return crontab.Result{}, err
		}
		if !ok {
			return crontab.Result{}, errCanceled
		}
	}
	res, err := a.edge.applyCrontab(ctx, in, c, p)
	var ie *crontab.InterruptedError
	if errors.As(err, &ie) {
		return res, errCanceled
	}
	return res, err
}

// reportChange prints what a change did, with the backup's path.
func (a *app) reportChange(res crontab.Result, where string, showDiff bool) {
	name := res.Change.Name
	switch res.Action {
	case crontab.Unchanged:
		fmt.Fprintf(a.stdout, "%s is already in %s as shown; nothing to do\n", name, where)
		return
	case crontab.Installed:
		fmt.Fprintf(a.stdout, "installed %s into %s\n", name, where)
	case crontab.Updated:
		fmt.Fprintf(a.stdout, "updated %s in %s\n", name, where)
	case crontab.Removed:
		fmt.Fprintf(a.stdout, "removed %s from %s\n", name, where)
	}
	if showDiff {
		fmt.Fprint(a.stdout, res.Diff())
	}
	fmt.Fprintf(a.stdout, "the previous crontab is saved in %s\n", res.Backup)
	a.warn(res.Warnings)
}

// reraise ends the process with the signal that arrived while the crontab
// was being written, now that the write is complete and checked, so that
// whoever sent it sees it take effect.
func reraise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		signal.Reset(s)
		syscall.Kill(os.Getpid(), s)
		time.Sleep(time.Second) // the default action ends us meanwhile
	}
}

// stateDirOf is the default state directory of acct; the main command
// gets it from spec resolution instead.
func stateDirOf(acct spec.Account, env spec.Env) string {
	return filepath.Clean(spec.StateDir(acct, env))
}
