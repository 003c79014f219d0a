package check

import (
	"errors"
	"fmt"
	"path"
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

var errNoStart = errors.New("no start-stop-daemon --start in the command")

// isSSD, isStart and isQuiet name the words the dry run looks for.
func isSSD(w string) bool   { return path.Base(w) == "start-stop-daemon" }
func isStart(w string) bool { return w == "--start" || w == "-S" }
func isQuiet(w string) bool { return w == "--quiet" || w == "-q" }

// optionWords returns the index of the start-stop-daemon word in words and
// the end of its options (the index of "--", or len(words)); -1 when there
// is no start-stop-daemon.
func optionWords(words []string) (ssd, end int) {
	ssd = -1
	for i, w := range words {
		if isSSD(w) {
			ssd = i
			break
		}
	}
	if ssd < 0 {
		return -1, 0
	}
	for end = ssd + 1; end < len(words) && words[end] != "--"; end++ {
	}
	return ssd, end
}

// dryRunArgv rewrites a start-stop-daemon argv.
func dryRunArgv(argv []string) ([]string, error) {
	ssd, end := optionWords(argv)
	out := make([]string, 0, len(argv)+2)
	found := false
	for i, a := range argv {
		if i > ssd && i < end {
			if !found && isStart(a) {
				found = true
				out = append(out, a, "--test", "--verbose")
				continue
			}
			if isQuiet(a) {
				continue
			}
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
	found := false
	var cut uint // the end of the statement of the start-stop-daemon call
	syntax.Walk(f, func(n syntax.Node) bool {
		if st, ok := n.(*syntax.Stmt); ok && !found {
			if _, ok := st.Cmd.(*syntax.CallExpr); ok {
				cut = st.End().Offset()
			}
			return true
		}
		call, ok := n.(*syntax.CallExpr)
		if !ok || found {
			return !found
		}
		words := make([]string, len(call.Args))
		for i, w := range call.Args {
			words[i] = w.Lit() // "" unless the word is one plain literal
		}
		ssd, end := optionWords(words)
		var quiet []edit
		for i := ssd + 1; ssd >= 0 && i < end; i++ {
			w := call.Args[i]
			switch {
			case !found && isStart(words[i]):
				found = true
				at := w.End().Offset()
				edits = append(edits, edit{at, at, " --test --verbose"})
			case isQuiet(words[i]):
				// Remove the word and the blank before it.
				quiet = append(quiet, edit{call.Args[i-1].End().Offset(), w.End().Offset(), ""})
			}
		}
		if found {
			edits = append(edits, quiet...)
		}
		return !found
	})
	if !found {
		return "", fmt.Errorf("%w: %q", errNoStart, command)
	}
	// From the end backwards, so that earlier offsets stay valid; at the
	// same offset the removal after --start goes before the insertion.
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].from != edits[j].from {
			return edits[i].from > edits[j].from
		}
		return edits[i].to > edits[j].to
	})
	// What follows the call runs only when it starts something (the
	// record of starts, --notify): a dry run must not run it, since
	// `--test` exits 0 when it would start the daemon.
	command = command[:cut]
	for _, e := range edits {
		command = command[:e.from] + e.text + command[e.to:]
	}
	return command, nil
}
