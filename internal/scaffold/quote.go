package scaffold

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// The quoting functions turn a value into a string literal of one language.
// The templates call them for every value they insert (names, paths): the
// values are never pasted into code raw, and never into comments, where PHP's
// "?>" or a newline would end the comment.
//
// Each of them refuses what cannot be represented safely: bytes that are not
// UTF-8, and control characters (NUL, newline, carriage return, ...). Those
// would also break the crontab line and the log, so no language gets them,
// even one whose literals could encode them.

// unsafeReason says why s cannot go into a skeleton, or "" when it can.
func unsafeReason(s string) string {
	if !utf8.ValidString(s) {
		return "it is not valid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("it contains the control character %U", r)
		}
	}
	return ""
}

func checkLiteral(s string) error {
	if why := unsafeReason(s); why != "" {
		return &spec.Error{Msg: fmt.Sprintf("%q cannot be written safely into a skeleton: %s", s, why)}
	}
	return nil
}

// goString is a Go interpreted string literal.
func goString(s string) (string, error) {
	if err := checkLiteral(s); err != nil {
		return "", err
	}
	return strconv.Quote(s), nil
}

// singleQuoted is a single-quoted literal in which only a backslash and a
// single quote need a backslash: Perl's '...' and PHP's '...' alike. Nothing
// else is special inside them ($, @, {, ?> included).
func singleQuoted(s string) (string, error) {
	if err := checkLiteral(s); err != nil {
		return "", err
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'", nil
}

// perlString is a Perl single-quoted string.
func perlString(s string) (string, error) { return singleQuoted(s) }

// phpString is a PHP single-quoted string.
func phpString(s string) (string, error) { return singleQuoted(s) }

// pyString is a Python str literal. With control characters refused, a
// single-quoted literal with backslash and quote escaped is exact; anything
// else, non-ASCII included, stands for itself in a UTF-8 source file.
func pyString(s string) (string, error) {
	if err := checkLiteral(s); err != nil {
		return "", err
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'", nil
}
