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

// HomeValue is Value for a word that may also start with the home
// directory as sh writes it: ~ (alone or before a /), $HOME or ${HOME},
// bare or at the start of double quotes. sh takes that from HOME, which
// cron sets to home; ~user is still computed.
func HomeValue(w *syntax.Word, home string) (value string, ok bool) {
	if v, ok := Value(w); ok || home == "" || len(w.Parts) == 0 {
		return v, ok
	}
	// The same word with the home put in as a quoted literal, which
	// Value then reads like any other.
	quoted := &syntax.SglQuoted{Value: home}
	parts := make([]syntax.WordPart, 0, len(w.Parts)+1)
	switch p := w.Parts[0].(type) {
	case *syntax.Lit:
		if p.Value != "~" && !strings.HasPrefix(p.Value, "~/") {
			return "", false
		}
		parts = append(parts, quoted, &syntax.Lit{Value: p.Value[1:]})
	case *syntax.ParamExp:
		if !isHome(p) {
			return "", false
		}
		parts = append(parts, quoted)
	case *syntax.DblQuoted:
		if p.Dollar || len(p.Parts) == 0 {
			return "", false
		}
		if pe, ok := p.Parts[0].(*syntax.ParamExp); !ok || !isHome(pe) {
			return "", false
		}
		parts = append(parts, quoted, &syntax.DblQuoted{Parts: p.Parts[1:]})
	default:
		return "", false
	}
	return Value(&syntax.Word{Parts: append(parts, w.Parts[1:]...)})
}

// isHome reports whether p is $HOME or ${HOME} and nothing more.
func isHome(p *syntax.ParamExp) bool {
	name, ok := ParamName(p)
	return ok && name == "HOME"
}

// ParamName returns NAME when p is a plain $NAME or ${NAME}: a variable's
// value, with no default, length or pattern (the fields only zsh sets
// are never set in a POSIX parse). Special parameters ($1, $?, $@, ...)
// are not variables.
func ParamName(p *syntax.ParamExp) (string, bool) {
	if p.Param == nil || p.Excl || p.Length || p.Width || p.NestedParam != nil || p.Index != nil ||
		p.Slice != nil || p.Repl != nil || p.Names != 0 || p.Exp != nil {
		return "", false
	}
	name := p.Param.Value
	if name == "" {
		return "", false
	}
	c := name[0]
	return name, c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
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

// Args reads parsed words. With a home, they are read by HomeValue.
func Args(words []*syntax.Word, home string) []Arg {
	args := make([]Arg, len(words))
	for i, w := range words {
		v, ok := HomeValue(w, home)
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
