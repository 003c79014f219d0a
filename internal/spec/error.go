package spec

import (
	"fmt"
	"strings"
)

// Error is invalid input: it names the flag, the value and the fix. The CLI
// turns it into `mkdaemon: error: ...` and exit status 2.
type Error struct {
	Flag  string // "--interval", or "argument 2" for the program's arguments
	Value string // what was given; empty when nothing was
	Msg   string
	Hint  string // optional: what to do instead
}

func (e *Error) Error() string {
	switch {
	case e.Flag == "":
		return e.Msg
	case e.Value == "":
		return e.Flag + ": " + e.Msg
	default:
		return fmt.Sprintf("%s %s: %s", e.Flag, quoteValue(e.Value), e.Msg)
	}
}

// quoteValue shows a value as the user could type it back, quoted only
// when it needs to be.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\"'\\$`*?[]{}()<>|&;#~\x00") {
		return v
	}
	return fmt.Sprintf("%q", v)
}
