package shell_test

import (
	"bytes"
	"math/rand"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/shell"
)

var seeds = [][]string{
	{"plain"},
	{""},
	{"two words", "it's", `"double"`, `back\slash`, "$HOME", "`date`", "$(id)"},
	{"100%", `\%`, `a\%b`, `\\%`, "%%", `%\`, "50%off"},
	{"~", "~/x", "#comment", "a=b", "*", "?", "[x]", "{a,b}", "!", "&&", ";", "|", ">", "<"},
	{"tab\there", "uni\u00e9", "\xff\xfe invalid utf-8", "\x01ctl"},
	{"-", "--", "--wiki", "en"},
	{"'", "''", `'\''`, `\`},
}

// parse reads a command line back with mvdan.cc/sh, the way a POSIX shell
// would split it, and returns the literal words.
func parse(t *testing.T, line string) []string {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "")
	if err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	if len(f.Stmts) != 1 {
		t.Fatalf("parse %q: %d statements", line, len(f.Stmts))
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok {
		t.Fatalf("parse %q: not a simple command", line)
	}
	var words []string
	for _, w := range call.Args {
		var b strings.Builder
		for _, p := range w.Parts {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(unescapeLit(p.Value))
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				// Only plain text may stand inside: Quote never double
				// quotes $, `, " or \.
				for _, q := range p.Parts {
					lit, ok := q.(*syntax.Lit)
					if !ok || strings.ContainsAny(lit.Value, "$`\"\\!") {
						t.Fatalf("parse %q: double-quoted part %T would be expanded", line, q)
					}
					b.WriteString(lit.Value)
				}
			default:
				t.Fatalf("parse %q: word part %T would be expanded", line, p)
			}
		}
		words = append(words, b.String())
	}
	return words
}

// unescapeLit does what sh does to an unquoted literal: a backslash
// quotes the character after it.
func unescapeLit(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// shArgv runs the real /bin/sh on `printf ... <joined args>` and returns
// the arguments sh passed on.
func shArgv(t *testing.T, args []string) []string {
	t.Helper()
	line := `printf '%s\0' ` + shell.Join(args)
	out, err := exec.Command("/bin/sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	got := strings.Split(string(out), "\x00")
	return got[:len(got)-1]
}

func checkRoundTrip(t *testing.T, args []string) {
	t.Helper()
	line := shell.Join(args)
	// mvdan.cc/sh only parses valid UTF-8; the real sh below takes any byte.
	if utf8.ValidString(line) {
		if got := parse(t, "x "+line)[1:]; !reflect.DeepEqual(got, args) {
			t.Errorf("mvdan parse of %q = %q, want %q", line, got, args)
		}
	}
	if got := shArgv(t, args); !reflect.DeepEqual(got, args) {
		t.Errorf("/bin/sh split %q into %q, want %q", line, got, args)
	}
	if strings.ContainsAny(strings.Join(args, ""), "\n\r") {
		return // never reaches a crontab: spec refuses such values
	}
	cmd, stdin := crontab.Unescape(crontab.Escape(line))
	if cmd != line || stdin != "" {
		t.Errorf("cron would run %q with stdin %q, want %q", cmd, stdin, line)
	}
}

func TestRoundTripSeeds(t *testing.T) {
	for _, args := range seeds {
		checkRoundTrip(t, args)
	}
}

// TestRoundTripRandom draws argument lists from the characters that matter
// to sh and cron, plus arbitrary bytes.
func TestRoundTripRandom(t *testing.T) {
	const alphabet = "ab \t'\"\\%$`~#*?[]{}()<>|&;=!-/\n"
	rng := rand.New(rand.NewSource(1))
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := 0; i < n; i++ {
		args := make([]string, 1+rng.Intn(4))
		for j := range args {
			var b bytes.Buffer
			for k := rng.Intn(12); k > 0; k-- {
				if rng.Intn(10) == 0 {
					b.WriteByte(byte(1 + rng.Intn(255)))
				} else {
					b.WriteByte(alphabet[rng.Intn(len(alphabet))])
				}
			}
			args[j] = b.String()
		}
		checkRoundTrip(t, args)
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range seeds {
		for _, a := range s {
			f.Add(a)
		}
	}
	f.Fuzz(func(t *testing.T, a string) {
		if strings.IndexByte(a, 0) >= 0 {
			t.Skip("NUL cannot be an argument")
		}
		checkRoundTrip(t, []string{a, "x" + a})
	})
}

func TestBareWordsStayBare(t *testing.T) {
	for _, w := range []string{"--start", "/usr/sbin/start-stop-daemon", "bot.py", "a,b:c@d+e%f"} {
		if got := shell.Quote(w); got != w {
			t.Errorf("Quote(%q) = %q, want it unquoted", w, got)
		}
	}
}
