package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// tickUser is a throwaway user with a program that stays in the
// foreground and prints a line every 200 ms, at ~/tickbot.pl, and one that
// exits at once, at ~/crashbot.pl.
func tickUser(t *testing.T) (crontest.User, string, string) {
	t.Helper()
	u, _ := botUser(t)
	write := func(name, code string) string {
		p := filepath.Join(u.Home, name)
		if err := os.WriteFile(p, []byte(code), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, u.UID, u.GID); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tick := write("tickbot.pl", "#!/usr/bin/perl\n$| = 1;\nwhile (1) { print \"tick $$\\n\"; select(undef, undef, undef, 0.2) }\n")
	crash := write("crashbot.pl", "#!/usr/bin/perl\nprint \"crashed\\n\";\nexit 1;\n")
	return u, tick, crash
}

// daemons lists the live processes named name that run as uid.
func daemons(t *testing.T, name string, uid int) []int {
	t.Helper()
	ps, err := proc.All()
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range ps {
		if p.Comm == name && p.RunsAs(uid) && !p.Zombie() {
			pids = append(pids, p.PID)
		}
	}
	return pids
}

var pidRE = regexp.MustCompile(`PID (\d+)`)

// pids returns the PIDs a command's output names, in order.
func pids(out string) []int {
	var ps []int
	for _, m := range pidRE.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		ps = append(ps, n)
	}
	return ps
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := mkd(t, args...)
	if code != 0 {
		t.Fatalf("mkdaemon %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// blockJobs returns the job lines cron would run in the block name.
func blockJobs(t *testing.T, u crontest.User, name string) []string {
	t.Helper()
	blocks, err := crontab.Blocks(u.Crontab(t))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for _, b := range blocks {
		if b.Name != name {
			continue
		}
		for _, l := range b.Lines {
			if _, _, ok := crontab.Job(l); ok {
				jobs = append(jobs, l)
			}
		}
	}
	return jobs
}

// TestDayTwo walks one daemon through install (which starts it), start,
// restart, stop (which pauses), start (which un-pauses), status, logs and
// remove (which stops it), as root for a throwaway user, with the real
// start-stop-daemon and crontab.
func TestDayTwo(t *testing.T) {
	u, prog, _ := tickUser(t)
	const name = "tickbot.pl"
	t.Cleanup(func() {
		for _, pid := range daemons(t, name, u.UID) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	state := filepath.Join(u.Home, ".local/state/mkdaemon")
	pidfile := filepath.Join(state, name+".pid")
	log := filepath.Join(state, name+".log")
	starts := func() int {
		b, _ := os.ReadFile(filepath.Join(state, name+".starts"))
		return strings.Count(string(b), "\n")
	}

	out := mustRun(t, "--user", u.Name, "--program", prog, "--interval", "* * * * *", "--yes")
	if !strings.Contains(out, "started "+name+" (PID ") {
		t.Fatalf("install did not start the daemon:\n%s", out)
	}
	first := pids(out)[0]
	if got := daemons(t, name, u.UID); len(got) != 1 || got[0] != first {
		t.Fatalf("after install: daemons %v, want [%d]", got, first)
	}
	if n := starts(); n != 1 {
		t.Errorf("after install the record holds %d starts, want 1", n)
	}
	conf, err := os.ReadFile(filepath.Join(state, name+".logrotate"))
	if err != nil || !strings.Contains(string(conf), "\""+log+"\" {\n\tsize 10M\n\trotate 5\n\tcompress\n") || !strings.Contains(string(conf), "copytruncate") {
		t.Errorf("logrotate config: %v\n%s", err, conf)
	}
	if fi, err := os.Stat(filepath.Join(state, name+".logrotate")); err == nil && int(fi.Sys().(*syscall.Stat_t).Uid) != u.UID {
		t.Errorf("the logrotate config is not %s's", u.Name)
	}
	// The log is the default one, written by the daemon.
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(log)
		if strings.Contains(string(b), "tick "+strconv.Itoa(first)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the daemon's output is not in %s: %q", log, b)
		}
		time.Sleep(50 * time.Millisecond)
	}

	out = mustRun(t, "start", "--user", u.Name, name)
	if out != name+" is already running (PID "+strconv.Itoa(first)+")\n" {
		t.Errorf("start of a running daemon: %q", out)
	}
	if n := starts(); n != 1 {
		t.Errorf("a start that found it running recorded one: %d starts", n)
	}

	out = mustRun(t, "restart", "--user", u.Name, name)
	ps := pids(out)
	if len(ps) != 3 || ps[0] != first || ps[1] != first || ps[2] == first {
		t.Fatalf("restart output %q: want the old PID %d stopped and a new one", out, first)
	}
	second := ps[2]
	if !strings.Contains(out, "restarted "+name+": PID "+strconv.Itoa(first)+" -> PID "+strconv.Itoa(second)+"\n") {
		t.Errorf("restart does not print the old and the new PID:\n%s", out)
	}
	if got := daemons(t, name, u.UID); len(got) != 1 || got[0] != second {
		t.Fatalf("after restart: daemons %v, want only [%d]", got, second)
	}

	var st struct {
		Status    string `json:"status"`
		PID       int    `json:"pid"`
		Starts24h int    `json:"starts_24h"`
		Log       string `json:"log"`
		LogSize   int64  `json:"log_size"`
		LogTail   []string
	}
	if err := json.Unmarshal([]byte(mustRun(t, "status", "--user", u.Name, name, "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Status != "running" || st.PID != second || st.Starts24h != 2 || st.Log != log || st.LogSize <= 0 {
		t.Errorf("status --json: %+v", st)
	}

	out = mustRun(t, "stop", "--user", u.Name, name)
	if !strings.Contains(out, "paused "+name) || !strings.Contains(out, "stopped "+name+" (PID "+strconv.Itoa(second)+") with SIGTERM") {
		t.Errorf("stop:\n%s", out)
	}
	if got := daemons(t, name, u.UID); len(got) != 0 {
		t.Errorf("after stop: daemons %v", got)
	}
	if _, err := os.Stat(pidfile); !os.IsNotExist(err) {
		t.Errorf("the pidfile is left after stop: %v", err)
	}
	if jobs := blockJobs(t, u, name); len(jobs) != 0 {
		t.Errorf("a paused entry still has lines cron runs: %q", jobs)
	}
	if out := mustRun(t, "list", "--user", u.Name); !strings.Contains(out, "paused") {
		t.Errorf("list does not show the entry paused:\n%s", out)
	}

	out = mustRun(t, "start", "--user", u.Name, name)
	if !strings.Contains(out, "un-paused "+name) || !strings.Contains(out, "started "+name+" (PID ") {
		t.Errorf("start after stop:\n%s", out)
	}
	third := pids(out)[0]
	if jobs := blockJobs(t, u, name); len(jobs) != 2 {
		t.Errorf("after start the block runs %q, want the tick and the rotation", jobs)
	}

	out = mustRun(t, "logs", "--user", u.Name, name, "-n", "2")
	if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "tick ") {
		t.Errorf("logs -n 2: %q", out)
	}

	out = mustRun(t, "remove", "--user", u.Name, name, "--yes")
	if !strings.Contains(out, "stopped "+name+" (PID "+strconv.Itoa(third)+")") {
		t.Errorf("remove did not stop the daemon:\n%s", out)
	}
	if got := daemons(t, name, u.UID); len(got) != 0 {
		t.Errorf("after remove: daemons %v", got)
	}
	if _, err := os.Stat(filepath.Join(state, name+".logrotate")); !os.IsNotExist(err) {
		t.Errorf("remove left the logrotate config: %v", err)
	}
}

// TestDayTwoExitCodes: bad input exits 2 and changes nothing; a runtime
// failure exits 1.
func TestDayTwoExitCodes(t *testing.T) {
	u, _, crash := tickUser(t)
	mustRun(t, "--user", u.Name, "--program", crash, "--no-start", "--yes")
	before := crontest.SpoolID(t, u.Name)
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"start", "--user", u.Name, "nosuch"}, 2, "mkdaemon: error: no mkdaemon entry named nosuch in " + u.Name + "'s crontab\nmkdaemon: hint: it has: crashbot.pl\n"},
		{[]string{"stop", "--user", u.Name, "nosuch"}, 2, "mkdaemon: error: no mkdaemon entry named nosuch"},
		{[]string{"restart", "--user", u.Name, "nosuch"}, 2, "mkdaemon: error: no mkdaemon entry named nosuch"},
		{[]string{"status", "--user", u.Name, "nosuch"}, 2, "mkdaemon: error: no mkdaemon entry named nosuch"},
		{[]string{"logs", "--user", u.Name, "nosuch"}, 2, "mkdaemon: error: no mkdaemon entry named nosuch"},
		{[]string{"start", "--user", u.Name}, 2, "mkdaemon: error: start takes one NAME, got 0 arguments\nmkdaemon: hint: "},
		{[]string{"stop", "--user", u.Name, "a", "b"}, 2, "mkdaemon: error: stop takes one NAME, got 2 arguments"},
		{[]string{"restart", "--user", u.Name, "crashbot.pl", "--timeout", "0s"}, 2, "mkdaemon: error: --timeout 0s: give a positive duration"},
		{[]string{"logs", "--user", u.Name, "crashbot.pl", "-n", "-1"}, 2, "mkdaemon: error: -n -1"},
		{[]string{"status", "--user", "no-such-user-xyz", "crashbot.pl"}, 2, "no such user"},
		{[]string{"--user", u.Name, "--program", crash, "--log-max", "10X", "--yes"}, 2, "mkdaemon: error: --log-max 10X"},
		{[]string{"--user", u.Name, "--program", crash, "--log-keep", "-1", "--yes"}, 2, "mkdaemon: error: --log-keep -1"},
		// A program that exits at once cannot be started: exit 1, with the
		// diagnosis.
		{[]string{"start", "--user", u.Name, "crashbot.pl", "--timeout", "2s"}, 1, "crashbot.pl did not start"},
		{[]string{"restart", "--user", u.Name, "crashbot.pl", "--timeout", "2s"}, 1, "crashbot.pl did not start"},
		// Install starts it, fails, and shows the check's diagnosis.
		{[]string{"--user", u.Name, "--program", crash, "--interval", "10m", "--yes"}, 1, "crashbot.pl is installed but did not start"},
	} {
		code, stdout, stderr := mkd(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("mkdaemon %s: exit %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.stderr)
		}
		if tc.args[0] == "--user" && tc.code == 1 && (!strings.Contains(stdout, "FAIL  start") || !strings.Contains(stdout, "crashed")) {
			t.Errorf("mkdaemon %s: no check diagnosis with the program's output:\n%s", strings.Join(tc.args, " "), stdout)
		}
		if tc.code == 2 && crontest.SpoolID(t, u.Name) != before {
			t.Errorf("mkdaemon %s: the crontab was written", strings.Join(tc.args, " "))
		}
	}
	// An unreadable crontab (broken markers) is a runtime failure.
	u.SetCrontab(t, "# BEGIN mkdaemon crashbot.pl\n@daily old\n")
	for _, c := range []string{"start", "stop", "restart", "status", "logs"} {
		if code, _, stderr := mkd(t, c, "--user", u.Name, "crashbot.pl"); code != 1 || !strings.Contains(stderr, "a BEGIN without its END") {
			t.Errorf("%s with broken markers: exit %d, stderr %q; want 1", c, code, stderr)
		}
	}
}
