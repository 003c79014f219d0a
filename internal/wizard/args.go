package wizard

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// SplitArgs reads a line of program arguments as bash would: quotes,
// backslashes, ~ (home) and brace expansion work as typed at a prompt. What the shell would take from its environment or from running
// something is refused instead, because cron runs the program with almost no
// environment: $VAR, $(...), `...`, $((...)). Glob characters stay literal:
// the program gets them as typed.
func SplitArgs(line, home string) ([]string, error) {
	p := syntax.NewParser()
	var words []*syntax.Word
	for w, err := range p.WordsSeq(strings.NewReader(line)) {
		if err != nil {
			return nil, fmt.Errorf("cannot read the arguments: %v; put characters the shell treats specially in single quotes", shortParseError(err))
		}
		words = append(words, w)
	}
	for _, w := range words {
		if err := literalOnly(w, line); err != nil {
			return nil, err
		}
	}
	cfg := &expand.Config{Env: expand.ListEnviron("HOME=" + home)}
	args, err := expand.Fields(cfg, words...)
	if err != nil {
		return nil, fmt.Errorf("cannot read the arguments: %v", err)
	}
	return args, nil
}

// literalOnly refuses the parts of a word that would need the shell's
// environment or a command to run.
func literalOnly(w *syntax.Word, line string) error {
	var bad syntax.Node
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob:
			if bad == nil {
				bad = n
			}
			return false
		}
		return bad == nil
	})
	if bad == nil {
		return nil
	}
	text := line[bad.Pos().Offset():bad.End().Offset()]
	return fmt.Errorf("%s would need a shell to expand it, and cron starts the program with only HOME, LOGNAME, PATH and SHELL set: write the value itself, or put it in single quotes to pass it literally", text)
}

// shortParseError drops the "1:5: " position prefix when the line is one
// line, which it always is here, and keeps the column.
func shortParseError(err error) string {
	if pe, ok := err.(syntax.ParseError); ok {
		return fmt.Sprintf("%s (at column %d)", pe.Text, pe.Pos.Col())
	}
	return err.Error()
}
