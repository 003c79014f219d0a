// Package shell quotes argument lists for POSIX /bin/sh, in a form that also
// survives cron's `%` handling.
//
// mvdan.cc/sh's syntax.Quote refuses tabs, other non-printable characters
// and invalid UTF-8 in POSIX mode, all of which are legal in arguments and
// file names, so quoting is done here with plain single quotes, which sh
// takes byte for byte; mvdan.cc/sh parses the result back in the tests.
package shell

import "strings"

// Quote returns s as one sh word. Words made only of characters sh never
// treats specially stay bare, for readability; a word with a single quote
// and nothing that double quotes treat specially ($ ` " \ !) is double
// quoted (it's -> "it's"); everything else is single quoted, with each
// single quote inside written as close-quote, escaped quote, open-quote.
//
// A backslash directly before a `%` is never produced: cron turns `\%` into
// `%` before the shell sees it, so such a pair is split by closing and
// reopening the quotes between them, and the crontab line can then escape
// every `%` alike. For the argument a\%b the word is:
//
//	'a\''%b'
func Quote(s string) string {
	if s != "" && isBare(s) {
		return s
	}
	// ! too: an interactive bash expands it in a pasted hint.
	if strings.Contains(s, "'") && !strings.ContainsAny(s, "$`\"\\!") {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			b.WriteString(`'\''`)
		case c == '%' && i > 0 && s[i-1] == '\\':
			b.WriteString(`''%`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Join quotes each argument and joins them with spaces: one sh command line.
func Join(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

func isBare(s string) bool {
	for i := 0; i < len(s); i++ {
		if !bare(s[i]) {
			return false
		}
	}
	return true
}

// bare reports whether sh never treats c specially.
func bare(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-./,:@+%", c) >= 0
}
