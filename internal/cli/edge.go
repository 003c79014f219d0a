package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/export"
	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/proc"
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

	// Day two.
	// startEntry runs the entry's command once as cron would (check.Tick).
	startEntry(ctx context.Context, t check.Target, timeout time.Duration) (check.Started, error)
	// stopDaemon signals the daemon of a pidfile (check.Stop).
	stopDaemon(ctx context.Context, pidfile, name string, a proc.Account, timeout time.Duration) (check.Stopped, error)
	// writeRotation writes the logrotate config of an entry for the
	// account o; remove removes it instead.
	writeRotation(rot entry.Rotation, o homefs.Owner, remove bool) error
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

func (realEdge) startEntry(ctx context.Context, t check.Target, timeout time.Duration) (check.Started, error) {
	return check.Tick(ctx, t, timeout)
}

func (realEdge) stopDaemon(ctx context.Context, pidfile, name string, a proc.Account, timeout time.Duration) (check.Stopped, error) {
	return check.Stop(ctx, pidfile, name, a, timeout)
}

func (realEdge) writeRotation(rot entry.Rotation, o homefs.Owner, remove bool) error {
	d, err := o.OpenDir(filepath.Dir(rot.Config))
	if err != nil {
		return err
	}
	defer d.Close()
	if remove {
		for _, name := range []string{filepath.Base(rot.Config), filepath.Base(rot.State)} {
			if err := d.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	}
	// logrotate ignores a config that others may write.
	return d.WriteAtomic(filepath.Base(rot.Config), []byte(rot.Content), 0o644, true)
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

func (d *dryRun) startEntry(_ context.Context, t check.Target, _ time.Duration) (check.Started, error) {
	d.would("start %s", t.Name)
	return check.Started{}, errDryRun
}

func (d *dryRun) stopDaemon(_ context.Context, pidfile, name string, _ proc.Account, _ time.Duration) (check.Stopped, error) {
	d.would("stop %s (the process %s names)", name, pidfile)
	return check.Stopped{}, nil
}

func (d *dryRun) writeRotation(rot entry.Rotation, _ homefs.Owner, remove bool) error {
	if remove {
		d.would("remove the logrotate config %s", rot.Config)
	} else {
		d.would("write the logrotate config %s", rot.Config)
	}
	return nil
}
