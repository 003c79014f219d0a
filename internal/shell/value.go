package shell

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Value returns a parsed word's value after quote removal when the shell
// would not expand anything in it: plain text, quotes and backslash
// escapes only. Globs (* ? [), a leading tilde, $... and `...` are
// computed when the command runs, so ok is false for them.
func Value(w *syntax.Word) (value string, ok bool) {
	if len(w.Parts) == 1 {
		// Most words are one plain literal: its text is its value.
		if lit, isLit := w.Parts[0].(*syntax.Lit); isLit && !strings.ContainsAny(lit.Value, "*?[\\") && !strings.HasPrefix(lit.Value, "~") {
			return lit.Value, true
		}
	}
	var b strings.Builder
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			v := p.Value
			if strings.ContainsAny(v, "*?[") || (i == 0 && strings.HasPrefix(v, "~")) {
				return "", false
			}
			unescape(&b, v, func(byte) bool { return true })
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				// Inside double quotes a backslash escapes only these.
				unescape(&b, lit.Value, func(c byte) bool { return strings.IndexByte("$`\"\\\n", c) >= 0 })
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape copies s, dropping a backslash before a character for which
// special is true and a backslash-newline pair altogether.
func unescape(b *strings.Builder, s string, special func(byte) bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch {
			case s[i+1] == '\n':
				i++
				continue
			case special(s[i+1]):
				i++
			}
		}
		b.WriteByte(s[i])
	}
}

// An Arg is one word of a command as the shell hands it to the program:
// its value, unless the shell computes it only when the command runs.
type Arg struct {
	Value    string // "" when Computed
	Computed bool   // $VAR, $(...), a glob, a leading ~
}

// Args reads parsed words.
func Args(words []*syntax.Word) []Arg {
	args := make([]Arg, len(words))
	for i, w := range words {
		v, ok := Value(w)
		args[i] = Arg{Value: v, Computed: !ok}
	}
	return args
}

// reserved are the words sh reads as syntax, not as a program, at the
// start of a command.
var reserved = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true, "esac": true,
	"for": true, "in": true, "while": true, "until": true, "do": true, "done": true,
}

// Fields returns the words of command when it is a single simple command
// of bare words (letters, digits and _-./,:@+%) separated by spaces and
// tabs: the one form that sh reads by splitting alone. ok is false for
// anything else (quotes, operators, redirections, $, a reserved word
// first), which needs a parser.
func Fields(command string) (args []Arg, ok bool) {
	for i := 0; i < len(command); i++ {
		if c := command[i]; c != ' ' && c != '\t' && !bare(c) {
			return nil, false
		}
	}
	// Only spaces and tabs are left to split on: strings.Fields's other
	// white space (\v, \f, \r, Unicode) is not bare and was refused.
	words := strings.Fields(command)
	if len(words) == 0 || reserved[words[0]] {
		return nil, false
	}
	args = make([]Arg, len(words))
	for i, w := range words {
		args[i].Value = w
	}
	return args, true
}
