package check

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The dry run is the crontab command with `--test --verbose` inserted right
// after start-stop-daemon's `--start` (or `-S`), and with its `--quiet` (or
// `-q`) options removed: start-stop-daemon lets the later of --quiet and
// --verbose win, and the generated line has --quiet after --start, so it
// would silence the very answer the dry run asks for. Options after `--`
// belong to the program and are never touched. Grouped short options such as
// `-Sq` are not recognised.

var errNoStart = errors.New("no --start option of start-stop-daemon in the command")

// isStart and isQuiet name the option words the dry run rewrites.
func isStart(w string) bool { return w == "--start" || w == "-S" }
func isQuiet(w string) bool { return w == "--quiet" || w == "-q" }

// dryRunArgv rewrites a start-stop-daemon argv.
func dryRunArgv(argv []string) ([]string, error) {
	out := make([]string, 0, len(argv)+2)
	found, options := false, true
	for _, a := range argv {
		switch {
		case !options:
		case a == "--":
			options = false
		case !found && isStart(a):
			found = true
			out = append(out, a, "--test", "--verbose")
			continue
		case isQuiet(a):
			continue
		}
		out = append(out, a)
	}
	if !found {
		return nil, fmt.Errorf("%w: %q", errNoStart, strings.Join(argv, " "))
	}
	return out, nil
}

// dryRunCommand rewrites a POSIX sh command line. It parses the line, so a
// `--start` inside a quoted argument or after `--` is left alone, and edits
// the original text, so everything else stays byte for byte what cron runs.
func dryRunCommand(command string) (string, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		return "", fmt.Errorf("the command is not valid POSIX sh: %w", err)
	}
	type edit struct {
		from, to uint // byte range replaced
		text     string
	}
	var edits []edit
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(edits) > 0 {
			return len(edits) == 0
		}
		start := -1
		for i, w := range call.Args {
			lit := w.Lit()
			if start < 0 {
				if isStart(lit) {
					start = i
					at := w.End().Offset()
					edits = append(edits, edit{at, at, " --test --verbose"})
				}
				continue
			}
			if lit == "--" {
				break
			}
			if isQuiet(lit) {
				// Remove the word and the blank before it.
				edits = append(edits, edit{call.Args[i-1].End().Offset(), w.End().Offset(), ""})
			}
		}
		return len(edits) == 0
	})
	if len(edits) == 0 {
		return "", fmt.Errorf("%w: %q", errNoStart, command)
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	for _, e := range edits {
		command = command[:e.from] + e.text + command[e.to:]
	}
	return command, nil
}

// quoteArgv renders an argv as one POSIX sh command line.
func quoteArgv(argv []string) (string, error) {
	words := make([]string, len(argv))
	for i, a := range argv {
		q, err := syntax.Quote(a, syntax.LangPOSIX)
		if err != nil {
			return "", fmt.Errorf("argument %q cannot be quoted for /bin/sh: %w", a, err)
		}
		words[i] = q
	}
	return strings.Join(words, " "), nil
}
