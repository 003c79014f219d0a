package crontab

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

// TestDiffSameAsFullDiff: leaving out the common head and tail before
// diffing changes nothing in the diff, hunk line numbers included.
func TestDiffSameAsFullDiff(t *testing.T) {
	filler := strings.Repeat("# filler\n0 0 * * * /bin/true\n", 20)
	two, _, _ := Splice(filler, "one", []string{"@daily 1"})
	two, _, _ = Splice(two+filler, "two", []string{"@daily 2", "@reboot 2"})
	cases := []struct {
		old string
		c   Change
	}{
		{"", Change{Name: "bot", Lines: []string{"@daily x"}}},
		{foreign, Change{Name: "bot", Lines: []string{"@daily x"}}},
		{filler + "# unfinished", Change{Name: "bot", Lines: []string{"@daily x"}}},
		{two, Change{Name: "one", Lines: []string{"@hourly 1", "@reboot 1"}}},
		{two, Change{Name: "two", Lines: []string{"@hourly 2"}}},
		{two, Change{Name: "one", Remove: true}},
		{two, Change{Name: "two", Remove: true}},
		{block("only", "@daily o"), Change{Name: "only", Remove: true}},
		{block("a", "@daily a") + block("b", "@daily b"), Change{Name: "a", Lines: []string{"@daily A"}}},
	}
	for i, tc := range cases {
		p, err := plan(tc.old, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: diffLines(p.Old), B: diffLines(p.New),
			FromFile: "crontab (current)", ToFile: "crontab (new)", Context: 3,
		})
		if got := p.Diff(); got != full {
			t.Errorf("case %d: diff\n%s\nwant\n%s", i, got, full)
		}
	}
}

// TestDiffAppliesRandom holds Diff to being a correct unified diff for
// random edits of repetitive texts (where a change can be placed in more
// than one way, so the hunks may differ from difflib's on the whole texts),
// with and without a final newline: applied to Old at the line numbers of
// its hunk headers, it gives New.
func TestDiffAppliesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"# filler", "0 0 * * * /bin/true", "", "x", "x\r"}
	text := func(lines []string, nl bool) string {
		s := strings.Join(lines, "\n")
		if nl && len(lines) > 0 {
			s += "\n"
		}
		return s
	}
	pick := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return out
	}
	for i := 0; i < 5000; i++ {
		old := pick(r.IntN(300))
		from := r.IntN(len(old) + 1)
		to := from + r.IntN(min(len(old)-from, 8)+1)
		edited := append(append(append([]string{}, old[:from]...), pick(r.IntN(5))...), old[to:]...)
		p := &Plan{Old: text(old, r.IntN(4) > 0), New: text(edited, r.IntN(4) > 0)}
		d := p.Diff()
		if (d == "") != (p.Old == p.New) {
			t.Fatalf("old %q\nnew %q\ndiff %q", p.Old, p.New, d)
		}
		if d == "" {
			continue
		}
		got, err := applyDiff(diffLines(p.Old), d)
		if err != nil || strings.Join(got, "") != strings.Join(diffLines(p.New), "") {
			t.Fatalf("old %q\nnew %q\ndiff\n%s\napplied: %q, %v", p.Old, p.New, d, strings.Join(got, ""), err)
		}
	}
}

// applyDiff applies a unified diff made by Diff to a, lines as diffLines
// cuts them; every context and removed line must be where its hunk header
// says.
func applyDiff(a []string, diff string) ([]string, error) {
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return nil, fmt.Errorf("no diff header")
	}
	var out []string
	next := 0 // the next line of a not yet copied
	for i := 2; i < len(lines) && lines[i] != ""; {
		m := hunkHeader().FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			return nil, fmt.Errorf("hunk header %q", lines[i])
		}
		from, _ := strconv.Atoi(m[1])
		fromN := 1
		if m[2] != "" {
			fromN, _ = strconv.Atoi(m[2][1:])
		}
		i++
		if fromN > 0 {
			from-- // 1-based, or the line after which an empty side goes
		}
		if from < next {
			return nil, fmt.Errorf("hunk at %d overlaps", from+1)
		}
		out = append(out, a[next:from]...)
		next = from
		for ; i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@"); i++ {
			kind, l := lines[i][0], lines[i][1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\ No newline") {
				l += lines[i+1]
				i++
			}
			switch kind {
			case ' ', '-':
				if next >= len(a) || a[next] != l {
					return nil, fmt.Errorf("line %d is not %q, as the hunk says", next+1, l)
				}
				next++
				if kind == ' ' {
					out = append(out, l)
				}
			case '+':
				out = append(out, l)
			default:
				return nil, fmt.Errorf("diff line %q", lines[i])
			}
		}
	}
	return append(out, a[next:]...), nil
}
