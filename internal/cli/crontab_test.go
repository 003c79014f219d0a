package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/realtest"
)

// The commands that edit crontabs are tested on the real crontab of
// throwaway users (package crontest), as root with --user, never on the
// crontab of whoever runs the tests.

// botUser is a throwaway user with an executable bot at ~/bot.py.
func botUser(t *testing.T) (crontest.User, string) {
	t.Helper()
	if _, err := exec.LookPath("crontab"); err != nil {
		t.Skip("crontab not found (apt-get install cron)")
	}
	u := crontest.NewUser(t)
	prog := filepath.Join(u.Home, "bot.py")
	// A bot that keeps running, as install starts it.
	if err := os.WriteFile(prog, []byte("#!/usr/bin/python3\nimport time\nwhile True:\n    time.sleep(60)\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(prog, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
	return u, prog
}

// TestCrontabScripts runs testdata/crontab/*.txtar, each with its own
// throwaway user: $TUSER, its home $THOME and a program $PROG.
func TestCrontabScripts(t *testing.T) {
	realtest.Need(t)
	if os.Getuid() != 0 {
		t.Skip("needs root for throwaway users")
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/crontab",
		UpdateScripts: updateGolden,
		Setup: func(env *testscript.Env) error {
			u, prog := botUser(t)
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_STATE_HOME", "")
			env.Setenv("PATH", os.Getenv("PATH"))
			env.Setenv("TUSER", u.Name)
			env.Setenv("THOME", u.Home)
			env.Setenv("PROG", prog)
			return nil
		},
	})
}

// fakeCrontab puts first in PATH a crontab that records its arguments in
// the returned log and, for -l, fails with msg; it never writes anything.
func fakeCrontab(t *testing.T, msg string) string {
	t.Helper()
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	script := "#!/bin/sh\necho \"$*\" >> " + log + "\necho '" + msg + "' >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "crontab"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+":"+os.Getenv("PATH"))
	return log
}

func TestCrontabExitCodes(t *testing.T) {
	u, prog := botUser(t)
	home(t)
	u.SetCrontab(t, "# BEGIN mkdaemon other\n@daily /bin/true\n# END mkdaemon other\n")

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"install without --yes", []string{"--user", u.Name, "--program", prog}, 2, "mkdaemon: error: --yes required when not running interactively\n"},
		{"remove without --yes", []string{"remove", "other", "--user", u.Name}, 2, "mkdaemon: error: --yes required when not running interactively\n"},
		{"remove without a name", []string{"remove", "--user", u.Name, "--yes"}, 2, "mkdaemon: error: remove takes one NAME, got 0 arguments\n"},
		{"list with an argument", []string{"list", "x"}, 2, "takes no arguments"},
		{"list unknown user", []string{"list", "--user", "no-such-user-xyz"}, 2, "--user no-such-user-xyz: no such user"},
		{"remove unknown name", []string{"remove", "nope", "--user", u.Name, "--yes"}, 1, "mkdaemon: error: no mkdaemon entry named \"nope\"; known entries: other\n"},
		{"remove unknown name, dry run", []string{"remove", "nope", "--user", u.Name, "--dry-run"}, 1, "known entries: other"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := crontest.SpoolID(t, u.Name)
			code, _, stderr := mkd(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if crontest.SpoolID(t, u.Name) != before {
				t.Error("the crontab was written")
			}
		})
	}

	// Broken markers: exit 1, the line named, nothing written.
	u.SetCrontab(t, "MAILTO=x\n# BEGIN mkdaemon bot.py\n@daily old\n")
	before := crontest.SpoolID(t, u.Name)
	code, _, stderr := mkd(t, "--user", u.Name, "--program", prog, "--yes")
	if code != 1 || !strings.Contains(stderr, `crontab line 2 "# BEGIN mkdaemon bot.py": a BEGIN without its END`) {
		t.Errorf("broken markers: exit %d, stderr %q", code, stderr)
	}
	if crontest.SpoolID(t, u.Name) != before {
		t.Error("the crontab was written")
	}
	if _, err := os.Stat(filepath.Join(u.Home, ".local/state/mkdaemon/backups")); !os.IsNotExist(err) {
		t.Error("a backup was made though nothing was written")
	}
}

// TestCrontabUnreadable: every failure of crontab -l but "no crontab for"
// is exit 1 with crontab's message, and crontab is never asked to write.
func TestCrontabUnreadable(t *testing.T) {
	u, prog := botUser(t)
	home(t)
	for _, msg := range []string{
		"must be privileged to use -u",
		"You (" + u.Name + ") are not allowed to use this program (crontab)",
		"crontab: error reading /var/spool/cron/crontabs/x: Input/output error",
	} {
		log := fakeCrontab(t, msg)
		for _, args := range [][]string{
			{"--user", u.Name, "--program", prog, "--yes"},
			{"--user", u.Name, "--program", prog, "--dry-run"},
			{"list", "--user", u.Name},
			{"remove", "bot.py", "--user", u.Name, "--yes"},
		} {
			code, stdout, stderr := mkd(t, args...)
			if code != 1 || !strings.Contains(stderr, msg) || !strings.HasPrefix(stderr, "mkdaemon: error: ") {
				t.Errorf("%q: exit %d, stderr %q; want 1 quoting %q", args, code, stderr, msg)
			}
			if stdout != "" {
				t.Errorf("%q: stdout %q", args, stdout)
			}
		}
		calls, _ := os.ReadFile(log)
		for _, c := range strings.Split(strings.TrimSpace(string(calls)), "\n") {
			if c != "-u "+u.Name+" -l" {
				t.Errorf("crontab was run as `crontab %s`", c)
			}
		}
	}
	// The state directory holding the lock may exist; no backup does.
	if _, err := os.Stat(filepath.Join(u.Home, ".local/state/mkdaemon/backups")); !os.IsNotExist(err) {
		t.Error("a backup was made")
	}
}

// binaryFor copies the test binary, which runs as mkdaemon under that name
// (see TestMain), where a throwaway user can execute it.
func binaryFor(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("/tmp", "mkdaemon-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "mkdaemon")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestInstallAsTheUser runs mkdaemon as the throwaway user on their own
// crontab: crontab is called without -u, and the state directory comes
// from $HOME.
func TestInstallAsTheUser(t *testing.T) {
	u, prog := botUser(t)
	bin := binaryFor(t)
	wrapDir := filepath.Dir(bin)
	log := filepath.Join(u.Home, "crontab-calls")
	wrapper := "#!/bin/sh\necho \"$*\" >> " + log + "\nexec /usr/bin/crontab \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrapDir, "crontab"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	u.SetCrontab(t, "# mine\n")
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = u.Home
		cmd.Env = []string{"HOME=" + u.Home, "USER=" + u.Name, "LOGNAME=" + u.Name, "PATH=" + wrapDir + ":/usr/bin:/bin"}
		cmd.SysProcAttr = u.Credential()
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	code, out := run("--program", prog, "--yes")
	if code != 0 || !strings.Contains(out, "installed bot.py into your crontab") {
		t.Fatalf("exit %d: %s", code, out)
	}
	got := u.Crontab(t)
	if !strings.HasPrefix(got, "# mine\n# BEGIN mkdaemon bot.py\n*/5 * * * * /usr/sbin/start-stop-daemon ") {
		t.Fatalf("crontab:\n%s", got)
	}
	code, out = run("list")
	// install started it, as the tick would.
	if code != 0 || !strings.Contains(out, "bot.py  */5 * * * *  running (PID ") || !strings.Contains(out, u.Home+"/.local/state/mkdaemon/bot.py.log") {
		t.Fatalf("list: exit %d: %s", code, out)
	}
	code, out = run("list", "--user", "root")
	if code != 2 || !strings.Contains(out, "mkdaemon: error: --user root: only root can edit another user's crontab") {
		t.Fatalf("list --user root as a user: exit %d: %s", code, out)
	}
	code, out = run("--program", prog, "--yes", "--user", "root")
	if code != 2 || !strings.Contains(out, "--user root: only root") {
		t.Fatalf("install --user root as a user: exit %d: %s", code, out)
	}
	calls, _ := os.ReadFile(log)
	for _, c := range strings.Split(strings.TrimSpace(string(calls)), "\n") {
		if strings.Contains(c, "-u") {
			t.Errorf("crontab was run as `crontab %s` for the user's own crontab", c)
		}
	}
	// The plan's read, the read under the lock, the read just before
	// writing, the write, its verification and list's read.
	if len(strings.Split(strings.TrimSpace(string(calls)), "\n")) != 6 {
		t.Errorf("calls %q, want three reads, write, verify and list's read", calls)
	}
	entries, err := os.ReadDir(filepath.Join(u.Home, ".local/state/mkdaemon/backups"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("backups: %v %v", entries, err)
	}
}

// TestInstallConfirmsOnTerminal answers the prompt on a pseudo-terminal:
// "n" writes nothing and exits 130, "y" installs what the diff showed.
func TestInstallConfirmsOnTerminal(t *testing.T) {
	u, prog := botUser(t)
	bin := binaryFor(t)
	u.SetCrontab(t, "# mine\n")
	answer := func(reply string) (int, string) {
		cmd := exec.Command(bin, "--user", u.Name, "--program", prog)
		cmd.Env = append(os.Environ(), "MKDAEMON_NO_PROMPT=")
		f, err := pty.Start(cmd)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out bytes.Buffer
		buf := make([]byte, 4096)
		for !strings.Contains(out.String(), "[y/N] ") {
			n, err := f.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				t.Fatalf("no prompt: %v\n%s", err, out.String())
			}
		}
		f.Write([]byte(reply + "\n"))
		io.Copy(&out, f) // until the program exits and the pty closes
		cmd.Wait()
		return cmd.ProcessState.ExitCode(), out.String()
	}
	before := crontest.SpoolID(t, u.Name)
	code, out := answer("n")
	if code != 130 || !strings.Contains(out, "+# BEGIN mkdaemon bot.py") || !strings.Contains(out, "nothing was written") {
		t.Fatalf("answer n: exit %d:\n%s", code, out)
	}
	if crontest.SpoolID(t, u.Name) != before {
		t.Fatal("answering n wrote the crontab")
	}
	code, out = answer("y")
	if code != 0 || !strings.Contains(out, "Install bot.py into "+u.Name+"'s crontab? [y/N]") || !strings.Contains(out, "installed bot.py") {
		t.Fatalf("answer y: exit %d:\n%s", code, out)
	}
	if !strings.HasPrefix(u.Crontab(t), "# mine\n# BEGIN mkdaemon bot.py\n") {
		t.Fatalf("crontab:\n%s", u.Crontab(t))
	}
}

// TestInstallInterruptedWhileWriting sends SIGINT to mkdaemon while
// `crontab -` runs: the install completes, is reported, and then mkdaemon
// dies of the signal as the sender expects.
func TestInstallInterruptedWhileWriting(t *testing.T) {
	u, prog := botUser(t)
	bin := binaryFor(t)
	dir := filepath.Dir(bin)
	wrapper := "#!/bin/sh\nfor a in \"$@\"; do last=$a; done\n" +
		"if [ \"$last\" = - ]; then kill -INT $PPID; sleep 0.3; fi\nexec /usr/bin/crontab \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "crontab"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	u.SetCrontab(t, "# mine\n")
	cmd := exec.Command(bin, "--user", u.Name, "--program", prog, "--yes")
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	out, _ := cmd.CombinedOutput()
	st := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !st.Signaled() || st.Signal() != syscall.SIGINT || !strings.Contains(string(out), "installed bot.py") {
		t.Fatalf("status %v (signaled %v), output:\n%s\nwant the install reported, then death by SIGINT", st, st.Signaled(), out)
	}
	if !strings.HasPrefix(u.Crontab(t), "# mine\n# BEGIN mkdaemon bot.py\n") {
		t.Fatalf("crontab:\n%s", u.Crontab(t))
	}
}

// TestInstallWarnsWhenReplacingAnotherDaemon: blocks are keyed by process
// name, so a second program with the same name replaces the first one's
// block; that must not pass silently.
func TestInstallRefusesToReplaceAnotherProgram(t *testing.T) {
	u, _ := botUser(t)
	var progs []string
	for _, dir := range []string{"a", "b"} {
		d := filepath.Join(u.Home, dir)
		os.Mkdir(d, 0o755)
		os.Chown(d, u.UID, u.GID)
		p := filepath.Join(d, "bot.py")
		if err := os.WriteFile(p, []byte("#!/usr/bin/python3\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		progs = append(progs, p)
	}
	t.Setenv("HOME", t.TempDir())
	if code, _, stderr := mkd(t, "--yes", "--no-start", "--user", u.Name, "--program", progs[0], "--pidfile", filepath.Join(u.Home, "a", "bot.pid")); code != 0 {
		t.Fatalf("first install: exit %d, %s", code, stderr)
	}
	before := u.Crontab(t)
	code, stdout, stderr := mkd(t, "--yes", "--no-start", "--user", u.Name, "--program", progs[1], "--pidfile", filepath.Join(u.Home, "b", "bot.pid"))
	want := "mkdaemon: error: the crontab already has an entry named bot.py, for " + progs[0] + "; installing " + progs[1]
	if code != 2 || !strings.HasPrefix(stderr, want) || stdout != "" {
		t.Errorf("second install: exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, want)
	}
	if after := u.Crontab(t); after != before {
		t.Errorf("the refused install changed the crontab:\n%s", after)
	}
	if code, _, stderr := mkd(t, "--yes", "--no-start", "--replace", "--user", u.Name, "--program", progs[1], "--pidfile", filepath.Join(u.Home, "b", "bot.pid")); code != 0 {
		t.Errorf("--replace: exit %d, %s", code, stderr)
	}
	// Re-installing the same program is an update of its own block.
	if code, _, stderr := mkd(t, "--yes", "--no-start", "--user", u.Name, "--program", progs[1], "--pidfile", filepath.Join(u.Home, "b", "bot.pid"), "--interval", "10m"); code != 0 {
		t.Errorf("updating the same daemon: exit %d, stderr %q", code, stderr)
	}
}
