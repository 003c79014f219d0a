package crontab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pmezard/go-difflib/difflib"
)

// Installer edits one account's crontab the safe way: under an exclusive
// lock, reading it with the failure rules of Tab.Read, saving a backup of
// the exact previous bytes, writing the whole new text at once and reading
// it back to check that it is what was written.
type Installer struct {
	Tab      Tab
	StateDir string // lock file and backups/ live here
	// Home is the target's home: below it, when files are made for
	// another account (UID >= 0), every directory must be theirs or root's.
	Home     string
	UID, GID int // owner of what is created in StateDir; -1 keeps ours
	// LockDir holds the lock file. It must be the same for every run that
	// edits this account's crontab, whoever runs it and whatever its
	// XDG_STATE_HOME: NewInstaller puts it in the account's home from the
	// user database. "" means StateDir.
	LockDir string
	Keep    int // backups kept; 0 means DefaultKeep
	// LockWait bounds the wait for another run's lock; 0 means 30s.
	LockWait time.Duration
	Now      func() time.Time // nil means time.Now
}

// NewInstaller returns the Installer for a target account, using the real
// crontab command with the given timeout per run (0: DefaultTimeout).
func NewInstaller(t Target, timeout time.Duration) *Installer {
	uid, gid := t.Owner()
	return &Installer{
		Tab:      t.Tab(timeout),
		StateDir: t.StateDir,
		Home:     t.Home,
		UID:      uid,
		GID:      gid,
		LockDir:  t.LockDir(),
	}
}

// Change is one edit: install (or replace) the block Name with Lines, or
// remove it.
type Change struct {
	Name   string
	Lines  []string
	Remove bool
	// AtLine, when not 0, puts the new block in place of that line
	// (1-based), which must read Replaces: a hand-written line adopted.
	AtLine   int
	Replaces string
}

// Plan is what a Change would do to the crontab as it is now.
type Plan struct {
	Change Change
	Action Action
	Old    string // the crontab as read
	New    string // the crontab after the change; equal to Old when Unchanged
}

// Diff is the unified diff from Old to New, "" when nothing changes.
func (p *Plan) Diff() string {
	if p.Old == p.New {
		return ""
	}
	// difflib's matcher costs milliseconds on a crontab of thousands of
	// lines, and a change is one block: the whole lines that are the same
	// at the start and at the end of both sides, less the context, are
	// found by comparing bytes, left out, and the hunk headers shifted by
	// as many lines.
	const context = 3
	a, b := p.Old, p.New
	head := strings.LastIndexByte(a[:commonPrefix(a, b)], '\n') + 1
	tail := commonSuffix(a[head:], b[head:])
	if !lineStart(a, head, len(a)-tail) || !lineStart(b, head, len(b)-tail) {
		// Only the lines that start inside the common tail on both sides.
		if k := strings.IndexByte(a[len(a)-tail:], '\n'); k >= 0 {
			tail -= k + 1
		} else {
			tail = 0
		}
	}
	start, skip := head, strings.Count(a[:head], "\n")
	for i := 0; i < context && start > 0; i++ {
		start = strings.LastIndexByte(a[:start-1], '\n') + 1
		skip--
	}
	end := len(a) - tail
	for i := 0; i < context && end < len(a); i++ {
		end += strings.IndexByte(a[end:], '\n') + 1 // the tail's lines end in \n
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        diffLines(a[start:end]),
		B:        diffLines(b[start : len(b)-(len(a)-end)]),
		FromFile: "crontab (current)",
		ToFile:   "crontab (new)",
		Context:  context,
	})
	if skip == 0 {
		return d
	}
	return hunkHeader().ReplaceAllStringFunc(d, func(h string) string {
		m := hunkHeader().FindStringSubmatch(h)
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[3])
		return fmt.Sprintf("@@ -%d%s +%d%s @@", from+skip, m[2], to+skip, m[4])
	})
}

// lineStart reports whether offset i of s starts a line, as head (a line
// start, or 0) does.
func lineStart(s string, head, i int) bool { return i == head || s[i-1] == '\n' }

// commonPrefix is the length of the longest common prefix of a and b,
// compared a block at a time (string equality is vectorised).
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && a[i:i+64] == b[i:i+64] {
		i += 64
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix is the length of the longest common suffix of a and b.
func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && a[len(a)-i-64:len(a)-i] == b[len(b)-i-64:len(b)-i] {
		i += 64
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

// hunkHeader is compiled on first use: mkdaemon --print links this
// package, and compiling at start-up would cost it about 0.05 ms.
var hunkHeader = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@$`)
})

// diffLines splits text for difflib, each line with its newline. (Its own
// SplitLines adds an empty last line to every text ending in a newline.)
func diffLines(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	}
	return lines
}

// Result is what Apply did.
type Result struct {
	Plan
	// Backup is the file holding the previous crontab; "" when nothing
	// was written.
	Backup string
	// Interrupted is the signal (SIGINT, SIGTERM, SIGHUP) that arrived
	// while the crontab was being written. The write was finished and
	// checked first; the caller should now exit as that signal asks.
	Interrupted os.Signal
	// Warnings are problems that did not stop the change, such as old
	// backups that could not be removed.
	Warnings []string
}

// ErrChanged means the crontab is not the one the user confirmed.
var ErrChanged = errors.New("the crontab changed since its diff was shown; nothing was written; run mkdaemon again to see the new diff")

// ErrConflict means the crontab changed while mkdaemon was working on it,
// by something that does not take mkdaemon's lock (`crontab -e`, another
// tool): the new crontab was not written, so that edit is kept.
var ErrConflict = errors.New("the crontab changed while mkdaemon was preparing its change (edited with `crontab -e` or another tool at the same moment?); nothing was written, the other edit is kept; run mkdaemon again")

// VerifyError means the crontab read back after writing differs from what
// was written: someone else changed it at the same moment.
type VerifyError struct {
	Backup string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("the crontab read back after writing is not what mkdaemon wrote (changed at the same moment by something else?); check it with `crontab -l`; the crontab from before is saved in %s", e.Backup)
}

// InterruptedError is a signal that arrived before anything was written;
// the run stopped there and the crontab is untouched.
type InterruptedError struct{ Signal os.Signal }

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted by %v before writing; the crontab is untouched", e.Signal)
}

// Plan reads the crontab and computes the change without taking the lock
// or writing anything; it is what --dry-run shows and what a user
// confirms.
func (in *Installer) Plan(ctx context.Context, c Change) (*Plan, error) {
	old, err := in.Read(ctx)
	if err != nil {
		return nil, err
	}
	return plan(old, c)
}

// Read returns the crontab as it is now, with the failure rules of
// Tab.Read; it takes no lock.
func (in *Installer) Read(ctx context.Context) (string, error) {
	text, err := in.Tab.Read(ctx)
	if err != nil {
		return "", fmt.Errorf("reading the crontab: %w; nothing was written", err)
	}
	return text, nil
}

func plan(old string, c Change) (*Plan, error) {
	p := &Plan{Change: c, Old: old}
	var err error
	switch {
	case c.Remove:
		p.New, err = Remove(old, c.Name)
		p.Action = Removed
	case c.AtLine > 0:
		p.New, err = SpliceAt(old, c.Name, c.Lines, c.AtLine, c.Replaces)
		p.Action = Installed
	default:
		p.New, p.Action, err = Splice(old, c.Name, c.Lines)
	}
	if err != nil {
		return nil, err
	}
	if p.Action != Unchanged {
		if err := CheckLimits(p.New); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Apply makes the change. When confirmed is not nil the crontab must still
// be confirmed.Old, or nothing is written and ErrChanged is returned.
//
// SIGINT, SIGTERM and SIGHUP are held for the whole call. One that arrives
// before the write stops the run with an *InterruptedError, the crontab
// untouched; once `crontab -` has been started it is allowed to finish and
// the signal is reported in Result.Interrupted. Either way the crontab is
// the old one or the new one, never a part of it.
func (in *Installer) Apply(ctx context.Context, c Change, confirmed *Plan) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hold := holdSignals(cancel)
	released := false
	release := func() os.Signal { released = true; return hold.release() }
	defer func() {
		if !released {
			hold.release()
		}
	}()
	caught := hold.caught
	interrupted := func(err error) error {
		if s := caught(); s != nil {
			return &InterruptedError{Signal: s}
		}
		return err
	}

	o := in.owner()
	lockDir := in.LockDir
	if lockDir == "" {
		lockDir = in.StateDir
	}
	ldir, err := makeDir(lockDir, o)
	if err != nil {
		return Result{}, fmt.Errorf("%w; nothing was written", err)
	}
	wait := in.LockWait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	lctx, lcancel := context.WithTimeout(ctx, wait)
	lock, err := lockState(lctx, ldir)
	lcancel()
	ldir.Close()
	if err != nil {
		return Result{}, interrupted(err)
	}
	defer lock.Close()

	old, err := in.Read(ctx)
	if err != nil {
		return Result{}, interrupted(err)
	}
	if confirmed != nil && old != confirmed.Old {
		return Result{}, ErrChanged
	}
	p, err := plan(old, c)
	if err != nil {
		return Result{}, err
	}
	res := Result{Plan: *p}
	if p.Action == Unchanged {
		res.Interrupted = release()
		return res, nil
	}
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	keep := in.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	if s := caught(); s != nil {
		return Result{}, &InterruptedError{Signal: s}
	}
	sdir, err := makeDir(in.StateDir, o)
	if err != nil {
		return Result{}, fmt.Errorf("%w; nothing was written", err)
	}
	res.Backup, err = saveBackup(sdir, o, old, now(), keep)
	sdir.Close()
	if err != nil {
		if res.Backup == "" {
			return Result{}, fmt.Errorf("%w; the crontab was not touched", err)
		}
		// Only pruning old backups failed; the new one is safe.
		res.Warnings = append(res.Warnings, err.Error())
	}
	if s := caught(); s != nil {
		return Result{}, &InterruptedError{Signal: s}
	}

	// crontab offers no compare-and-swap, and `crontab -e` takes no lock
	// of ours: an edit saved since the read above would be lost without a
	// word. Read again just before writing; what is left is the moment
	// between this read and crontab's rename of the new file.
	again, err := in.Tab.Read(ctx)
	if err != nil {
		return Result{}, interrupted(fmt.Errorf("reading the crontab again before writing: %w; nothing was written", err))
	}
	if again != old {
		return Result{}, ErrConflict
	}
	if s := caught(); s != nil {
		return Result{}, &InterruptedError{Signal: s}
	}

	// From here on a signal no longer cancels anything: the write and the
	// check that follows run to the end, bounded by the Tab's timeout.
	wctx := context.WithoutCancel(ctx)
	if err := in.Tab.Write(wctx, p.New); err != nil {
		return Result{}, fmt.Errorf("writing the crontab: %w; crontab replaces the whole file or nothing, so it is the old or the new one (see `crontab -l`); the crontab from before is saved in %s", err, res.Backup)
	}
	back, err := in.Tab.Read(wctx)
	if err != nil {
		return Result{}, fmt.Errorf("the crontab was written but reading it back failed: %w; the crontab from before is saved in %s", err, res.Backup)
	}
	if back != p.New {
		return Result{}, &VerifyError{Backup: res.Backup}
	}
	res.Interrupted = release()
	return res, nil
}

// Install puts the block name with lines into the crontab.
func (in *Installer) Install(ctx context.Context, name string, lines []string) (Result, error) {
	return in.Apply(ctx, Change{Name: name, Lines: lines}, nil)
}

// RemoveBlock takes the block name out of the crontab.
func (in *Installer) RemoveBlock(ctx context.Context, name string) (Result, error) {
	return in.Apply(ctx, Change{Name: name, Remove: true}, nil)
}
