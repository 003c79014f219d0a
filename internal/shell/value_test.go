package shell

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

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
	p := syntax.NewParser(syntax.Variant(syntax.LangPOSIX))
	for _, tt := range tests {
		f, err := p.Parse(strings.NewReader("cmd "+tt.word), "")
		if err != nil {
			t.Fatalf("%s: %v", tt.word, err)
		}
		w := f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1]
		if got, ok := Value(w); got != tt.want || ok != tt.ok {
			t.Errorf("Value(%s) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}
