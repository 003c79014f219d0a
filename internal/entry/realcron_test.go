package entry_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// TestRealCronPassesArgumentsIntact installs the rendered line into a
// throwaway user's crontab and lets the real cron daemon run it: the
// program must receive exactly the arguments asked for, `%` included.
func TestRealCronPassesArgumentsIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real cron tick (up to a minute)")
	}
	u := crontest.NewUser(t)
	crontest.Cron(t)

	bots := filepath.Join(u.Home, "my bots")
	out := filepath.Join(u.Home, "argv.out")
	if err := os.Mkdir(bots, 0o755); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(bots, "argv-bot.pl")
	body := "#!/usr/bin/perl\nopen my $f, '>', \"$ENV{HOME}/argv.out.tmp\" or die; print $f join(\"\\0\", @ARGV), \"\\0\"; close $f;\n" +
		"rename \"$ENV{HOME}/argv.out.tmp\", \"$ENV{HOME}/argv.out\";\nsleep 600;\n"
	if err := os.WriteFile(prog, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bots, prog} {
		os.Chown(p, u.UID, u.GID)
	}
	args := []string{"100%", `50\%`, "%s %d", "it's", `"quoted"`, "$HOME", "a;b", "two  spaces", "", `back\slash`}

	cur, err := spec.CurrentAccount()
	if err != nil {
		t.Fatal(err)
	}
	in := spec.Input{Program: prog, Args: args, Pidfile: filepath.Join(u.Home, "bot.pid"), Interval: "* * * * *", User: u.Name}
	r, err := spec.Resolve(in, spec.Gather(in, spec.Env{Getenv: func(string) string { return "" }, Cwd: "/", Current: cur, Lookup: spec.LookupAccount}))
	if err != nil {
		t.Fatal(err)
	}
	e, err := entry.Build(r, r.SSD, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Install creates the state directory the log and the start record go
	// to; this test writes the crontab itself.
	if out, err := exec.Command("runuser", "-u", u.Name, "--", "mkdir", "-p", r.StateDir).CombinedOutput(); err != nil {
		t.Fatalf("mkdir %s: %v\n%s", r.StateDir, err, out)
	}
	u.SetCrontab(t, strings.Join(e.CrontabLines, "\n")+"\n")

	deadline := time.Now().Add(crontest.NextMinute() + 15*time.Second)
	for {
		b, err := os.ReadFile(out)
		if err == nil {
			got := strings.Split(string(b), "\x00")
			got = got[:len(got)-1]
			if !reflect.DeepEqual(got, args) {
				t.Fatalf("cron ran the program with %q, want %q\ncrontab line: %s", got, args, e.CrontabLines[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("cron did not start the program within a minute\ncrontab:\n%s", u.Crontab(t))
		}
		time.Sleep(250 * time.Millisecond)
	}
}
