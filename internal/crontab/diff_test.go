package crontab

import (
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
