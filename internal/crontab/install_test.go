package crontab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
)

// foreignInstalled is foreign (block_test.go) as it is written with
// crontab: with a real carriage return, which `crontab -l` then lists as
// the two characters `\r`, the way foreign has it.
var foreignInstalled = strings.Replace(foreign, `'dos line'\r`, "'dos line'\r", 1)

func ssdLine(sched, name string) string {
	return fmt.Sprintf("%s /usr/sbin/start-stop-daemon --start --quiet --oknodo --pidfile '/home/u/state/%s 100\\%%.pid' --name %s --startas /home/u/%s", sched, name, name, name)
}

func block(name string, lines ...string) string {
	return "# BEGIN mkdaemon " + name + "\n" + strings.Join(lines, "\n") + "\n# END mkdaemon " + name + "\n"
}

func backups(t *testing.T, u Target) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(u.StateDir, "backups"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, filepath.Join(u.StateDir, "backups", e.Name()))
	}
	sort.Strings(names)
	return names
}

func TestRealInstallUpdateRemoveList(t *testing.T) {
	u := throwaway(t)
	ctx := context.Background()
	setCrontab(t, u, foreignInstalled)
	l0 := listing(t, u)
	if l0 != foreign {
		t.Fatalf("crontab -l lists\n%q\nwant\n%q (crontab -l lists a CR as \\r)", l0, foreign)
	}
	in := NewInstaller(u, 0)

	// Install: appended at the end, backup of the exact previous bytes.
	// (SpoolID must see the write: the checks below that nothing was
	// written rely on it.)
	bot1 := []string{ssdLine("*/5 * * * *", "bot")}
	spool0 := crontest.SpoolID(t, u.User)
	res, err := in.Install(ctx, "bot", bot1)
	if err != nil {
		t.Fatal(err)
	}
	if spool0 == "none" || crontest.SpoolID(t, u.User) == spool0 {
		t.Fatalf("crontest.SpoolID %q before and after an install: it does not see a write", spool0)
	}
	if res.Action != Installed || listing(t, u) != l0+block("bot", bot1...) {
		t.Fatalf("install: %v, crontab now\n%s", res.Action, listing(t, u))
	}
	checkBackup(t, u, res.Backup, RestoreCR(l0)) // the CR listed as \r is restored

	// Re-install: byte-identical, nothing written, no backup.
	before := crontest.SpoolID(t, u.User)
	res, err = in.Install(ctx, "bot", bot1)
	if err != nil || res.Action != Unchanged || res.Backup != "" {
		t.Fatalf("re-install: %+v, %v; want unchanged without backup", res.Action, err)
	}
	if crontest.SpoolID(t, u.User) != before || listing(t, u) != l0+block("bot", bot1...) {
		t.Fatal("re-install rewrote the crontab")
	}
	if n := len(backups(t, u)); n != 1 {
		t.Fatalf("%d backups after an unchanged install, want 1", n)
	}

	// A second daemon, then an update of the first: replaced where it
	// stands, the second block does not move.
	other := []string{ssdLine("@hourly", "other")}
	if res, err = in.Install(ctx, "other", other); err != nil || res.Action != Installed {
		t.Fatalf("install other: %v %v", res.Action, err)
	}
	bot2 := []string{ssdLine("*/10 * * * *", "bot"), ssdLine("@reboot", "bot")}
	prev := listing(t, u)
	if res, err = in.Install(ctx, "bot", bot2); err != nil || res.Action != Updated {
		t.Fatalf("update bot: %v %v", res.Action, err)
	}
	want := l0 + block("bot", bot2...) + block("other", other...)
	if got := listing(t, u); got != want {
		t.Fatalf("after update:\n%s\nwant\n%s", got, want)
	}
	checkBackup(t, u, res.Backup, RestoreCR(prev))

	// Read lists the blocks back, in order (internal/installed reads their
	// schedules and pidfiles; `mkdaemon list` tests it on a real crontab).
	text, err := in.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := Blocks(text)
	if err != nil || len(bs) != 2 || bs[0].Name != "bot" || bs[1].Name != "other" {
		t.Fatalf("Blocks = %+v, %v", bs, err)
	}

	// Remove an unknown name: an error naming the known ones, nothing written.
	before = crontest.SpoolID(t, u.User)
	_, err = in.RemoveBlock(ctx, "nope")
	var nf *NotFoundError
	if !errors.As(err, &nf) || strings.Join(nf.Known, ",") != "bot,other" {
		t.Fatalf("remove nope: %v", err)
	}
	if crontest.SpoolID(t, u.User) != before {
		t.Fatal("removing an unknown name wrote the crontab")
	}

	// Remove both: the original listing, byte for byte.
	if res, err = in.RemoveBlock(ctx, "bot"); err != nil || res.Action != Removed {
		t.Fatalf("remove bot: %v %v", res.Action, err)
	}
	if got := listing(t, u); got != l0+block("other", other...) {
		t.Fatalf("after removing bot:\n%s", got)
	}
	if _, err = in.RemoveBlock(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, u); got != l0 {
		t.Fatalf("after removing everything:\n%q\nwant the original\n%q", got, l0)
	}
}

// checkBackup: the backup holds prev exactly, is 0600, and belongs to the
// target user, as do the state directories mkdaemon made for them.
func checkBackup(t *testing.T, u Target, path, prev string) {
	t.Helper()
	if !strings.HasPrefix(path, filepath.Join(u.StateDir, "backups")+"/") {
		t.Fatalf("backup %q is not under %s/backups", path, u.StateDir)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != prev {
		t.Fatalf("backup holds\n%q\nwant\n%q", b, prev)
	}
	for _, p := range []string{path, filepath.Dir(path), u.StateDir, filepath.Dir(u.StateDir), filepath.Join(u.StateDir, lockName)} {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if int(st.Uid) != u.UID || int(st.Gid) != u.GID {
			t.Errorf("%s belongs to %d:%d, want the user's %d:%d", p, st.Uid, st.Gid, u.UID, u.GID)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestRealEmptyCrontab(t *testing.T) {
	u := throwaway(t)
	in := NewInstaller(u, 0)
	// A new user has no crontab: "no crontab for" is the empty crontab.
	res, err := in.Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if err != nil || res.Action != Installed {
		t.Fatalf("%v %v", res.Action, err)
	}
	checkBackup(t, u, res.Backup, "")
	if got := listing(t, u); got != block("bot", "@daily /bin/true") {
		t.Fatalf("crontab %q", got)
	}
	if _, err := in.RemoveBlock(context.Background(), "bot"); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, u); got != "" {
		t.Fatalf("crontab %q after removing the only block, want empty", got)
	}
}

func TestRealUnfinishedLastLineGetsNewline(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, "0 0 * * * /bin/true\n# last, no newline")
	l0 := listing(t, u)
	if strings.HasSuffix(l0, "\n") {
		t.Skip("this crontab lists a final newline anyway")
	}
	res, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := listing(t, u); got != l0+"\n"+block("bot", "@daily x") {
		t.Fatalf("crontab %q", got)
	}
	checkBackup(t, u, res.Backup, RestoreCR(l0)) // the CR listed as \r is restored
}

// TestRealRefusalsTouchNothing: broken markers and a result crontab would
// refuse are errors before anything is written.
func TestRealRefusalsTouchNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		want any
	}{
		"begin without end":  {"MAILTO=x\n# BEGIN mkdaemon bot\n@daily old\n", new(*MarkerError)},
		"end without begin":  {"# END mkdaemon bot\n", new(*MarkerError)},
		"duplicate":          {block("bot", "@daily a") + block("bot", "@daily b"), new(*MarkerError)},
		"other name broken":  {"# BEGIN mkdaemon other\n@daily o\n", new(*MarkerError)},
		"too many lines":     {strings.Repeat("# filler\n", MaxLines-2), new(*LimitError)},
		"command too long":   {"# x\n", new(*LimitError)}, // the command below is too long
		"command at the max": {"# ok\n", nil},
	} {
		t.Run(name, func(t *testing.T) {
			u := throwaway(t)
			setCrontab(t, u, tc.text)
			before, l0 := crontest.SpoolID(t, u.User), listing(t, u)
			lines := []string{"@daily /bin/true", "@reboot /bin/true"}
			switch name {
			case "command too long":
				lines = []string{"@daily " + strings.Repeat("x", MaxCommand+1)}
			case "command at the max":
				lines = []string{"@daily " + strings.Repeat("x", MaxCommand)}
			}
			_, err := NewInstaller(u, 0).Install(context.Background(), "bot", lines)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("a %d-byte command was refused: %v", MaxCommand, err)
				}
				return
			}
			if err == nil || !errors.As(err, tc.want) {
				t.Fatalf("error %v, want %T", err, tc.want)
			}
			if crontest.SpoolID(t, u.User) != before || listing(t, u) != l0 {
				t.Fatal("the crontab was written")
			}
			if b := backups(t, u); len(b) != 0 {
				t.Fatalf("backups were made: %q", b)
			}
		})
	}
}

func TestRealBackupsKeepLast20(t *testing.T) {
	u := throwaway(t)
	in := NewInstaller(u, 0)
	var last, prev string
	for i := range DefaultKeep + 3 {
		prev = listing(t, u)
		res, err := in.Install(context.Background(), "bot", []string{fmt.Sprintf("@daily /bin/echo %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = res.Backup
	}
	b := backups(t, u)
	if len(b) != DefaultKeep {
		t.Fatalf("%d backups, want %d", len(b), DefaultKeep)
	}
	if b[len(b)-1] != last {
		t.Fatalf("newest backup %s, want %s", b[len(b)-1], last)
	}
	checkBackup(t, u, last, prev)
	// The oldest kept is the crontab before install number 3 (0-based),
	// which held echo 2.
	old, _ := os.ReadFile(b[0])
	if !strings.Contains(string(old), "/bin/echo 2\n") {
		t.Fatalf("oldest backup %q, want the one holding echo 2", old)
	}
}

// TestRealConcurrentInstalls runs 20 Installers at once, each in its own
// goroutine with its own lock file handle, each adding a different name:
// without the lock the last writer would win and most entries be lost.
func TestRealConcurrentInstalls(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, foreignInstalled)
	const n = 20
	installAtOnce(t, n, func(i int) error {
		_, err := NewInstaller(u, 0).Install(context.Background(), fmt.Sprintf("bot%02d", i), []string{ssdLine("@hourly", fmt.Sprintf("bot%02d", i))})
		return err
	})
	text := listing(t, u)
	if !strings.HasPrefix(text, foreign) {
		t.Fatal("foreign lines changed")
	}
	blocks, err := Blocks(text)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, b := range blocks {
		names[b.Name] = true
	}
	for i := range n {
		if !names[fmt.Sprintf("bot%02d", i)] {
			t.Errorf("bot%02d is missing", i)
		}
	}
	if len(blocks) != n {
		t.Errorf("%d blocks, want %d", len(blocks), n)
	}
}

// TestRealDryRunWritesNothing: Plan reads and diffs, creates no state
// directory and writes no crontab.
func TestRealDryRunWritesNothing(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, foreignInstalled)
	before := crontest.SpoolID(t, u.User)
	p, err := NewInstaller(u, 0).Plan(context.Background(), Change{Name: "bot", Lines: []string{"@daily /bin/true"}})
	if err != nil {
		t.Fatal(err)
	}
	d := p.Diff()
	if p.Action != Installed || !strings.Contains(d, "+# BEGIN mkdaemon bot\n+@daily /bin/true\n+# END mkdaemon bot\n") ||
		!strings.HasPrefix(d, "--- crontab (current)\n+++ crontab (new)\n") || !strings.HasSuffix(d, "+# END mkdaemon bot\n") {
		t.Fatalf("plan %v, diff:\n%s", p.Action, d)
	}
	if crontest.SpoolID(t, u.User) != before {
		t.Fatal("dry run wrote the crontab")
	}
	if _, err := os.Stat(filepath.Join(u.Home, ".local")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("dry run created files: %v", err)
	}
}

// TestRealChangedSinceConfirmed: a plan the user confirmed is applied only
// to the crontab it was made from.
func TestRealChangedSinceConfirmed(t *testing.T) {
	u := throwaway(t)
	in := NewInstaller(u, 0)
	c := Change{Name: "bot", Lines: []string{"@daily /bin/true"}}
	p, err := in.Plan(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	setCrontab(t, u, "# edited meanwhile\n")
	before := crontest.SpoolID(t, u.User)
	if _, err := in.Apply(context.Background(), c, p); !errors.Is(err, ErrChanged) {
		t.Fatalf("Apply = %v, want ErrChanged", err)
	}
	if crontest.SpoolID(t, u.User) != before {
		t.Fatal("the crontab was written")
	}
}

// racingTab is the real crontab with another editor that does not take
// mkdaemon's lock and writes right after mkdaemon does.
type racingTab struct {
	*Command
	u  Target
	tb testing.TB
}

func (r racingTab) Write(ctx context.Context, text string) error {
	if err := r.Command.Write(ctx, text); err != nil {
		return err
	}
	setCrontab(r.tb, r.u, text+"# sneaked in\n")
	return nil
}

func TestRealVerifyCatchesConcurrentEdit(t *testing.T) {
	u := throwaway(t)
	setCrontab(t, u, "# mine\n")
	in := NewInstaller(u, 0)
	in.Tab = racingTab{Command: u.Tab(0), u: u, tb: t}
	_, err := in.Install(context.Background(), "bot", []string{"@daily /bin/true"})
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want *VerifyError", err)
	}
	if !strings.Contains(err.Error(), ve.Backup) || ve.Backup == "" {
		t.Fatalf("error %q does not point at the backup", err)
	}
	checkBackup(t, u, ve.Backup, "# mine\n")
}

// TestRealRefusesSymlinkInUsersHome: as root for another user, a symlink
// the user planted on the way to the state directory is not followed.
func TestRealRefusesSymlinkInUsersHome(t *testing.T) {
	u := throwaway(t)
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(u.Home, ".local")); err != nil {
		t.Fatal(err)
	}
	setCrontab(t, u, "# mine\n")
	before := crontest.SpoolID(t, u.User)
	_, err := NewInstaller(u, 0).Install(context.Background(), "bot", []string{"@daily /bin/true"})
	if err == nil || !strings.Contains(err.Error(), ".local is a symbolic link") {
		t.Fatalf("error %v, want a refusal of the symlink", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Fatalf("created %v behind the symlink", entries)
	}
	if crontest.SpoolID(t, u.User) != before {
		t.Fatal("the crontab was written")
	}
}

// installAtOnce runs install(0) ... install(n-1) at the same time and
// reports every error.
func installAtOnce(t *testing.T, n int, install func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- install(i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
