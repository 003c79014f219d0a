package wizard

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The wizard asks for variables and offers an env file; both are checked
// as their flags are, and reach the entry.
func TestEnvQuestions(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	envFile := filepath.Join(f.home, "bot.env")
	for name, mode := range map[string]os.FileMode{"open.env": 0o644, "bot.env": 0o600} {
		p := filepath.Join(f.home, name)
		if err := os.WriteFile(p, []byte("BOT_TOKEN=s3cret\n"), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
	}
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""),
		ans("env", "LANG", "LANG=C.UTF-8 WIKI='en wiki' API_KEY=k"),
		ans("env-file", "open.env", "nope.env", "~/bot.env"))
	w := f.wizard(p)
	w.PrintOnly = true
	res, err := w.Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	p.done()
	if got := strings.Join(p.errs["env"], "\n"); !strings.Contains(got, "is not NAME=VALUE") {
		t.Errorf("env errors %q", got)
	}
	if got := strings.Join(p.errs["env-file"], "\n"); !strings.Contains(got, "can be read by every user") || !strings.Contains(got, "does not exist") {
		t.Errorf("env-file errors %q", got)
	}
	if !strings.Contains(f.out.String(), "API_KEY looks like a secret") {
		t.Errorf("no word about the secret in\n%s", f.out.String())
	}
	want := "set -a && . " + envFile + " && LANG=C.UTF-8 WIKI='en wiki' API_KEY=k /usr/sbin/start-stop-daemon"
	if !strings.HasPrefix(res.Entry.Command, want) {
		t.Errorf("command %s\nwant it to start %s", res.Entry.Command, want)
	}
	f.wroteNothing()
}
