package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/realtest"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// userProgram writes a program into a directory of the user's home, owned
// by the user.
func userProgram(t *testing.T, acct spec.Account, name, text string) string {
	t.Helper()
	dir := filepath.Join(acct.Home, "bots")
	os.Mkdir(dir, 0o755)
	os.Chown(dir, acct.UID, acct.GID)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, acct.UID, acct.GID); err != nil {
		t.Fatal(err)
	}
	return p
}

// backgroundTarget is the entry mkdaemon writes by default for prog:
// start-stop-daemon forks it and writes the pidfile, with no log.
func backgroundTarget(acct spec.Account, prog, name string, args ...string) Target {
	pidfile := filepath.Join(acct.Home, name+".pid")
	argv := []string{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", pidfile, "--name", name,
		"--background", "--make-pidfile", "--startas", prog}
	if len(args) > 0 {
		argv = append(append(argv, "--"), args...)
	}
	return Target{Command: shell.Join(argv), Pidfile: pidfile, Name: name, Account: acct, Program: prog}
}

// A bot that needs BOT_TOKEN dies under cron; the user's shell has it,
// among a few dozen other variables cron lacks. The check shows the bot's
// own error (no --log) and names BOT_TOKEN alone, in a few runs.
func TestCheckNamesTheMissingVariable(t *testing.T) {
	realtest.Need(t)
	needTools(t, ssdPath, "/usr/bin/python3")
	t.Parallel()
	acct := newUser(t)
	name := "tok-" + unique() + ".py"
	prog := userProgram(t, acct, name, "#!/usr/bin/python3\nimport os, time\ntoken = os.environ['BOT_TOKEN']\ntime.sleep(600)\n")
	t.Cleanup(func() { killNamed(t, name, acct.UID) })

	login := []string{"HOME=" + acct.Home, "LOGNAME=" + acct.Name, "PATH=/usr/local/bin:/usr/bin:/bin", "SHELL=/bin/bash",
		"PWD=/somewhere", "SHLVL=1", "TERM=xterm", "LANG=C.UTF-8"}
	for i := 0; i < 36; i++ {
		login = append(login, fmt.Sprintf("UNRELATED_%02d=value %d", i, i))
	}
	login = append(login[:20], append([]string{"BOT_TOKEN=s3cret"}, login[20:]...)...)

	tg := backgroundTarget(acct, prog, name)
	r, err := Run(context.Background(), tg, Options{Stop: true, LoginEnv: login})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := r.Failed()
	if !ok || s.Name != StepStart {
		t.Fatalf("want the start to fail, got %+v", r.Steps)
	}
	if !reflect.DeepEqual(r.MissingEnv, []string{"BOT_TOKEN"}) {
		t.Errorf("missing variables %q, want [BOT_TOKEN]", r.MissingEnv)
	}
	for _, want := range []string{"KeyError: 'BOT_TOKEN'", "the start needs BOT_TOKEN", "--env-file"} {
		if !strings.Contains(s.Evidence, want) {
			t.Errorf("evidence lacks %q:\n%s", want, s.Evidence)
		}
	}
	if strings.Contains(s.Evidence, "s3cret") {
		t.Errorf("the evidence shows the secret:\n%s", s.Evidence)
	}
	if _, err := os.Stat(filepath.Join(acct.Home, name+".pid")); err == nil && len(live(name)) > 0 {
		t.Errorf("a copy of %s was left running", name)
	}
}

// A virtualenv whose module the system python lacks: under cron
// `#!/usr/bin/env python3` finds /usr/bin/python3, which has not got it.
// mkdaemon warns at --print with both interpreters, the check shows the
// ModuleNotFoundError and names PATH, and the venv's python by its absolute
// path passes.
func TestVenvInterpreter(t *testing.T) {
	realtest.Need(t)
	needTools(t, ssdPath, "/usr/bin/python3")
	t.Parallel()
	acct := newUser(t)
	venv := filepath.Join(acct.Home, "venv")
	cmd := exec.Command("/usr/bin/python3", "-m", "venv", "--without-pip", venv)
	cmd.SysProcAttr = credAttr(acct)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3 -m venv (Debian package python3-venv): %v\n%s", err, out)
	}
	site, err := filepath.Glob(filepath.Join(venv, "lib", "python3*", "site-packages"))
	if err != nil || len(site) != 1 {
		t.Fatalf("no site-packages in %s: %v", venv, site)
	}
	mod := filepath.Join(site[0], "venvonly_"+unique()+".py")
	if err := os.WriteFile(mod, []byte("READY = True\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	modName := strings.TrimSuffix(filepath.Base(mod), ".py")
	name := "venv-" + unique() + ".py"
	prog := userProgram(t, acct, name, "#!/usr/bin/env python3\nimport time, "+modName+"\ntime.sleep(600)\n")
	t.Cleanup(func() { killNamed(t, "python3", acct.UID) })
	loginPath := filepath.Join(venv, "bin") + ":/usr/bin:/bin"

	// --print: the rule, with the facts gathered from the disk.
	in := spec.Input{Program: prog, User: acct.Name}
	getenv := func(k string) string {
		if k == "PATH" {
			return loginPath
		}
		return ""
	}
	res, err := spec.Resolve(in, spec.Gather(in, spec.Env{Getenv: getenv, Cwd: "/", Current: acct, Lookup: spec.LookupAccount}))
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w, "runs /usr/bin/python3, but your shell's PATH gives "+filepath.Join(venv, "bin", "python3"))
	}
	if !warned {
		t.Errorf("no warning about the venv's interpreter in %q", res.Warnings)
	}

	// The check: the process is named python3 (an env shebang).
	login := []string{"HOME=" + acct.Home, "LOGNAME=" + acct.Name, "PATH=" + loginPath, "SHELL=/bin/sh", "VIRTUAL_ENV=" + venv, "LANG=C.UTF-8"}
	tg := backgroundTarget(acct, prog, "python3")
	r, err := Run(context.Background(), tg, Options{Stop: true, LoginEnv: login})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := r.Failed()
	if !ok || s.Name != StepStart || !strings.Contains(s.Evidence, "ModuleNotFoundError") {
		t.Fatalf("want the start to fail with ModuleNotFoundError, got %+v", r.Steps)
	}
	if !reflect.DeepEqual(r.MissingEnv, []string{"PATH"}) {
		t.Errorf("missing variables %q, want [PATH]", r.MissingEnv)
	}

	// The fix: the venv's python by its absolute path, the script its
	// argument.
	tg = backgroundTarget(acct, filepath.Join(venv, "bin", "python3"), "python3", prog)
	r, err = Run(context.Background(), tg, Options{Stop: true})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Passed() {
		t.Errorf("the venv's python by its absolute path fails: %+v", r.Steps)
	}
}

func credAttr(a spec.Account) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(a.UID), Gid: uint32(a.GID)}}
}

// A script with an env shebang is named python3, like every other python3
// program of the account. Another of them that starts while the check runs
// (here: as soon as the daemon's pidfile appears) is neither counted as a
// second copy nor stopped by the check's clean-up.
func TestCheckLeavesTheAccountsOtherPython3Alone(t *testing.T) {
	realtest.Need(t)
	needTools(t, ssdPath, "/usr/bin/python3")
	t.Parallel()
	acct := newUser(t)
	prog := userProgram(t, acct, "envpy-"+unique()+".py", "#!/usr/bin/env python3\nimport time\ntime.sleep(600)\n")
	t.Cleanup(func() { killNamed(t, "python3", acct.UID) })
	tg := backgroundTarget(acct, prog, "python3")

	other := make(chan *exec.Cmd, 1)
	go func() {
		defer close(other)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if _, err := os.Stat(tg.Pidfile); err != nil {
				continue
			}
			cmd := exec.Command("/usr/bin/python3", "-c", "import time; time.sleep(600)")
			cmd.SysProcAttr = credAttr(acct)
			cmd.SysProcAttr.Setsid = true
			if err := cmd.Start(); err != nil {
				t.Error(err)
				return
			}
			other <- cmd
			return
		}
		t.Error("the daemon's pidfile never appeared")
	}()

	r, err := Run(context.Background(), tg, Options{Stop: true})
	logReport(t, r)
	if err != nil {
		t.Fatal(err)
	}
	cmd := <-other
	if cmd == nil {
		t.FailNow()
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if !proc.Alive(cmd.Process.Pid) {
		t.Errorf("the check stopped PID %d, the account's other python3 program", cmd.Process.Pid)
	}
	if !r.Passed() {
		t.Errorf("the check failed: %+v", r.Steps)
	}
}
