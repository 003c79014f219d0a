package shell

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// word parses text as one sh word.
func word(t *testing.T, text string) *syntax.Word {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader("cmd "+text), "")
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1]
}

func TestValue(t *testing.T) {
	tests := []struct {
		word, want string
		ok         bool
	}{
		{`/home/me/bot.py`, "/home/me/bot.py", true},
		{`--pidfile=/run/x.pid`, "--pidfile=/run/x.pid", true},
		{`'my bot.py'`, "my bot.py", true},
		{`"my bot.py"`, "my bot.py", true},
		{`my\ bot.py`, "my bot.py", true},
		{`"a\$b\c"`, `a$b\c`, true},
		{`a~b`, "a~b", true},
		{`'~/bot'`, "~/bot", true},
		{`~/bot.py`, "", false},
		{`bot*.py`, "", false},
		{`"bot*.py"`, "bot*.py", true},
		{`$HOME/bot.py`, "", false},
		{`"$HOME/bot.py"`, "", false},
		{"`pwd`/bot.py", "", false},
		{`$'a\tb'`, `$a\tb`, true}, // dash has no $'...'
	}
	for _, tt := range tests {
		if got, ok := Value(word(t, tt.word)); got != tt.want || ok != tt.ok {
			t.Errorf("Value(%s) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHomeValue(t *testing.T) {
	tests := []struct {
		word, home, want string
		ok               bool
	}{
		{`~/bot.py`, "/home/me", "/home/me/bot.py", true},
		{`~`, "/home/me", "/home/me", true},
		{`$HOME/bot.py`, "/home/me", "/home/me/bot.py", true},
		{`${HOME}/bots/x`, "/home/me", "/home/me/bots/x", true},
		{`"$HOME/my bot.py"`, "/home/me", "/home/me/my bot.py", true},
		{`"$HOME"/bot`, "/home/me", "/home/me/bot", true},
		{`'$HOME'/bot`, "/home/me", "$HOME/bot", true},
		{`/srv/bot`, "/home/me", "/srv/bot", true},
		{`$HOME/bot.py`, "", "", false},
		{`~other/bot`, "/home/me", "", false},
		{`$HOME/*.py`, "/home/me", "", false},
		{`$HOME/$BOT`, "/home/me", "", false},
		{`${HOME:-/x}/bot`, "/home/me", "", false},
		{`${#HOME}`, "/home/me", "", false},
		{`$HOMEDIR/x`, "/home/me", "", false},
		{`a$HOME`, "/home/me", "", false},
		{`"a$HOME"`, "/home/me", "", false},
		{`$(pwd)/bot`, "/home/me", "", false},
	}
	for _, tt := range tests {
		if got, ok := HomeValue(word(t, tt.word), tt.home); got != tt.want || ok != tt.ok {
			t.Errorf("HomeValue(%s, %q) = %q, %v; want %q, %v", tt.word, tt.home, got, ok, tt.want, tt.ok)
		}
	}
}

// fieldsAgree fails unless Fields either refuses command or reads it as
// mvdan.cc/sh's parser does: one statement, one call of literal words,
// nothing else.
func fieldsAgree(t *testing.T, command string) {
	t.Helper()
	args, ok := Fields(command)
	if !ok {
		return
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		t.Fatalf("Fields(%q) read %v, but it is not valid sh: %v", command, args, err)
	}
	if len(f.Stmts) != 1 {
		t.Fatalf("Fields(%q) read one command, sh reads %d", command, len(f.Stmts))
	}
	s := f.Stmts[0]
	call, isCall := s.Cmd.(*syntax.CallExpr)
	if !isCall || len(call.Assigns) > 0 || len(s.Redirs) > 0 || s.Background || s.Negated || s.Coprocess {
		t.Fatalf("Fields(%q) read %v, sh reads something else than a plain command", command, args)
	}
	if got := Args(call.Args, ""); !slices.Equal(got, args) {
		t.Fatalf("Fields(%q) = %v, sh reads %v", command, args, got)
	}
}

func TestFields(t *testing.T) {
	for command, want := range map[string]string{
		"/usr/sbin/start-stop-daemon --start -p /home/me/x.pid": "/usr/sbin/start-stop-daemon|--start|-p|/home/me/x.pid",
		"  python3\tbot.py  --wiki en ":                         "python3|bot.py|--wiki|en",
		"date +%s":                                              "date|+%s",
		"if true":                                               "",
		"for x":                                                 "",
		"echo if then fi":                                       "echo|if|then|fi",
		"A=b bot":                                               "",
		"bot --name=x":                                          "",
		"bot > log":                                             "",
		"bot &":                                                 "",
		"bot; other":                                            "",
		"bot 'quoted'":                                          "",
		"~/bot":                                                 "",
		"bot\vx":                                                "",
		"bot # comment":                                         "",
		"":                                                      "",
	} {
		args, ok := Fields(command)
		var got []string
		for _, a := range args {
			got = append(got, a.Value)
		}
		if strings.Join(got, "|") != want || ok != (want != "") {
			t.Errorf("Fields(%q) = %q, %v; want %q", command, got, ok, want)
		}
		fieldsAgree(t, command)
	}
}

// Fields agrees with the parser on commands drawn from sh's special
// characters, the bare ones and its reserved words.
func TestFieldsAgreesWithParser(t *testing.T) {
	words := []string{"a", "bot.py", "-x", "/usr/bin/x", "%", "+%s", "if", "then", "fi", "for", "in", "do", "done",
		"case", "esac", "while", "until", "elif", "else", "{", "}", "!", "function", "select", "time", "[[", "]]", "coproc",
		"a=b", "'q'", "\"q\"", "$x", "`x`", "a*", "~", "#", ";", "&", "|", ">", "<", "(", ")", "\\", "\t", "\v"}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		var b strings.Builder
		for k := 1 + rng.Intn(5); k > 0; k-- {
			b.WriteString(words[rng.Intn(len(words))])
			b.WriteString([]string{" ", "\t", "  ", ""}[rng.Intn(4)])
		}
		fieldsAgree(t, b.String())
	}
}

func FuzzFields(f *testing.F) {
	for _, s := range []string{"/usr/sbin/start-stop-daemon --start", "if x", "a b\tc", "time bot"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, command string) { fieldsAgree(t, command) })
}
