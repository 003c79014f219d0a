package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/ptytest"
)

// TestDryRunChangesNothing runs every command that takes --dry-run, as root
// for a throwaway user with an installed entry, and holds each to its
// promise: the user's home, the caller's home and the crontab stay as they
// were, and no process of the user is started.
func TestDryRunChangesNothing(t *testing.T) {
	u, prog := botUser(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", "")
	if code, _, stderr := mkd(t, "--yes", "--no-start", "--user", u.Name, "--program", prog); code != 0 {
		t.Fatalf("install: exit %d: %s", code, stderr)
	}
	tab := u.Crontab(t)
	before := snapshot(t, u.Home) + snapshot(t, home)
	for _, tc := range []struct {
		name string
		args []string
		say  string // what the dry run reports, on stdout or stderr
	}{
		{"install a new entry", []string{"--dry-run", "--user", u.Name, "--program", prog, "--name", "bot2"}, "+# BEGIN mkdaemon bot2"},
		{"update the entry", []string{"--dry-run", "--user", u.Name, "--program", prog, "--interval", "10m"}, "+*/10 * * * *"},
		{"remove the entry", []string{"remove", "bot.py", "--dry-run", "--user", u.Name}, "-# BEGIN mkdaemon bot.py"},
		{"scaffold and install", []string{"scaffold", "--lang", "python", "--out", filepath.Join(u.Home, "new.py"), "--install", "--dry-run", "--user", u.Name},
			"--dry-run: would write the python skeleton " + filepath.Join(u.Home, "new.py")},
		{"scaffold a Go bot", []string{"scaffold", "--lang", "go", "--out", filepath.Join(u.Home, "gobot"), "--dry-run", "--user", u.Name},
			"--dry-run: would write the go skeleton " + filepath.Join(u.Home, "gobot", "gobot")},
		{"export a unit", []string{"export", "--format", "systemd", "--program", prog, "--out", filepath.Join(u.Home, "bot.service"), "--dry-run", "--user", u.Name},
			"--dry-run: would write " + filepath.Join(u.Home, "bot.service")},
		{"export a job", []string{"export", "--format", "toolforge", "--program", prog, "--out", filepath.Join(u.Home, "jobs.yaml"), "--dry-run", "--user", u.Name},
			"--dry-run: would write " + filepath.Join(u.Home, "jobs.yaml")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := mkd(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout+stderr, tc.say) {
				t.Errorf("the dry run does not say %q:\n%s%s", tc.say, stdout, stderr)
			}
			if after := snapshot(t, u.Home) + snapshot(t, home); after != before {
				t.Errorf("files changed:\n%s", after)
			}
			if got := u.Crontab(t); got != tab {
				t.Errorf("the crontab changed:\n%s", got)
			}
			if out, err := exec.Command("pgrep", "-u", u.Name).Output(); err == nil {
				t.Errorf("processes of %s are running: %s", u.Name, out)
			}
		})
	}
}

// TestWizardDryRunChangesNothing goes through the wizard's riskiest path
// with --dry-run: a skeleton for a program that does not exist, installed.
// Nothing is written, the crontab is untouched, the check that would start
// the daemon is not offered, and nothing runs.
func TestWizardDryRunChangesNothing(t *testing.T) {
	bin := wizBinary(t)
	u := newWizUser(t)
	before := snapshot(t, u.Home)
	tm := u.start(t, bin, []string{"NO_COLOR=1"}, "--dry-run")
	tm.WaitFor("Program to keep running (path):")
	tm.Type("newbot.py" + ptytest.Enter)
	prog := filepath.Join(u.Home, "newbot.py")
	tm.WaitFor(prog + " does not exist. Create a new daemon skeleton there?")
	tm.Type(ptytest.Enter)
	tm.WaitFor("Language of the skeleton:")
	tm.Type(ptytest.Enter)
	for _, q := range []string{"Process name start-stop-daemon looks for:", "Pidfile:", "How often should cron check that it runs?",
		"(an @reboot line)?", "Arguments for the program", "Variables the program needs", "Env file with its secrets"} {
		tm.WaitFor(q)
		tm.Type(ptytest.Enter)
	}
	tm.WaitFor("What now?")
	tm.Type(ptytest.Enter) // install
	if status := tm.Wait(); status != exitOK {
		t.Fatalf("exit %d; the screen:\n%s", status, tm.Screen())
	}
	screen := tm.Screen()
	for _, want := range []string{"--dry-run: would write the python skeleton " + prog, "was not changed"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Run the start-up check") {
		t.Errorf("a dry run offered the check, which starts the daemon:\n%s", screen)
	}
	if _, err := os.Lstat(prog); err == nil {
		t.Errorf("%s was written", prog)
	}
	if after := snapshot(t, u.Home); after != before {
		t.Errorf("files changed:\n%s", after)
	}
	if tab := u.Crontab(t); tab != "" {
		t.Errorf("the crontab changed:\n%s", tab)
	}
	if out, err := exec.Command("pgrep", "-u", u.Name).Output(); err == nil {
		t.Errorf("processes of %s are running: %s", u.Name, out)
	}
}
