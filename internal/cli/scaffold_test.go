package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/realtest"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// testdata/script/scaffold.txtar has the output and the refusals; these
// tests add exit statuses, the Go toolchain, and other users' crontabs.

func TestScaffoldExitCodes(t *testing.T) {
	h := home(t)
	script(t, filepath.Join(h, "notadir"), "", 0o644)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"written", []string{"--lang", "perl", "--out", "bots/ok.pl"}, exitOK, "mkdaemon: wrote " + h + "/bots/ok.pl\n"},
		{"exists", []string{"--lang", "perl", "--out", "bots/ok.pl"}, exitUsage, "already exists"},
		{"unknown language", []string{"--lang", "ruby", "--out", "bots/x.rb"}, exitUsage, "not a skeleton language"},
		{"newline in a path", []string{"--lang", "python", "--out", "bots/x.py", "--log", "/tmp/a\nb"}, exitUsage, "contains a newline"},
		{"tab in the program's name", []string{"--lang", "python", "--out", "bots/a\tb.py"}, exitUsage, "cannot be written safely into a skeleton"},
		{"interval", []string{"--lang", "go", "--out", "bots/gobot", "--interval", "7m"}, exitUsage, "--interval 7m"},
		{"folder is a file", []string{"--lang", "python", "--out", "notadir/x.py"}, exitFailure, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, h)
			code, stdout, stderr := mkd(t, append([]string{"scaffold"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if code == exitUsage {
				if stdout != "" {
					t.Errorf("bad input printed %q", stdout)
				}
				if after := snapshot(t, h); after != before {
					t.Errorf("bad input changed files:\nbefore:\n%s\nafter:\n%s", before, after)
				}
			}
		})
	}
}

func TestScaffoldGo(t *testing.T) {
	realtest.Need(t)
	// The build cache lives under HOME, which home replaces: keep the warm one.
	if cache, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		t.Setenv("GOCACHE", strings.TrimSpace(string(cache)))
	}
	h := home(t)
	code, stdout, stderr := mkd(t, "scaffold", "--lang", "go", "--out", "bots/gobot", "--every", "10s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bin := filepath.Join(h, "bots", "gobot", "gobot")
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("no executable %s: %v", bin, err)
	}
	if !spec.MadeByScaffold(bin) {
		t.Errorf("the built binary does not carry %s", spec.SkeletonMarker)
	}
	if !strings.Contains(stdout, "--name gobot --startas "+bin+" && ") {
		t.Errorf("the printed line does not start the binary:\n%s", stdout)
	}
	for _, f := range []string{"main.go", "go.mod", "gobot"} {
		if !strings.Contains(stderr, "mkdaemon: wrote "+filepath.Join(h, "bots", "gobot", f)+"\n") {
			t.Errorf("stderr does not list %s:\n%s", f, stderr)
		}
	}

	// Without a toolchain the sources are written and the way to build
	// them is shown.
	t.Setenv("PATH", "/usr/bin:/bin")
	code, stdout, stderr = mkd(t, "scaffold", "--lang", "go", "--out", "bots/nogo")
	if code != exitOK || !strings.Contains(stderr, "mkdaemon: no go command on PATH; build it later with: cd "+h+"/bots/nogo && go build -o nogo .") ||
		!strings.Contains(stderr, "then print or install its entry with: mkdaemon --program "+h+"/bots/nogo/nogo --print") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("an entry was printed for a binary that does not exist:\n%s", stdout)
	}
	// --install refuses to install it: exit 1, and crontab is never run
	// (a stand-in records any call, so that no real crontab is at risk).
	calls := fakeCrontab(t, "must not be called")
	code, stdout, stderr = mkd(t, "scaffold", "--lang", "go", "--out", "bots/nogo2", "--install", "--yes")
	if code != 1 || !strings.Contains(stderr, "nothing was installed") || strings.Contains(stdout, "installed") {
		t.Errorf("--install without a toolchain: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(calls); len(b) > 0 {
		t.Errorf("crontab was run: %s", b)
	}
	if _, err := os.Stat(filepath.Join(h, "bots", "nogo", "main.go")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(h, "bots", "nogo", "nogo")); err == nil {
		t.Error("a binary was built without a toolchain")
	}
}

// TestScaffoldInstallForAnotherUser has root make a bot for a throwaway
// user: the files are the user's, the entry is in the user's crontab, and
// its line, run as the user with cron's environment, starts the bot.
func TestScaffoldInstallForAnotherUser(t *testing.T) {
	u, _ := botUser(t)
	home(t)
	prog := filepath.Join(u.Home, "bots", "mybot.py")
	// --no-start: the test runs the line itself, as cron would.
	code, _, stderr := mkd(t, "scaffold", "--lang", "python", "--out", prog, "--user", u.Name, "--install", "--no-start", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{filepath.Dir(prog), prog} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != u.UID {
			t.Errorf("%s belongs to uid %d, want %s's %d", p, st.Uid, u.Name, u.UID)
		}
	}
	command := startCommand(t, u.Crontab(t))
	if !strings.Contains(command, "--startas "+prog) {
		t.Fatalf("%s's crontab does not start %s:\n%s", u.Name, prog, u.Crontab(t))
	}

	pid := runAs(t, u, command)
	defer stopDaemon(t, pid)
	p, err := proc.Stat(pid)
	if err != nil || p.UID != u.UID || p.Comm != "mybot.py" {
		t.Fatalf("pidfile names %+v (%v); want mybot.py running as %s", p, err, u.Name)
	}
	logFile := filepath.Join(u.Home, ".local", "state", "mkdaemon", "mybot.py.log")
	waitFor(t, 5*time.Second, func() bool {
		b, _ := os.ReadFile(logFile)
		return strings.Contains(string(b), "]: started\n")
	})
}

// TestScaffoldStartedByCron is the whole way: scaffold and install for a
// throwaway user, then the real cron daemon starts the bot within a minute.
func TestScaffoldStartedByCron(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for cron's next minute")
	}
	u, _ := botUser(t)
	home(t)
	crontest.Cron(t)
	prog := filepath.Join(u.Home, "bots", "cronbot.pl")
	code, _, stderr := mkd(t, "scaffold", "--lang", "perl", "--out", prog, "--user", u.Name,
		"--interval", "1m", "--install", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Other tests install crontabs all the time; make sure cron's
	// whole-second check of the spool cannot miss this one.
	crontest.Poke(t, u.Name)
	pidfile := filepath.Join(u.Home, ".local", "state", "mkdaemon", "cronbot.pl.pid")
	var st proc.DaemonState
	waitFor(t, 75*time.Second, func() bool {
		st = proc.Inspect(pidfile, "cronbot.pl")
		return st.State == proc.Running
	})
	defer stopDaemon(t, st.PID)
	if p, _ := proc.Stat(st.PID); p.UID != u.UID || p.SessionLeader() || p.TTY != 0 {
		t.Errorf("started by cron: %+v; want uid %d, not a session leader, no terminal", p, u.UID)
	}
}

// startCommand is the command of the crontab line that runs
// start-stop-daemon: what follows the five schedule fields.
func startCommand(t *testing.T, crontab string) string {
	t.Helper()
	for _, line := range strings.Split(crontab, "\n") {
		if strings.Contains(line, "start-stop-daemon") && !strings.HasPrefix(line, "#") {
			f := strings.SplitN(line, " ", 6)
			if len(f) == 6 {
				return strings.ReplaceAll(f[5], `\%`, "%")
			}
		}
	}
	t.Fatalf("no start-stop-daemon line in:\n%s", crontab)
	return ""
}

// runAs runs command as u with exactly cron's environment and returns the
// PID its pidfile names.
func runAs(t *testing.T, u crontest.User, command string) int {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Env = []string{"HOME=" + u.Home, "LOGNAME=" + u.Name, "PATH=/usr/bin:/bin", "SHELL=/bin/sh"}
	cmd.Dir = u.Home
	cmd.SysProcAttr = u.Credential()
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	i := strings.Index(command, "--pidfile ")
	pidfile := strings.Fields(command[i+len("--pidfile "):])[0]
	pid, err := proc.ReadPidfile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// stopDaemon stops a daemon this process is not the parent of, and waits
// until it is gone or a zombie (PID 1 reaps it in its own time).
func stopDaemon(t *testing.T, pid int) {
	syscall.Kill(pid, syscall.SIGTERM)
	for end := time.Now().Add(5 * time.Second); proc.Alive(pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("PID %d still running 5 s after SIGTERM", pid)
			return
		}
	}
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("not so after %v", limit)
		}
	}
}
