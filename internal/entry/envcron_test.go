package entry_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// envBot records its environment in ~/env-NAME and stays: it needs
// BOT_TOKEN, and dies without it, as a real bot would.
const envBot = `#!/usr/bin/python3
import os, sys, time
token = os.environ["BOT_TOKEN"]
name = os.path.basename(sys.argv[0])
path = os.path.join(os.environ["HOME"], "env-" + name)
with open(path + ".tmp", "w") as f:
    for k in sorted(os.environ):
        f.write(k + "=" + os.environ[k] + "\n")
os.rename(path + ".tmp", path)
time.sleep(600)
`

// TestRealCronEnvironment lets the real cron daemon start four bots that
// need BOT_TOKEN, each given it another way: --env, --env-file (sourced at
// every start, never in the crontab), a crontab line above the entry, and
// a crontab with PATH= and SHELL=/bin/bash lines. Each starts under its own
// name with the token. Then check runs the last entry as cron ran it, and
// the bot's environment must be the very one cron gave it.
func TestRealCronEnvironment(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real cron tick (up to a minute)")
	}
	u := crontest.NewUser(t)
	crontest.Cron(t)
	acct, err := spec.LookupAccount(u.Name)
	if err != nil {
		t.Fatal(err)
	}
	bots := filepath.Join(u.Home, "bots")
	mkdirAs(t, u, bots)
	for _, d := range []string{".local", ".local/state", ".local/state/mkdaemon"} {
		mkdirAs(t, u, filepath.Join(u.Home, d)) // as install makes it
	}
	envFile := filepath.Join(u.Home, "bot.env")
	writeAs(t, u, envFile, "# the bot's secrets\nBOT_TOKEN='from the file'\n", 0o600)

	render := func(prog string, in spec.Input) string {
		writeAs(t, u, prog, envBot, 0o755)
		in.Program, in.Interval, in.User = prog, "* * * * *", u.Name
		r, err := spec.Resolve(in, spec.Gather(in, spec.Env{Getenv: func(string) string { return "" }, Cwd: "/", Current: acct, Lookup: spec.LookupAccount}))
		if err != nil {
			t.Fatal(err)
		}
		e, err := entry.Build(r, r.SSD, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return "# BEGIN mkdaemon " + e.Name + "\n" + e.CrontabLines[0] + "\n# END mkdaemon " + e.Name + "\n"
	}
	byEnv := render(filepath.Join(bots, "by-env.py"), spec.Input{Env: []string{"BOT_TOKEN=from --env 100%"}})
	byFile := render(filepath.Join(bots, "by-file.py"), spec.Input{EnvFile: envFile})
	byLine := render(filepath.Join(bots, "by-line.py"), spec.Input{})
	byShell := render(filepath.Join(bots, "by-shell.py"), spec.Input{})
	if strings.Contains(byFile, "from the file") {
		t.Fatalf("the env file's value is in the crontab:\n%s", byFile)
	}
	tab := byEnv + byFile + "BOT_TOKEN = from the crontab\n" + byLine +
		"PATH=" + bots + ":/usr/bin:/bin\nSHELL=/bin/bash\n" + byShell
	u.SetCrontab(t, tab)
	t.Logf("%s crontab:\n%s", time.Now().Format(time.TimeOnly), tab)

	want := map[string]string{"by-env.py": "from --env 100%", "by-file.py": "from the file", "by-line.py": "from the crontab", "by-shell.py": "from the crontab"}
	deadline := time.Now().Add(crontest.NextMinute() + 20*time.Second)
	envs := map[string]map[string]string{}
	for len(envs) < len(want) {
		for name := range want {
			if env, ok := readBotEnv(filepath.Join(u.Home, "env-"+name)); ok {
				envs[name] = env
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cron started only %d of the bots within a minute: %v", len(envs), envs)
		}
		time.Sleep(250 * time.Millisecond)
	}
	for name, token := range want {
		if got := envs[name]["BOT_TOKEN"]; got != token {
			t.Errorf("%s got BOT_TOKEN=%q, want %q", name, got, token)
		}
		// start-stop-daemon matches the program's own name.
		pf := filepath.Join(u.Home, ".local", "state", "mkdaemon", name+".pid")
		if st := proc.InspectAs(pf, name, proc.Account{UID: u.UID, GID: u.GID}); st.State != proc.Running {
			t.Errorf("%s is not running under its own name: %+v", name, st)
		}
	}
	if envs["by-shell.py"]["PATH"] != bots+":/usr/bin:/bin" {
		t.Errorf("by-shell.py got PATH=%q", envs["by-shell.py"]["PATH"])
	}
	cronEnv := envs["by-shell.py"]
	t.Logf("%s cron started the four bots", time.Now().Format(time.TimeOnly))

	// check on the by-shell.py entry, read back from the crontab as
	// `mkdaemon check NAME` reads it. The entry goes first, so that no
	// tick races the check; the bot cron started is stopped.
	text := u.Crontab(t)
	u.SetCrontab(t, "# empty\n")
	pf := filepath.Join(u.Home, ".local", "state", "mkdaemon", "by-shell.py.pid")
	if pid, err := proc.ReadPidfileAs(pf, proc.Account{UID: u.UID, GID: u.GID}); err == nil {
		proc.Signal(pid, u.UID, unix.SIGTERM)
		for i := 0; i < 100; i++ {
			// This test may be the orphan's reaper (it started cron).
			unix.Wait4(pid, nil, unix.WNOHANG, nil)
			if _, err := proc.Stat(pid); err != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	os.Remove(filepath.Join(u.Home, "env-by-shell.py"))
	var tg check.Target
	blocks, err := crontab.Blocks(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.Name == "by-shell.py" {
			_, field, _ := crontab.Job(b.Lines[0])
			command, _ := crontab.Unescape(field)
			if tg, err = check.TargetFromCommand(command); err != nil {
				t.Fatal(err)
			}
		}
	}
	tg.Account, tg.Environ = acct, crontab.EnvOfBlock(text, "by-shell.py")
	r, err := check.Run(context.Background(), tg, check.Options{Stop: true})
	for _, s := range r.Steps {
		t.Logf("%s  %s  %s", s.Mark(), s.Name, s.Evidence)
	}
	if err != nil || !r.Passed() {
		t.Fatalf("check failed: %v", err)
	}
	checkEnv, ok := readBotEnv(filepath.Join(u.Home, "env-by-shell.py"))
	if !ok {
		t.Fatal("the check did not start by-shell.py")
	}
	if a, b := envText(cronEnv), envText(checkEnv); a != b {
		t.Errorf("cron gave the bot\n%s\nbut check gave it\n%s", a, b)
	}
	if _, ok := cronEnv["SHLVL"]; !ok {
		t.Errorf("SHELL=/bin/bash was not the job's shell (no SHLVL, which bash sets and dash does not):\n%s", envText(cronEnv))
	}
}

func readBotEnv(path string) (map[string]string, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	env := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, _ := strings.Cut(l, "=")
		env[k] = v
	}
	return env, true
}

func envText(env map[string]string) string {
	var lines []string
	for k, v := range env {
		lines = append(lines, k+"="+v)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func mkdirAs(t *testing.T, u crontest.User, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
}

func writeAs(t *testing.T, u crontest.User, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, u.UID, u.GID); err != nil {
		t.Fatal(err)
	}
}
