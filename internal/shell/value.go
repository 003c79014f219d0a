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
