package installed_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// render makes a block's lines the way mkdaemon installs them.
func render(t *testing.T, s spec.Spec, expr string) []string {
	t.Helper()
	sched, err := schedule.Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := crontab.Lines(sched, s.AtBoot, ssd.Command(ssd.Argv("/usr/sbin/start-stop-daemon", s)))
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestOfReadsBackWhatWasRendered renders awkward specs (quotes,
// percent signs, a backslash before a percent, spaces, a program argument
// that looks like --pidfile) and reads pidfile, name and schedule back.
func TestOfReadsBackWhatWasRendered(t *testing.T) {
	for _, tc := range []struct {
		spec     spec.Spec
		schedule string
	}{
		{spec.Spec{Program: "/home/u/bot", Name: "bot", Pidfile: "/home/u/.local/state/mkdaemon/bot.pid", Mode: spec.ModeDaemonizes}, "*/5 * * * *"},
		{spec.Spec{Program: "/home/u/my bot.py", Name: "my bot.py", Pidfile: "/home/u/run/100% it's \\%here.pid", Mode: spec.ModeForeground,
			Log: "/home/u/log %s", Chdir: "/home/u", AtBoot: true, Args: []string{"--pidfile", "/decoy", "--name", "decoy", "50%"}}, "30m"},
		{spec.Spec{Program: "/srv/x", Name: "x", Pidfile: "/tmp/$HOME`x`.pid", Mode: spec.ModeDaemonizes, AtBoot: true}, "@reboot"},
		{spec.Spec{Program: "/srv/x", Name: "tab\tname", Pidfile: "/tmp/a\"b*c?.pid", Mode: spec.ModeDaemonizes}, "@hourly"},
	} {
		lines := render(t, tc.spec, tc.schedule)
		text, _, err := crontab.Splice("# mine\n", "key", lines)
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := crontab.Blocks(text)
		if err != nil || len(blocks) != 1 {
			t.Fatalf("Blocks = %v, %v", blocks, err)
		}
		d := installed.Of(blocks[0])
		sched, _ := schedule.Parse(tc.schedule)
		if d.Problem != "" || d.Pidfile != tc.spec.Pidfile || d.Process != tc.spec.Name ||
			d.Schedule != sched.Expr || d.AtBoot != (tc.spec.AtBoot || sched.Reboot()) || d.Name != "key" {
			t.Errorf("Of(%q) = %+v\nwant pidfile %q, name %q, schedule %q, at boot %v",
				lines, d, tc.spec.Pidfile, tc.spec.Name, sched.Expr, tc.spec.AtBoot)
		}
	}
}

func TestOfExplainsForeignContent(t *testing.T) {
	for _, lines := range [][]string{
		{"@daily /bin/true"},
		{"# only a comment"},
		{"@daily /usr/sbin/start-stop-daemon --start --name x --startas /x"},
		{"@daily /usr/sbin/start-stop-daemon --start --pidfile \"$HOME/p\" --name x --startas /x"},
	} {
		d := installed.Of(crontab.Block{Name: "b", Lines: lines})
		if d.Problem == "" || d.Pidfile != "" {
			t.Errorf("Of(%q) = %+v, want a problem and no pidfile", lines, d)
		}
	}
}

// TestDaemonsStates checks the three states list shows with a real process
// (running), a pidfile naming a dead PID (stale), a PID reused by another
// program (stale) and no pidfile (stopped).
func TestDaemonsStates(t *testing.T) {
	dir := t.TempDir()
	sleep := exec.Command("sleep", "300")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	write := func(name string, pid int) string {
		p := filepath.Join(dir, name+".pid")
		if err := os.WriteFile(p, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk := func(name, pidfile, comm string) spec.Spec {
		return spec.Spec{Program: "/bin/" + comm, Name: comm, Pidfile: pidfile, Mode: spec.ModeDaemonizes}
	}
	text := ""
	add := func(key string, s spec.Spec) {
		var err error
		text, _, err = crontab.Splice(text, key, render(t, s, "*/5 * * * *"))
		if err != nil {
			t.Fatal(err)
		}
	}
	add("running", mk("running", write("running", sleep.Process.Pid), "sleep"))
	add("dead", mk("dead", write("dead", dead.Process.Pid), "sleep"))
	add("reused", mk("reused", write("reused", sleep.Process.Pid), "bot"))
	add("stopped", mk("stopped", filepath.Join(dir, "none.pid"), "bot"))

	ds, err := installed.Daemons(text, proc.Self())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]proc.State{"running": proc.Running, "dead": proc.Stale, "reused": proc.Stale, "stopped": proc.Stopped}
	if len(ds) != len(want) {
		t.Fatalf("%d daemons, want %d", len(ds), len(want))
	}
	for _, d := range ds {
		if d.State != want[d.Name] {
			t.Errorf("%s: state %q (%s), want %q", d.Name, d.State, d.Reason, want[d.Name])
		}
	}
	if ds[0].PID != sleep.Process.Pid {
		t.Errorf("running PID %d, want %d", ds[0].PID, sleep.Process.Pid)
	}
}
