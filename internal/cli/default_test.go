package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/wizard"
)

// defaults answers every question with its default, and "Print" at the
// review.
type defaults struct{}

func (defaults) Input(q wizard.Input) (string, error) {
	if q.Name == "program" {
		return "bot.py", nil
	}
	return q.Default, nil
}

func (defaults) Select(q wizard.Select) (string, error) {
	if q.Name == "action" {
		for _, o := range q.Options {
			if strings.HasPrefix(o, "Print") {
				return o, nil
			}
		}
	}
	if q.Default == "" {
		return q.Options[0], nil
	}
	return q.Default, nil
}

func (defaults) Confirm(q wizard.Confirm) (bool, error) { return q.Default, nil }

// TestEveryPathAgreesOnTheDefault holds the wizard, --print, install,
// check and export to one default for an ordinary script: it stays in the
// foreground, and start-stop-daemon backgrounds it and writes its pidfile.
// A script started as if it daemonized itself would never be found by its
// pidfile, and cron would start a new copy on every tick.
func TestEveryPathAgreesOnTheDefault(t *testing.T) {
	h := t.TempDir()
	t.Setenv("HOME", h)
	t.Setenv("XDG_STATE_HOME", "")
	t.Chdir(h)
	prog := filepath.Join(h, "bot.py")
	if err := os.WriteFile(prog, []byte("#!/usr/bin/python3\nimport time\nwhile True: time.sleep(60)\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	const fg = "--background --make-pidfile"

	// --print, as text and JSON.
	code, stdout, stderr := mkd(t, "--print", "--program", prog)
	if code != 0 || !strings.Contains(stdout, fg) {
		t.Errorf("--print: exit %d, %s%s", code, stdout, stderr)
	}
	var e entry.Entry
	if _, stdout, _ = mkd(t, "--print", "--json", "--program", prog); json.Unmarshal([]byte(stdout), &e) != nil || e.Mode != spec.ModeForeground {
		t.Errorf("--print --json: mode %q in %s", e.Mode, stdout)
	}

	// Install: the change --dry-run shows is what --yes would write.
	calls := fakeCrontab(t, "no crontab for you")
	code, stdout, stderr = mkd(t, "--dry-run", "--program", prog)
	if code != 0 || !strings.Contains(stdout, fg) {
		t.Errorf("install --dry-run: exit %d, %s%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(calls); strings.Contains(string(b), "-\n") {
		t.Errorf("a dry run wrote the crontab: %s", b)
	}

	// The check runs the entry's own argv.
	a := &app{getenv: os.Getenv, now: time.Now, edge: &dryRun{out: new(strings.Builder)}}
	r, err := a.resolve(spec.Input{Program: prog, Interval: schedule.DefaultInterval})
	if err != nil {
		t.Fatal(err)
	}
	re, err := a.render(r)
	if err != nil {
		t.Fatal(err)
	}
	target, err := a.targetOf(r, re)
	if err != nil || !strings.Contains(strings.Join(target.Argv, " "), fg) {
		t.Errorf("check target %v, %v", target.Argv, err)
	}

	// Exports: systemd supervises the process itself; Toolforge needs no
	// flag.
	if code, stdout, stderr = mkd(t, "export", "--format", "systemd", "--program", prog); code != 0 ||
		!strings.Contains(stdout, "Type=exec\n") || strings.Contains(stdout, "PIDFile") || !strings.Contains(stdout, "Restart=always\n") {
		t.Errorf("systemd: exit %d, %s%s", code, stdout, stderr)
	}
	if code, stdout, stderr = mkd(t, "export", "--format", "toolforge", "--program", prog); code != 0 || !strings.Contains(stdout, "command: "+prog+"\n") {
		t.Errorf("toolforge: exit %d, %s%s", code, stdout, stderr)
	}

	// The wizard, every question answered with its default.
	env, err := a.env()
	if err != nil {
		t.Fatal(err)
	}
	w := &wizard.Wizard{Prompter: defaults{}, Out: new(strings.Builder), Env: env, Now: time.Now, Render: a.render}
	res, err := w.Run(context.Background(), spec.Input{Interval: schedule.DefaultInterval})
	if err != nil {
		t.Fatalf("wizard: %v", err)
	}
	if res.Entry.Mode != spec.ModeForeground || !strings.Contains(res.Entry.Command, fg) {
		t.Errorf("wizard: mode %s, command %s", res.Entry.Mode, res.Entry.Command)
	}
}
