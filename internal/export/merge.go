package export

// Merging into a jobs.yaml follows the crontab's rule: never lose a byte
// that is not ours. The file is parsed only to find where the job of the
// same name starts and ends; the new text replaces those lines (or is
// added after the last job) and every other byte is copied as it was.
// Re-encoding the parsed document would normalise spacing, quoting and
// comments. The result is parsed again and compared with the original
// before anyone writes it.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MergeError is a jobs.yaml that MergeJobs will not edit. Line is 1-based,
// 0 when the problem is the whole file.
type MergeError struct {
	Line int
	Msg  string
}

func (e *MergeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// MergeJobs returns existing with job in it: the job of the same name is
// replaced, or job is appended after the last one. existing may be empty.
// It refuses, with a *MergeError, a file that is not one YAML list of
// jobs in block style ("- name: ..."), or that has two jobs of one name.
//
// The replaced region runs from the line of the old job's "-" to its last
// line; comments and blank lines right after it are kept unless the YAML
// shows they are part of its value. Comments inside the old job go with
// it.
func MergeJobs(existing []byte, job Job) ([]byte, error) {
	if err := job.Check(); err != nil {
		return nil, err
	}
	before, err := parseJobs(existing)
	if err != nil {
		return nil, err
	}
	lines := splitLines(existing)
	nl := "\n" // the new lines end like the file's first line
	if len(lines) > 0 {
		first := lines[0].text(existing)
		for _, br := range []string{"\r\n", "\r"} {
			if strings.HasSuffix(first, br) {
				nl = br
				break
			}
		}
	}

	target := -1
	for i, it := range before.items {
		if it.name == job.Name {
			target = i
		}
	}

	var start, end int
	indent := ""
	switch {
	case target >= 0:
		it := before.items[target]
		start = lines[it.dashLine].start
		if start == 0 && bytes.HasPrefix(existing, []byte("\ufeff")) {
			start = len("\ufeff") // the byte order mark stays
		}
		indent = it.indent
		limit := len(existing)
		if target+1 < len(before.items) {
			limit = lines[before.items[target+1].dashLine].start
		}
		end = before.itemEnd(existing, lines, it.dashLine, limit)
	default:
		if len(before.items) > 0 {
			indent = before.items[0].indent
		}
		start = appendPoint(existing, lines, before)
		end = start
	}

	text, err := job.itemText(indent, nl)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(existing) + len(text) + 2)
	out.Write(existing[:start])
	if target < 0 && start > 0 && !endsWithBreak(existing[:start]) {
		out.WriteString(nl) // the file did not end its last line
	}
	out.Write(text)
	out.Write(existing[end:])
	result := out.Bytes()

	if err := verifyMerge(before, result, job, target); err != nil {
		return nil, fmt.Errorf("merging job %s into jobs.yaml would change more than that job (%v); nothing was written: edit the file by hand", job.Name, err)
	}
	return result, nil
}

// jobsFile is a parsed jobs.yaml.
type jobsFile struct {
	items []jobItem
}

type jobItem struct {
	name     string
	value    any // the decoded job, to check that it comes through unchanged
	dashLine int // 0-based index of the line with the item's "-"
	indent   string
}

// parseJobs reads a jobs.yaml: empty, or one document holding a block
// sequence of mappings with distinct string names.
func parseJobs(data []byte) (f *jobsFile, err error) {
	defer func() {
		// The parser is not ours; a panic on odd input must not take the
		// program down with the user's file half read.
		if r := recover(); r != nil {
			f, err = nil, &MergeError{Msg: fmt.Sprintf("cannot parse the file as YAML: %v", r)}
		}
	}()
	if !utf8.Valid(data) {
		return nil, &MergeError{Msg: "the file is not UTF-8 text"}
	}
	root, err := decodeSingle(data)
	if err != nil {
		return nil, err
	}
	f = &jobsFile{}
	if root == nil || (root.Kind == yaml.ScalarNode && root.Tag == "!!null" && root.Value == "") {
		return f, nil // only comments, or an empty document
	}
	if root.Kind != yaml.SequenceNode {
		return nil, &MergeError{Line: root.Line, Msg: "a jobs.yaml is a list of jobs (- name: ...), this file holds " + kindName(root)}
	}
	if root.Style&yaml.FlowStyle != 0 {
		return nil, &MergeError{Line: root.Line, Msg: "the list of jobs is written in flow style ([...]); mkdaemon only edits block lists (- name: ...)"}
	}
	lines := splitLines(data)
	seen := map[string]int{}
	for i, n := range root.Content {
		if n.Kind != yaml.MappingNode {
			return nil, &MergeError{Line: n.Line, Msg: fmt.Sprintf("job %d is %s, not a mapping of keys (name: ..., command: ...)", i+1, kindName(n))}
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, &MergeError{Line: n.Line, Msg: fmt.Sprintf("job %d: %v", i+1, err)}
		}
		m, _ := v.(map[string]any)
		name, ok := m["name"].(string)
		if !ok {
			return nil, &MergeError{Line: n.Line, Msg: fmt.Sprintf("job %d has no name (a string)", i+1)}
		}
		if first, dup := seen[name]; dup {
			return nil, &MergeError{Line: n.Line, Msg: fmt.Sprintf("a second job named %s (the first is on line %d); Toolforge would refuse the file", name, first)}
		}
		seen[name] = n.Line
		dash, err := findDash(data, lines, n.Line-1)
		if err != nil {
			return nil, err
		}
		t := lines[dash].text(data)
		indent := t[:len(t)-len(strings.TrimLeft(t, " "))]
		f.items = append(f.items, jobItem{name: name, value: v, dashLine: dash, indent: indent})
	}
	return f, nil
}

// decodeSingle returns the root node of the only document in data, nil
// when there is none.
func decodeSingle(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, &MergeError{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, &MergeError{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		}
		return nil, &MergeError{Line: second.Line, Msg: "the file holds more than one YAML document (---); a jobs.yaml is one list of jobs"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias (*" + n.Value + ")"
	}
	return fmt.Sprintf("the value %q", n.Value)
}

// line is one line of the file: [start, end) with its line break.
type line struct{ start, end int }

func (l line) text(data []byte) string { return string(data[l.start:l.end]) }

// content is the line without its line break.
func (l line) content(data []byte) string {
	return strings.TrimRight(l.text(data), "\r\n\u0085\u2028\u2029")
}

// splitLines cuts data into lines the way yaml.v3 counts them: at \n, \r,
// \r\n, and the Unicode breaks NEL, LS and PS. A node's Line indexes this.
func splitLines(data []byte) []line {
	var ls []line
	start := 0
	for i := 0; i < len(data); {
		n := 0
		switch {
		case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
			n = 2
		case data[i] == '\n' || data[i] == '\r':
			n = 1
		case bytes.HasPrefix(data[i:], []byte("\u0085")):
			n = 2
		case bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
			n = 3
		}
		if n == 0 {
			i++
			continue
		}
		i += n
		ls = append(ls, line{start, i})
		start = i
	}
	if start < len(data) {
		ls = append(ls, line{start, len(data)})
	}
	return ls
}

// findDash returns the line of the "-" that starts the item whose node
// begins on line idx: that line itself ("- name: x"), or the nearest line
// above it past blank and comment lines ("-" alone, then the mapping).
func findDash(data []byte, lines []line, idx int) (int, error) {
	if idx < 0 || idx >= len(lines) {
		return 0, &MergeError{Line: idx + 1, Msg: "cannot find this job in the text"}
	}
	for i := idx; i >= 0; i-- {
		t := strings.TrimLeft(strings.TrimPrefix(lines[i].content(data), "\ufeff"), " ")
		if isDash(t) {
			return i, nil
		}
		// Going up from the mapping's own line, only blank and comment
		// lines may stand between it and its "-".
		if i < idx && t != "" && !strings.HasPrefix(t, "#") {
			break
		}
	}
	return 0, &MergeError{Line: idx + 1, Msg: "cannot find the - that starts this job; mkdaemon edits lists written as - name: ..."}
}

func endsWithBreak(b []byte) bool {
	for _, br := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		if bytes.HasSuffix(b, []byte(br)) {
			return true
		}
	}
	return false
}

func isDash(t string) bool {
	return t == "-" || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "-\t")
}

// isNonContent is a line that holds no YAML value: blank, a comment, or a
// document end marker.
func isNonContent(t string) bool {
	t = strings.TrimLeft(t, " \t")
	return t == "" || strings.HasPrefix(t, "#") || t == "..."
}

// itemEnd returns where the item starting on line dash ends: before the
// blank and comment lines that precede limit (the next item's "-" line or
// the end of the file), as long as leaving them out does not change what
// the file means. A line that only looks like a comment, inside a block
// scalar, is part of the value, and a parse of the file without it shows
// that.
func (f *jobsFile) itemEnd(data []byte, lines []line, dash, limit int) int {
	last := dash
	for i := dash; i < len(lines) && lines[i].start < limit; i++ {
		last = i
	}
	first := last + 1 // the first of the blank and comment lines before limit
	for first-1 > dash && isNonContent(lines[first-1].content(data)) {
		first--
	}
	var cuts []int // candidate ends, earliest first
	for i := first; i <= last; i++ {
		cuts = append(cuts, lines[i].start)
	}
	// Cutting out the lines from a candidate on keeps the meaning for
	// every candidate past the value's last line and for none before it
	// (trailing blank lines of a block scalar mean nothing either way):
	// a binary search finds the earliest, in few parses even after
	// thousands of comment lines.
	i := sort.Search(len(cuts), func(i int) bool {
		trial := append(append([]byte(nil), data[:cuts[i]]...), data[limit:]...)
		g, err := parseJobs(trial)
		return err == nil && sameItems(f.items, g.items)
	})
	if i < len(cuts) {
		return cuts[i]
	}
	return limit
}

// appendPoint is where a new job goes: at the end of the file, but before
// a document end marker (...) that follows the last job.
func appendPoint(data []byte, lines []line, f *jobsFile) int {
	from := 0
	if len(f.items) > 0 {
		from = f.items[len(f.items)-1].dashLine + 1
	}
	for i := from; i < len(lines); i++ {
		if strings.TrimRight(lines[i].content(data), " \t") == "..." {
			return lines[i].start
		}
	}
	return len(data)
}

func sameItems(a, b []jobItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name || !reflect.DeepEqual(a[i].value, b[i].value) {
			return false
		}
	}
	return true
}

// verifyMerge parses the merged file: it must hold the jobs it held, in
// their order, with job in place of the one it replaced (target) or after
// the last (target -1), exactly as job says.
func verifyMerge(before *jobsFile, result []byte, job Job, target int) error {
	after, err := parseJobs(result)
	if err != nil {
		return err
	}
	want := append([]jobItem(nil), before.items...)
	it := jobItem{name: job.Name, value: job.Value()}
	if target >= 0 {
		want[target] = it
	} else {
		want = append(want, it)
	}
	if len(after.items) != len(want) {
		return fmt.Errorf("it would hold %d jobs instead of %d", len(after.items), len(want))
	}
	for i := range want {
		if after.items[i].name != want[i].name || !reflect.DeepEqual(after.items[i].value, want[i].value) {
			return fmt.Errorf("job %d (%s) would read differently", i+1, want[i].name)
		}
	}
	return nil
}
