// Package crontab is the crontab file and the crontab command: lines and
// their escapes, the blocks mkdaemon manages, the real crontab binary behind
// the Tab interface, and the Installer that changes one account's crontab
// under a lock, with a backup and a read-back.
package crontab

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Managed blocks are how mkdaemon finds its own entries among the user's
// lines: every daemon's lines sit between two marker comments that carry its
// name,
//
//	# BEGIN mkdaemon NAME
//	... schedule line (and @reboot line)
//	# END mkdaemon NAME
//
// The functions here work on the text as Tab.Read returns it and never
// change a byte outside the block they edit, with one exception: a
// text whose last line has no newline gets one, because every result ends
// with "\n" (Debian's crontab refuses a job line without it, and a block
// appended after such a line would otherwise be glued to it).
const (
	beginPrefix = "# BEGIN mkdaemon "
	endPrefix   = "# END mkdaemon "
)

// Block is one managed block as found in a crontab.
type Block struct {
	Name  string
	Lines []string // the lines between the markers, without newlines
	Start int      // 1-based line number of the BEGIN marker
}

// Action says what a change did to the crontab.
type Action string

const (
	Installed Action = "installed" // a new block was appended
	Updated   Action = "updated"   // an existing block was replaced in place
	Unchanged Action = "unchanged" // the block was already exactly so
	Removed   Action = "removed"   // the block was taken out
)

// MarkerError reports managed-block markers that do not pair up. Nothing is
// changed when it is returned: the user has to repair the crontab first,
// since guessing where a block ends could delete their lines.
type MarkerError struct {
	Line   int // 1-based
	Text   string
	Reason string
}

func (e *MarkerError) Error() string {
	return fmt.Sprintf("crontab line %d %q: %s; mkdaemon changed nothing: fix the markers with `crontab -e`", e.Line, e.Text, e.Reason)
}

// NotFoundError is returned by Remove for a name that has no block.
type NotFoundError struct {
	Name  string
	Known []string // names of the blocks that do exist
}

func (e *NotFoundError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no mkdaemon entry named %q: the crontab holds no mkdaemon entries", e.Name)
	}
	return fmt.Sprintf("no mkdaemon entry named %q; known entries: %s", e.Name, strings.Join(e.Known, ", "))
}

// ErrBadName is wrapped by errors about names that cannot be put in a marker.
var ErrBadName = errors.New("invalid block name")

// checkName refuses names a marker line cannot carry unambiguously.
func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: the name is empty", ErrBadName)
	case strings.ContainsAny(name, "\n\r"):
		return fmt.Errorf("%w %q: it contains a line break", ErrBadName, name)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%w %q: it starts or ends with white space", ErrBadName, name)
	}
	return nil
}

// checkLines refuses block content that would break the block structure.
func checkLines(lines []string) error {
	for i, l := range lines {
		if strings.Contains(l, "\n") {
			return fmt.Errorf("block line %d %q contains a newline", i+1, l)
		}
		if strings.HasPrefix(l, beginPrefix) || strings.HasPrefix(l, endPrefix) {
			return fmt.Errorf("block line %d %q looks like a mkdaemon marker", i+1, l)
		}
	}
	return nil
}

// span is a parsed block with its place in the text.
type span struct {
	Block
	from, to int // byte offsets: the BEGIN line's start, just past the END line
}

// eachLine calls f with every line of text (without its newline), its
// 1-based number and its start offset, and the offset just past it
// (newline included). A final newline does not start another line. It
// stops when f returns false.
func eachLine(text string, f func(n, from, to int, line string) bool) {
	n := 0
	for from := 0; from < len(text); {
		n++
		end := strings.IndexByte(text[from:], '\n')
		to := len(text)
		line := text[from:]
		if end >= 0 {
			line, to = text[from:from+end], from+end+1
		}
		if !f(n, from, to, line) {
			return
		}
		from = to
	}
}

// splitLines cuts text into lines without their newlines.
func splitLines(text string) []string {
	var lines []string
	eachLine(text, func(_, _, _ int, l string) bool { lines = append(lines, l); return true })
	return lines
}

// terminated returns text with a final newline, unless it is empty.
func terminated(text string) string {
	if text == "" || strings.HasSuffix(text, "\n") {
		return text
	}
	return text + "\n"
}

// parse finds every managed block. Markers must be exact lines; a BEGIN
// inside a block, an END without its BEGIN, a BEGIN without its END and two
// blocks of one name are all errors.
func parse(text string) ([]span, error) {
	var (
		spans    []span
		open     = false
		cur      span
		seen     = map[string]int{}
		firstErr error
	)
	fail := func(n int, line, reason string) bool {
		firstErr = &MarkerError{Line: n, Text: line, Reason: reason}
		return false
	}
	eachLine(text, func(n, from, to int, l string) bool {
		// A marker saved with CRLF (a crontab edited on Windows) is the
		// same marker: the CR is its line ending, not part of the name.
		if marker := strings.TrimSuffix(l, "\r"); strings.HasPrefix(marker, beginPrefix) || strings.HasPrefix(marker, endPrefix) {
			l = marker
		}
		switch {
		case strings.HasPrefix(l, beginPrefix):
			name := strings.TrimPrefix(l, beginPrefix)
			if open {
				return fail(n, l, fmt.Sprintf("a BEGIN inside the block opened at line %d, which has no END", cur.Start))
			}
			if err := checkName(name); err != nil {
				return fail(n, l, err.Error())
			}
			if first, dup := seen[name]; dup {
				return fail(n, l, fmt.Sprintf("a second block named %q (the first is at line %d)", name, first))
			}
			seen[name] = n
			open = true
			cur = span{Block: Block{Name: name, Start: n, Lines: []string{}}, from: from}
		case strings.HasPrefix(l, endPrefix):
			name := strings.TrimPrefix(l, endPrefix)
			if !open {
				return fail(n, l, "an END without its BEGIN")
			}
			if name != cur.Name {
				return fail(n, l, fmt.Sprintf("it closes %q but the block opened at line %d is %q", name, cur.Start, cur.Name))
			}
			cur.to = to
			spans = append(spans, cur)
			open = false
		case open:
			cur.Lines = append(cur.Lines, l)
		}
		return true
	})
	if firstErr != nil {
		return nil, firstErr
	}
	if open {
		return nil, &MarkerError{Line: cur.Start, Text: beginPrefix + cur.Name, Reason: "a BEGIN without its END"}
	}
	return spans, nil
}

// Blocks returns the managed blocks of a crontab in the order they appear.
func Blocks(text string) ([]Block, error) {
	spans, err := parse(text)
	if err != nil {
		return nil, err
	}
	blocks := make([]Block, len(spans))
	for i, s := range spans {
		blocks[i] = s.Block
	}
	return blocks, nil
}

// Splice puts the block name with the given lines into text: an existing
// block is replaced where it stands, a new one is appended at the end. It
// reports Unchanged, and returns text itself, when the block is already
// exactly so: there is nothing to write then, so not even a missing final
// newline is added.
func Splice(text, name string, lines []string) (string, Action, error) {
	if err := checkName(name); err != nil {
		return "", "", err
	}
	if err := checkLines(lines); err != nil {
		return "", "", err
	}
	spans, err := parse(text)
	if err != nil {
		return "", "", err
	}
	block := blockText(name, lines)

	for _, s := range spans {
		if s.Name != name {
			continue
		}
		if slices.Equal(s.Lines, lines) {
			return text, Unchanged, nil
		}
		return terminated(text[:s.from] + block + text[s.to:]), Updated, nil
	}
	return terminated(text) + block, Installed, nil
}

// SpliceAt puts the new block name with the given lines in place of line n
// of text (1-based), which must read want, and keeps every other byte. A
// block of that name must not exist yet, and the line must not be inside a
// managed block.
func SpliceAt(text, name string, lines []string, n int, want string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if err := checkLines(lines); err != nil {
		return "", err
	}
	spans, err := parse(text)
	if err != nil {
		return "", err
	}
	from, to := -1, -1
	eachLine(text, func(i, f, t int, l string) bool {
		if i == n {
			if l == want {
				from, to = f, t
			}
			return false
		}
		return true
	})
	if from < 0 {
		return "", fmt.Errorf("line %d of the crontab no longer reads %q", n, want)
	}
	for _, s := range spans {
		switch {
		case s.Name == name:
			return "", fmt.Errorf("the crontab already has an entry named %s", name)
		case s.from <= from && from < s.to:
			return "", fmt.Errorf("line %d is inside the entry %s, which mkdaemon already manages", n, s.Name)
		}
	}
	return text[:from] + blockText(name, lines) + text[to:], nil
}

// blockText is the managed block name with its markers.
func blockText(name string, lines []string) string {
	var b strings.Builder
	b.WriteString(beginPrefix + name + "\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(endPrefix + name + "\n")
	return b.String()
}

// Remove takes the block name out of text, leaving every other byte. It
// returns a *NotFoundError listing the known names when there is no such
// block.
func Remove(text, name string) (string, error) {
	spans, err := parse(text)
	if err != nil {
		return "", err
	}
	var known []string
	for _, s := range spans {
		if s.Name == name {
			return terminated(text[:s.from] + text[s.to:]), nil
		}
		known = append(known, s.Name)
	}
	return "", &NotFoundError{Name: name, Known: known}
}
