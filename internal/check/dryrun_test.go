package check

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

func TestDryRunCommand(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/usr/sbin/start-stop-daemon --start --quiet --oknodo --pidfile /p --name n --startas /bin/x",
			"/usr/sbin/start-stop-daemon --start --test --verbose --oknodo --pidfile /p --name n --startas /bin/x"},
		// Short forms, and --quiet before --start.
		{"/usr/sbin/start-stop-daemon -q -S -p /p -n n -a /bin/x",
			"/usr/sbin/start-stop-daemon -S --test --verbose -p /p -n n -a /bin/x"},
		// The program's own --quiet and --start, after --, stay.
		{"/usr/sbin/start-stop-daemon --start --quiet --startas /bin/x -- --quiet --start",
			"/usr/sbin/start-stop-daemon --start --test --verbose --startas /bin/x -- --quiet --start"},
		// Quoted arguments and odd spacing are kept byte for byte.
		{"/usr/sbin/start-stop-daemon  --start\t--pidfile '/home/a b/p' --startas /bin/x -- 'it'\\''s' \"$HOME\"",
			"/usr/sbin/start-stop-daemon  --start --test --verbose\t--pidfile '/home/a b/p' --startas /bin/x -- 'it'\\''s' \"$HOME\""},
		// A quoted '--start' is an argument, not the option.
		{"/usr/bin/env X='--start' /usr/sbin/start-stop-daemon --start -a /bin/x",
			"/usr/bin/env X='--start' /usr/sbin/start-stop-daemon --start --test --verbose -a /bin/x"},
		// Commands around it.
		{"cd /srv && /usr/sbin/start-stop-daemon --start --quiet -a /bin/x >/dev/null 2>&1",
			"cd /srv && /usr/sbin/start-stop-daemon --start --test --verbose -a /bin/x >/dev/null 2>&1"},
	} {
		got, err := dryRunCommand(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("dryRunCommand(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"/usr/sbin/start-stop-daemon --stop -p /p", "/bin/x '--start'", "/bin/x -- --start", "'unterminated"} {
		if got, err := dryRunCommand(bad); err == nil {
			t.Errorf("dryRunCommand(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDryRunArgv(t *testing.T) {
	in := []string{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", "/p", "--name", "n", "--startas", "/bin/x", "--background", "--", "--quiet", "-q"}
	want := []string{ssdPath, "--start", "--test", "--verbose", "--oknodo", "--pidfile", "/p", "--name", "n", "--startas", "/bin/x", "--background", "--", "--quiet", "-q"}
	got, err := dryRunArgv(in)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("dryRunArgv = %q, %v\nwant %q", got, err, want)
	}
	if _, err := dryRunArgv([]string{ssdPath, "--stop"}); err == nil {
		t.Error("an argv without --start was accepted")
	}
}

// The two ways to describe a target agree: the command string rewritten
// in place parses back to the argv rewritten as a list.
func TestDryRunCommandAgreesWithArgv(t *testing.T) {
	for _, argv := range [][]string{
		{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", "/home/a b/.local/state/mkdaemon/bot.pid", "--name", "bot.py", "--startas", "/home/a b/bot.py", "--", "--wiki", "en", "it's", "100%", "$HOME", "--start"},
		{ssdPath, "--start", "--quiet", "--oknodo", "--pidfile", "/p", "--name", "n", "--startas", "/x", "--background", "--make-pidfile", "--output", "/l", "--chdir", "/srv/x y"},
	} {
		cmd := shell.Join(argv)
		dry, err := dryRunCommand(cmd)
		if err != nil {
			t.Fatal(err)
		}
		wantArgv, err := dryRunArgv(argv)
		if err != nil {
			t.Fatal(err)
		}
		if got := parseArgv(t, dry); !reflect.DeepEqual(got, wantArgv) {
			t.Errorf("dry run of %q parses as\n%q\nwant %q", cmd, got, wantArgv)
		}
	}
}

// parseArgv returns the words of a one-command sh line after quote removal.
func parseArgv(t *testing.T, line string) []string {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, w := range f.Stmts[0].Cmd.(*syntax.CallExpr).Args {
		// Fields, not Literal: Literal keeps the backslash of \'.
		fields, err := expand.Fields(nil, w)
		if err != nil || len(fields) != 1 {
			t.Fatalf("word %d: %q, %v", len(out), fields, err)
		}
		out = append(out, fields[0])
	}
	return out
}
