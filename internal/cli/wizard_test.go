package cli

// End-to-end tests of the wizard: the built mkdaemon runs on a real
// pseudo-terminal as a throwaway user, a terminal emulator draws its
// screen, and the test types keys and reads the screen and the user's real
// crontab.

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/realtest"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/ptytest"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// wizUser is a throwaway account (crontest.NewUser) with a home directory,
// removed with its crontab at the end of the test.
type wizUser struct{ crontest.User }

func newWizUser(t *testing.T) *wizUser {
	t.Helper()
	for _, tool := range []string{"useradd", "userdel", "crontab"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (Debian packages passwd and cron): %v", tool, err)
		}
	}
	return &wizUser{crontest.NewUser(t)}
}

// file writes a file the user owns in their home.
func (u *wizUser) file(t *testing.T, name, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(u.Home, name)
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
	return p
}

// wizBinary builds mkdaemon where the throwaway user can
// run them, and returns the path of mkdaemon.
func wizBinary(t *testing.T) string {
	realtest.Need(t)
	t.Helper()
	dir, err := os.MkdirTemp("", "mkdaemon-wizard-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", dir+"/", "../../cmd/mkdaemon")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "mkdaemon")
}

// start runs mkdaemon as the user in their home on a new terminal wide
// enough that no line of the review wraps.
func (u *wizUser) start(t *testing.T, bin string, env []string, args ...string) *ptytest.Term {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = u.Home
	cmd.Env = append([]string{
		"HOME=" + u.Home, "USER=" + u.Name, "LOGNAME=" + u.Name, "SHELL=/bin/sh",
		"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "TERM=xterm-256color", "LANG=C.UTF-8",
	}, env...)
	cmd.SysProcAttr = u.Credential()
	return ptytest.Start(t, cmd, 480, 60)
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

const wizBot = "#!/usr/bin/python3\nimport time\nwhile True:\n    time.sleep(60)\n"

func TestWizardOnATerminal(t *testing.T) {
	bin := wizBinary(t)

	t.Run("full run installs into the crontab", func(t *testing.T) {
		u := newWizUser(t)
		prog := u.file(t, "wikibot.py", wizBot, 0o755)
		before := "MAILTO=owner@example.org\n# nightly backup\n0 3 * * * /usr/bin/true backup\n"
		u.SetCrontab(t, before)
		tm := u.start(t, bin, []string{"NO_COLOR=1"})
		command, screen := answerFullRun(t, tm, u, prog)
		for _, want := range []string{
			"Review",
			"start-stop-daemon command line (cron runs it on every tick; it starts wikibot.py unless it is already running):",
			"    " + command,
			"    */10 * * * * " + cronEscape(command),
			"  change to your crontab:",
			"    +# BEGIN mkdaemon wikibot.py",
			"    +*/10 * * * * " + cronEscape(command),
			"> Install it into your crontab",
			"  Print the lines only (install nothing)",
			"  Cancel (write nothing)",
		} {
			if !strings.Contains(screen, want) {
				t.Errorf("review lacks %q; the screen:\n%s", want, screen)
			}
		}
		tm.Type(ptytest.Enter)
		// Step 8: the start-up check, accepted with its default (yes).
		tm.WaitFor("Run the start-up check now?")
		tm.Type(ptytest.Enter)
		if status := tm.Wait(); status != exitOK {
			t.Fatalf("exit %d; the screen:\n%s", status, tm.Screen())
		}
		screen = tm.Screen()
		for _, want := range []string{"installed wikibot.py into your crontab", "the previous crontab is saved in " + filepath.Join(u.Home, ".local/state/mkdaemon/backups/"),
			"checking wikibot.py as " + u.Name, "pass  start ", "pass  no second instance", "pass  restart", "all steps passed"} {
			if !strings.Contains(screen, want) {
				t.Errorf("the screen lacks %q:\n%s", want, screen)
			}
		}
		state := filepath.Join(u.Home, ".local/state/mkdaemon")
		want := before + "# BEGIN mkdaemon wikibot.py\n*/10 * * * * " + cronEscape(command) +
			"\n@hourly /usr/sbin/logrotate -s " + state + "/wikibot.py.logrotate.state " + state + "/wikibot.py.logrotate\n# END mkdaemon wikibot.py\n"
		if tab := u.Crontab(t); tab != want {
			t.Errorf("the crontab is\n%s\nwant\n%s", tab, want)
		}
		if sgr.Match(tm.Raw()) {
			t.Error("colours written although NO_COLOR is set")
		}
	})

	t.Run("a crontab changed since the review is left alone", func(t *testing.T) {
		u := newWizUser(t)
		prog := u.file(t, "wikibot.py", wizBot, 0o755)
		tm := u.start(t, bin, []string{"NO_COLOR=1"})
		answerFullRun(t, tm, u, prog)
		// Someone edits the crontab while the review is on the screen:
		// the diff shown is no longer what installing would do.
		edited := "0 4 * * * /usr/bin/true edited meanwhile\n"
		u.SetCrontab(t, edited)
		tm.Type(ptytest.Enter)
		if status := tm.Wait(); status != exitFailure {
			t.Errorf("exit %d; want 1", status)
		}
		tm.WaitFor("mkdaemon: error: the crontab changed since its diff was shown; nothing was written")
		if tab := u.Crontab(t); tab != edited {
			t.Errorf("the crontab is\n%s\nwant it as edited", tab)
		}
	})

	t.Run("Ctrl-C cancels and writes nothing", func(t *testing.T) {
		u := newWizUser(t)
		u.file(t, "wikibot.py", wizBot, 0o755)
		tm := u.start(t, bin, nil)
		tm.WaitFor("Program to keep running (path):")
		tm.Type("wikibot.py" + ptytest.Enter)
		tm.WaitFor("How does the program run?")
		tm.Type(ptytest.Enter)
		tm.WaitFor("Process name start-stop-daemon looks for:")
		tm.Type("half-typed" + ptytest.CtrlC)
		if status := tm.Wait(); status != exitCanceled {
			t.Errorf("exit %d; want 130", status)
		}
		tm.WaitFor("mkdaemon: canceled, nothing was written")
		if tab := u.Crontab(t); tab != "" {
			t.Errorf("the crontab after a cancel:\n%s", tab)
		}
		if _, err := os.Stat(filepath.Join(u.Home, ".local")); err == nil {
			t.Error("~/.local was created by a canceled run")
		}
		if !sgr.Match(tm.Raw()) {
			t.Error("no colours without NO_COLOR: the NO_COLOR check of the other runs proves nothing")
		}
	})

	t.Run("a validation error is shown and the answer corrected", func(t *testing.T) {
		u := newWizUser(t)
		prog := u.file(t, "wikipedia-cleanup-bot.py", wizBot, 0o755)
		// --print with --interval given: the interval is not asked, and
		// the entry is printed instead of installed.
		tm := u.start(t, bin, []string{"NO_COLOR=1"}, "--print", "--interval", "@hourly")
		tm.WaitFor("Program to keep running (path):")
		tm.Type("no-such-bot.py" + ptytest.Enter)
		tm.WaitFor(filepath.Join(u.Home, "no-such-bot.py") + " does not exist. Create a new daemon skeleton there?")
		tm.Type("n" + ptytest.Enter) // no: the path is asked again
		tm.WaitUntil("the path asked again", func(screen string) bool {
			return strings.Count(screen, "Program to keep running (path):") == 2
		})
		tm.Type("wikipedia-cleanup-bot.py" + ptytest.Enter)
		tm.WaitFor("How does the program run?")
		tm.Type(ptytest.Down + ptytest.Enter) // the other way: it daemonizes itself
		tm.WaitFor(`The kernel keeps only the first 15 characters of a process name: wikipedia-cleanup-bot.py runs as "wikipedia-clean".`)
		tm.WaitFor("(wikipedia-clean)")
		tm.Type("wikipedia-cleanup" + ptytest.Enter)
		tm.WaitFor("X Sorry, your reply was invalid: --name wikipedia-cleanup: is 17 bytes; the kernel keeps at most 15")
		tm.WaitFor("  hint: use --name wikipedia-clean")
		tm.Type("wikibot" + ptytest.Enter)
		tm.WaitFor("Pidfile:")
		tm.Type(ptytest.Enter)
		tm.WaitFor("(an @reboot line)?")
		tm.Type("y" + ptytest.Enter)
		tm.WaitFor("Arguments for the program")
		tm.Type(`--since "$YESTERDAY"` + ptytest.Enter)
		tm.WaitFor("X Sorry, your reply was invalid: $YESTERDAY would need a shell to expand it")
		tm.Type(`--since yesterday` + ptytest.Enter)
		answerNoEnv(tm)
		if status := tm.Wait(); status != exitOK {
			t.Fatalf("exit %d; the screen:\n%s", status, tm.Screen())
		}
		state := filepath.Join(u.Home, ".local/state/mkdaemon")
		command := "/usr/sbin/start-stop-daemon --start --quiet --pidfile " + state + "/wikibot.pid" +
			" --name wikibot --startas " + prog + " -- --since yesterday && /bin/date -u +\\%Y-\\%m-\\%dT\\%H:\\%M:\\%SZ >> " + state + "/wikibot.starts"
		screen := tm.Screen()
		for _, want := range []string{
			"# crontab entry: At minute 0",
			"\n@hourly " + command + "\n@reboot " + command,
			"mkdaemon: warning: --name wikibot differs from the name the kernel gives",
		} {
			if !strings.Contains(screen, want) {
				t.Errorf("the screen lacks %q:\n%s", want, screen)
			}
		}
		if strings.Contains(screen, "How often should cron check") {
			t.Error("asked for the interval although --interval was given")
		}
		if strings.Contains(screen, "Log file") {
			t.Error("asked for a log file for a program that daemonizes itself")
		}
		if tab := u.Crontab(t); tab != "" {
			t.Errorf("--print wrote the crontab:\n%s", tab)
		}
		if _, err := os.Stat(filepath.Join(u.Home, "no-such-bot.py")); err == nil {
			t.Error("a skeleton was written although the offer was declined")
		}
	})

	t.Run("a program that does not exist yet is scaffolded", func(t *testing.T) {
		u := newWizUser(t)
		tm := u.start(t, bin, []string{"NO_COLOR=1"})
		tm.WaitFor("Program to keep running (path):")
		tm.Type("newbot.py" + ptytest.Enter)
		prog := filepath.Join(u.Home, "newbot.py")
		tm.WaitFor(prog + " does not exist. Create a new daemon skeleton there?")
		tm.Type(ptytest.Enter)
		tm.WaitFor("Language of the skeleton:")
		tm.WaitFor("> Python") // guessed from .py
		tm.Type(ptytest.Enter)
		tm.WaitFor("is a skeleton made by mkdaemon: it puts itself in the background and writes its own pidfile.")
		tm.WaitFor("Process name start-stop-daemon looks for: [? for help] (newbot.py)")
		tm.Type(ptytest.Enter)
		tm.WaitFor("Pidfile:")
		tm.Type(ptytest.Enter)
		tm.WaitFor("How often should cron check that it runs?")
		tm.Type(ptytest.Enter)
		tm.WaitFor("(an @reboot line)?")
		tm.Type(ptytest.Enter)
		tm.WaitFor("Arguments for the program")
		if _, err := os.Stat(prog); err == nil {
			t.Fatal("the skeleton was written before the review")
		}
		tm.Type(ptytest.Enter)
		answerNoEnv(tm)
		tm.WaitFor("What now?")
		tm.Type(ptytest.Enter) // install
		// The new skeleton goes through the whole start-up check.
		tm.WaitFor("Run the start-up check now?")
		tm.Type(ptytest.Enter)
		if status := tm.Wait(); status != exitOK {
			t.Fatalf("exit %d; the screen:\n%s", status, tm.Screen())
		}
		tm.WaitFor("installed newbot.py into your crontab")
		tm.WaitFor("all steps passed")
		if !spec.MadeByScaffold(prog) {
			t.Fatalf("%s is not a skeleton", prog)
		}
		command := startCommand(t, u.Crontab(t))
		if !strings.Contains(command, "--name newbot.py --startas "+prog) {
			t.Fatalf("the crontab does not start %s:\n%s", prog, u.Crontab(t))
		}
		// Install started the bot as the tick would, with the defaults the
		// wizard settled on baked into the line.
		pid, err := proc.ReadPidfile(filepath.Join(u.Home, ".local/state/mkdaemon/newbot.py.pid"))
		if err != nil {
			t.Fatal(err)
		}
		defer stopDaemon(t, pid)
		waitFor(t, 5*time.Second, func() bool {
			b, _ := os.ReadFile(filepath.Join(u.Home, ".local/state/mkdaemon/newbot.py.log"))
			return strings.Contains(string(b), "]: started\n")
		})
	})
}

func TestWizardExportsInsteadOfInstalling(t *testing.T) {
	bin := wizBinary(t)
	u := newWizUser(t)
	prog := u.file(t, "wikibot.py", wizBot, 0o755)
	tm := u.start(t, bin, []string{"NO_COLOR=1"}, "--interval", "5m", "--at-boot", "--", "--wiki", "en")
	tm.WaitFor("Program to keep running (path):")
	tm.Type("wikibot.py" + ptytest.Enter)
	tm.WaitFor("> It stays in the foreground") // the default
	tm.Type(ptytest.Enter)
	tm.WaitFor("Process name start-stop-daemon looks for:")
	tm.Type(ptytest.Enter)
	tm.WaitFor("Pidfile:")
	tm.Type(ptytest.Enter)
	tm.WaitFor("Log file for its output")
	tm.Type(ptytest.Enter)
	answerNoEnv(tm)
	tm.WaitFor("  Export it for systemd instead")
	tm.Type(ptytest.Down + ptytest.Down + ptytest.Enter)
	if status := tm.Wait(); status != exitOK {
		t.Fatalf("exit %d; the screen:\n%s", status, tm.Screen())
	}
	screen := tm.Screen()
	for _, want := range []string{"[Service]", "Type=exec", "ExecStart=" + prog + " --wiki en", "systemctl --user"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	for _, asked := range []string{"How often should cron", "(an @reboot line)", "Arguments for the program"} {
		if strings.Contains(screen, asked) {
			t.Errorf("asked %q although its flag was given", asked)
		}
	}
	if tab := u.Crontab(t); tab != "" {
		t.Errorf("an export wrote the crontab:\n%s", tab)
	}
}

// answerNoEnv answers the environment questions with their defaults: no
// variables, no env file.
func answerNoEnv(tm *ptytest.Term) {
	tm.WaitFor("Variables the program needs")
	tm.Type(ptytest.Enter)
	tm.WaitFor("Env file with its secrets")
	tm.Type(ptytest.Enter)
}

// answerFullRun answers every question of a run without flags for
// ~/wikibot.py, checking each default on the way, and returns the expected
// start-stop-daemon command and the screen at the review.
func answerFullRun(t *testing.T, tm *ptytest.Term, u *wizUser, prog string) (command, review string) {
	t.Helper()
	tm.WaitFor("Program to keep running (path):")
	tm.Type("wiki" + ptytest.Tab) // completes to the one file that matches
	tm.WaitFor("wikibot.py")
	tm.Type(ptytest.Enter)
	tm.WaitFor("How does the program run?")
	tm.WaitFor("> It stays in the foreground") // the default for a program mkdaemon did not make
	tm.Type(ptytest.Enter)
	tm.WaitFor("Process name start-stop-daemon looks for: [? for help] (wikibot.py)")
	tm.Type(ptytest.Enter)
	pidfile := filepath.Join(u.Home, ".local/state/mkdaemon/wikibot.py.pid")
	tm.WaitFor("Pidfile: [? for help, tab for suggestions] (" + pidfile + ")")
	tm.Type(ptytest.Enter)
	tm.WaitFor("How often should cron check that it runs? [? for help] (*/5 * * * *)")
	tm.Type("10m" + ptytest.Enter)
	tm.WaitFor("  At every 10th minute; next: ")
	tm.WaitFor("(an @reboot line)? [? for help] (y/N)")
	tm.Type(ptytest.Enter)
	tm.WaitFor("Arguments for the program")
	tm.Type(`--wiki en --summary 'daily cleanup'` + ptytest.Enter)
	tm.WaitFor("the program gets 4 arguments: --wiki en --summary 'daily cleanup'")
	tm.WaitFor("Log file for its output")
	tm.Type(ptytest.Enter)
	answerNoEnv(tm)
	state := filepath.Dir(pidfile)
	command = "/usr/sbin/start-stop-daemon --start --quiet --pidfile " + pidfile +
		" --name wikibot.py --background --make-pidfile --output " + state + "/wikibot.py.log --startas " + prog +
		" -- --wiki en --summary 'daily cleanup' && /bin/date -u +%Y-%m-%dT%H:%M:%SZ >> " + state + "/wikibot.py.starts"
	return command, tm.WaitFor("What now?")
}

// TestNoPromptWithoutATerminal runs mkdaemon the way cron or a script would:
// it must fail at once with the missing flag, never wait for an answer.
func TestNoPromptWithoutATerminal(t *testing.T) {
	bin := wizBinary(t)
	for _, tc := range []struct {
		name string
		args []string
	}{{"install", nil}, {"print", []string{"--print"}}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, tc.args...) // stdin is /dev/null
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatal("mkdaemon waited for input without a terminal")
			}
			if code := cmd.ProcessState.ExitCode(); code != exitUsage {
				t.Fatalf("exit %d (%v); want 2", code, err)
			}
			want := "mkdaemon: error: --program is required when not running interactively\n"
			if !strings.HasPrefix(stderr.String(), want) || stdout.Len() != 0 {
				t.Errorf("stdout %q, stderr %q; want stderr to start with %q", stdout.String(), stderr.String(), want)
			}
		})
	}

	t.Run("terminal with MKDAEMON_NO_PROMPT", func(t *testing.T) {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "MKDAEMON_NO_PROMPT=1")
		tm := ptytest.Start(t, cmd, 200, 20)
		if status := tm.Wait(); status != exitUsage {
			t.Errorf("exit %d; want 2", status)
		}
		if s := tm.Screen(); !strings.Contains(s, "mkdaemon: error: --program is required when not running interactively") || strings.Contains(s, "Program to keep running") {
			t.Errorf("the screen:\n%s", s)
		}
	})
}

// cronEscape is a command as its crontab line writes it.
func cronEscape(command string) string { return strings.ReplaceAll(command, "%", `\%`) }
