package export

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// trickyArgs are arguments whose quoting systemd could get wrong.
var trickyArgs = []string{
	"plain", "two words", "", " ", "  lead and trail  ",
	`"double"`, `'single'`, `it's`, `say "hi"`,
	`back\slash`, `\`, `\\`, `trailing\`, `\n literally`, `\x41`, `\;`,
	"100%", "%", "%%", "%h", "%n%i",
	"$HOME", "$", "$$", "${HOME}", "a$b", "$1", "cost: $5", "%$%$",
	";", "a;b", "-", "--", "-x", "@", "!", ":", "+", "#not a comment",
	"tab\there", "new\nline", "carriage\rreturn", "bell\a", "\x01\x1f\x7f",
	"日本語", "é", "line\u2028sep", "nel\u0085", "\xff\xfe not utf-8", "\xc3",
	"=", "a=b", "--opt=a b", "{}", "[x]", "*?", "~", "`cmd`", "<in >out |pipe &bg",
}

func TestExecStartRoundTrip(t *testing.T) {
	progs := []string{"/usr/bin/bot", "/home/u/my bots/bot.py", "/tmp/100%/b", "/tmp/$x/bot", "/tmp/a;b", "/opt/日本/bot", "/tmp/#x"}
	for _, prog := range progs {
		for _, a := range trickyArgs {
			argv := []string{prog, a, "after"}
			line, err := ExecStart(argv)
			if err != nil {
				t.Fatalf("ExecStart(%q): %v", argv, err)
			}
			got, err := ParseExecStart(line)
			if err != nil {
				t.Fatalf("ParseExecStart(%s) for %q: %v", line, argv, err)
			}
			if !reflect.DeepEqual(got, argv) {
				t.Errorf("ExecStart=%s\nparsed back as %q\nwant %q", line, got, argv)
			}
			if !utf8.ValidString(line) || strings.ContainsAny(line, "\n\r") {
				t.Errorf("ExecStart=%q is not one line of UTF-8", line)
			}
		}
	}
}

func TestExecStartAllArgsAtOnce(t *testing.T) {
	argv := append([]string{"/usr/bin/bot"}, trickyArgs...)
	line, err := ExecStart(argv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseExecStart(line)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, argv) {
		t.Errorf("parsed back as %q\nwant %q", got, argv)
	}
}

func TestExecStartRefuses(t *testing.T) {
	for _, argv := range [][]string{
		{},
		{"bot"},
		{"relative/bot"},
		{`/tmp/a"b`},
		{`/tmp/a'b`},
		{`/tmp/a\b`},
		{"/tmp/a\tb"},
		{"/tmp/a\nb"},
		{"/usr/bin/bot", "nul\x00byte"},
	} {
		if line, err := ExecStart(argv); err == nil {
			t.Errorf("ExecStart(%q) = %s, want an error", argv, line)
		}
	}
}

// Examples read the way systemd.service(5) and systemd.syntax(7) describe.
func TestParseExecStartSyntax(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`/bin/echo one two`, []string{"/bin/echo", "one", "two"}},
		{`/bin/echo "one two" 'three four'`, []string{"/bin/echo", "one two", "three four"}},
		{`/bin/echo a"b c"d`, []string{"/bin/echo", "ab cd"}},
		{`/bin/echo "it's" 'say "x"'`, []string{"/bin/echo", "it's", `say "x"`}},
		{`/bin/echo \"a\" 'b\'c' "\x41\101\u00e9\U0001F600\s"`, []string{"/bin/echo", `"a"`, "b'c", "AAé😀 "}},
		{`/bin/echo "\a\b\f\n\r\t\v\\"`, []string{"/bin/echo", "\a\b\f\n\r\t\v\\"}},
		{`/bin/echo \xff`, []string{"/bin/echo", "\xff"}},
		{`/bin/echo \;`, []string{"/bin/echo", ";"}},
		{`/bin/echo ";"`, []string{"/bin/echo", ";"}},
		{`/bin/echo a ;`, []string{"/bin/echo", "a"}},
		{`/bin/echo a;b`, []string{"/bin/echo", "a;b"}},
		{`/bin/echo 100%% $$HOME a$$b $`, nil}, // a lone $ word is a variable reference
		{`/bin/echo 100%% $$HOME a$$b a$x$`, []string{"/bin/echo", "100%", "$HOME", "a$b", "a$x$"}},
		{`/bin/echo $x$`, nil}, // a word that starts with $NAME is a variable
		{"  \t/bin/echo   spaced\t out  ", []string{"/bin/echo", "spaced", "out"}},
		{`-/bin/echo x`, []string{"/bin/echo", "x"}},
		{`:/bin/echo $x $$`, []string{"/bin/echo", "$x", "$$"}},
		{`@/bin/echo argv0 x`, []string{"/bin/echo", "x"}},
		{`+!!/bin/echo x`, []string{"/bin/echo", "x"}},
		{`"/my dir/%%prog" x`, []string{"/my dir/%prog", "x"}},
		{`/bin/echo ""`, []string{"/bin/echo", ""}},
		// A % before anything but a letter or digit is no specifier.
		{`/bin/echo 50% %. %- %`, []string{"/bin/echo", "50%", "%.", "%-", "%"}},
	} {
		got, err := ParseExecStart(c.in)
		if c.want == nil {
			if err == nil {
				t.Errorf("ParseExecStart(%s) = %q, want an error", c.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseExecStart(%s): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseExecStart(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseExecStartRefuses(t *testing.T) {
	for _, in := range []string{
		``,
		`   `,
		`/bin/echo "unbalanced`,
		`/bin/echo 'unbalanced`,
		`/bin/echo trailing\`,
		`/bin/echo \q`,
		`/bin/echo \x0`,
		`/bin/echo \x00`,
		`/bin/echo \000`,
		`/bin/echo \u0000`,
		`/bin/echo \UFFFFFFFF`,
		`/bin/echo %h`,
		`/bin/echo a%Z`,
		`/bin/echo %0`,
		`/bin/echo $HOME`,
		`/bin/echo ${HOME}`,
		`/bin/echo a${HOME}`,
		`/bin/echo a ; /bin/true`,
		`"/bin/ec\"ho"`,
		`/bin/a\\b`,
		`@/bin/echo`,
		`--/bin/echo x`,
		`!!!/bin/echo x`,
	} {
		if got, err := ParseExecStart(in); err == nil {
			t.Errorf("ParseExecStart(%s) = %q, want an error", in, got)
		}
	}
}

// FuzzExecStartRoundTrip: whatever the program's path and arguments,
// ExecStart either refuses them or writes a line that parses back to them.
// The arguments come NUL-separated (no argument can hold a NUL). The seed
// corpus is in testdata/fuzz/FuzzExecStartRoundTrip.
func FuzzExecStartRoundTrip(f *testing.F) {
	f.Add("/usr/bin/bot", "a b\x00100%\x00$HOME")
	f.Add("/tmp/my bot/x", "\"\x00'\x00\\\x00;\x00")
	f.Fuzz(func(t *testing.T, prog, args string) {
		argv := []string{prog}
		if args != "" {
			argv = append(argv, strings.Split(args, "\x00")...)
		}
		line, err := ExecStart(argv)
		if err != nil {
			if checkExecPath(prog) == nil {
				t.Fatalf("ExecStart(%q) refused a valid path: %v", argv, err)
			}
			return
		}
		if strings.ContainsAny(line, "\n\r") || !utf8.ValidString(line) {
			t.Fatalf("ExecStart=%q is not one line of UTF-8", line)
		}
		got, err := ParseExecStart(line)
		if err != nil {
			t.Fatalf("ParseExecStart(%s) for %q: %v", line, argv, err)
		}
		if !reflect.DeepEqual(got, argv) {
			t.Fatalf("ExecStart=%s\nparsed back as %q\nwant %q", line, got, argv)
		}
	})
}

// The path's quoting, checked against systemd itself: verify fails with
// "is not executable" unless systemd unquoted the path to the very file
// that was created. The same quoting serves the arguments except for $, so
// arguments that can be file names are checked the same way.
func TestExecPathAgainstSystemd(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for _, a := range trickyArgs {
		if a == "" || a == "." || a == ".." || strings.ContainsAny(a, "/\"'\\$") || strings.ContainsFunc(a, func(r rune) bool { return r < 0x20 || r == 0x7f }) || !utf8.ValidString(a) {
			continue
		}
		names = append(names, a)
	}
	names = append(names, "my bot.py", "100%done", "x;y", "日本")
	for _, n := range names {
		prog := filepath.Join(dir, n)
		if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		line, err := ExecStart([]string{prog, "x"})
		if err != nil {
			t.Fatalf("ExecStart(%q): %v", prog, err)
		}
		unit := "[Unit]\nDescription=probe\n\n[Service]\nExecStart=" + line + "\n"
		if msg := verifyUnit(t, dir, "probe.service", unit); msg != "" {
			t.Errorf("systemd does not read ExecStart=%s as %q:\n%s", line, prog, msg)
		}
	}
}
