package crontab

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzSplice checks the promises of the managed-block functions on any
// crontab text and any block: install then remove gives the original bytes
// back (with a final newline added if it had none), installing twice is
// installing once, and Blocks finds what was installed. The seed corpus in
// testdata/fuzz/FuzzSplice runs on every `go test`; search further with
// `go test -fuzz FuzzSplice ./internal/crontab`.
//
// lines holds the block's lines separated by NUL bytes.
func FuzzSplice(f *testing.F) {
	f.Fuzz(func(t *testing.T, text, name, lines string) {
		block := strings.Split(lines, "\x00")
		before, beforeErr := Blocks(text)
		got, act, err := Splice(text, name, block)
		if err != nil {
			var me *MarkerError
			bad := checkName(name) != nil || checkLines(block) != nil
			if !bad && !(errors.As(err, &me) && beforeErr != nil) {
				t.Fatalf("Splice refused valid input: %v", err)
			}
			return
		}
		if beforeErr != nil {
			t.Fatalf("Splice accepted a text Blocks refuses (%v)", beforeErr)
		}
		if act != Unchanged && !strings.HasSuffix(got, "\n") {
			t.Fatalf("result %q does not end with a newline", got)
		}

		// Blocks finds it, with the same lines, and every other block
		// unchanged and in the same order.
		after, err := Blocks(got)
		if err != nil {
			t.Fatalf("Blocks of the result: %v", err)
		}
		var found *Block
		var othersBefore, othersAfter []string
		for i := range after {
			if after[i].Name == name {
				found = &after[i]
			} else {
				othersAfter = append(othersAfter, after[i].Name+"\x00"+strings.Join(after[i].Lines, "\x00"))
			}
		}
		existed := false
		for _, b := range before {
			if b.Name == name {
				existed = true
			} else {
				othersBefore = append(othersBefore, b.Name+"\x00"+strings.Join(b.Lines, "\x00"))
			}
		}
		if found == nil || !slices.Equal(found.Lines, block) {
			t.Fatalf("Blocks of the result does not hold %q with %q: %+v", name, block, after)
		}
		if !slices.Equal(othersBefore, othersAfter) {
			t.Fatalf("other blocks changed: %q -> %q", othersBefore, othersAfter)
		}
		wantAct := Installed
		if existed {
			wantAct = Updated
		}
		if act != wantAct && act != Unchanged {
			t.Fatalf("action %v, want %v", act, wantAct)
		}
		if act == Unchanged && got != text {
			t.Fatalf("Unchanged but the text changed")
		}

		// Installing twice is installing once.
		again, act2, err := Splice(got, name, block)
		if err != nil || again != got || act2 != Unchanged {
			t.Fatalf("second Splice: %v, %v, same=%v", act2, err, again == got)
		}

		// Install then remove gives back the original bytes.
		removed, err := Remove(got, name)
		if err != nil {
			t.Fatalf("Remove: %v", err)
		}
		if existed {
			orig, err := Remove(text, name)
			if err != nil || removed != orig {
				t.Fatalf("Remove after update = %q, want %q (%v)", removed, orig, err)
			}
			return
		}
		want := text
		if want != "" && !strings.HasSuffix(want, "\n") {
			want += "\n"
		}
		if removed != want {
			t.Fatalf("install then remove:\n%q\nwant\n%q", removed, want)
		}
	})
}
