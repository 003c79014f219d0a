package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/export"
	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/scaffold"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// edge is every side effect a command may have: changing a crontab,
// writing files (units, jobs.yaml, skeletons) and directories, and starting
// processes (the check, go build). Commands reach the outside world only
// through the app's edge; reading is free. With --dry-run the app's edge
// is a dryRun, which says what would be done and can neither write nor
// start anything, so a dry run cannot change anything by accident.
type edge interface {
	// applyCrontab writes the planned change (crontab.Installer.Apply).
	applyCrontab(ctx context.Context, in *crontab.Installer, c crontab.Change, p *crontab.Plan) (crontab.Result, error)
	// writeExport writes an export to path for the account o
	// (export.Result.WriteFor).
	writeExport(r export.Result, path string, force bool, o homefs.Owner) (string, error)
	// createSkeleton writes a skeleton for the account o and builds a Go
	// one (scaffold.Create).
	createSkeleton(p scaffold.Params, force bool, o homefs.Owner) (scaffold.Result, error)
	// makeDir creates dir, and the directories above it up to home, owned
	// by uid and gid (-1 keeps ours).
	makeDir(dir, home string, uid, gid int) error
	// runCheck starts the daemon as cron would and tests it (check.Run).
	runCheck(ctx context.Context, t check.Target, o check.Options) (check.Report, error)
}

// realEdge does it.
type realEdge struct{}

func (realEdge) applyCrontab(ctx context.Context, in *crontab.Installer, c crontab.Change, p *crontab.Plan) (crontab.Result, error) {
	return in.Apply(ctx, c, p)
}

func (realEdge) writeExport(r export.Result, path string, force bool, o homefs.Owner) (string, error) {
	return r.WriteFor(path, force, o)
}

func (realEdge) createSkeleton(p scaffold.Params, force bool, o homefs.Owner) (scaffold.Result, error) {
	return scaffold.Create(p, force, o)
}

func (realEdge) makeDir(dir, home string, uid, gid int) error {
	return crontab.MakeDir(dir, home, uid, gid)
}

func (realEdge) runCheck(ctx context.Context, t check.Target, o check.Options) (check.Report, error) {
	return check.Run(ctx, t, o)
}

// errDryRun is what a dry run answers where going on would need the
// change it did not make: the crontab and the check.
var errDryRun = errors.New("--dry-run: nothing was written and nothing was started")

// dryRun records what would be done, says so on out, and does nothing.
type dryRun struct {
	out  io.Writer
	done []string // what would have been done, in order
}

func (d *dryRun) would(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	d.done = append(d.done, msg)
	fmt.Fprintf(d.out, "--dry-run: would %s\n", msg)
}

func (d *dryRun) applyCrontab(_ context.Context, _ *crontab.Installer, c crontab.Change, p *crontab.Plan) (crontab.Result, error) {
	verb := "install"
	if c.Remove {
		verb = "remove"
	}
	d.would("%s the block %s in the crontab", verb, c.Name)
	return crontab.Result{Plan: *p}, errDryRun
}

func (d *dryRun) writeExport(r export.Result, path string, _ bool, _ homefs.Owner) (string, error) {
	d.would("write %s (%d bytes)", path, len(r.Content))
	return path, nil
}

func (d *dryRun) createSkeleton(p scaffold.Params, _ bool, _ homefs.Owner) (scaffold.Result, error) {
	d.would("write the %s skeleton %s", p.Lang, p.Program)
	return scaffold.Result{Params: p}, nil
}

func (d *dryRun) makeDir(dir, _ string, _, _ int) error {
	if _, err := os.Stat(dir); err != nil {
		d.would("create the directory %s", dir)
	}
	return nil
}

func (d *dryRun) runCheck(_ context.Context, t check.Target, _ check.Options) (check.Report, error) {
	d.would("start %s to check it", t.Name)
	return check.Report{}, errDryRun
}

// ownerFor is whom files are made for: the target account when root works
// for another (--user), which then gets what mkdaemon creates and nothing
// it did not; homefs.Self otherwise.
func ownerFor(target, current spec.Account) homefs.Owner {
	if target.UID == current.UID {
		return homefs.Self
	}
	return homefs.Owner{UID: target.UID, GID: target.GID, Home: target.Home}
}
