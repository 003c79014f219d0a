package wizard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/ptytest"
)

// These tests run the survey Prompter on a real pseudo-terminal and read
// the screen back through a terminal emulator.

type answerOf[T any] struct {
	v   T
	err error
}

func ask[T any](f func() (T, error)) chan answerOf[T] {
	c := make(chan answerOf[T], 1)
	go func() {
		v, err := f()
		c <- answerOf[T]{v, err}
	}()
	return c
}

func TestTerminalInputValidatesAndReasks(t *testing.T) {
	tm, pts := ptytest.Open(t, 120, 30)
	p := NewTerminal(pts, pts, true)
	got := ask(func() (string, error) {
		return p.Input(Input{Message: "Name:", Default: "bot", Validate: func(a string) error {
			if strings.Contains(a, "/") {
				return errors.New("a process name cannot contain /")
			}
			return nil
		}})
	})
	tm.WaitFor("Name: (bot)")
	tm.Type("a/b" + ptytest.Enter)
	tm.WaitFor("Sorry, your reply was invalid: a process name cannot contain /")
	tm.Type("ab" + ptytest.Enter)
	a := <-got
	if a.err != nil || a.v != "ab" {
		t.Fatalf("Input = %q, %v; want ab", a.v, a.err)
	}
}

func TestTerminalInputDefault(t *testing.T) {
	tm, pts := ptytest.Open(t, 120, 30)
	p := NewTerminal(pts, pts, true)
	got := ask(func() (string, error) { return p.Input(Input{Message: "Interval:", Default: "*/5 * * * *"}) })
	tm.WaitFor("Interval: (*/5 * * * *)")
	tm.Type(ptytest.Enter)
	if a := <-got; a.err != nil || a.v != "*/5 * * * *" {
		t.Fatalf("Input = %q, %v; want the default", a.v, a.err)
	}
}

func TestTerminalInputCompletesPathsOnTab(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"wikibot.py", "other.pl"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tm, pts := ptytest.Open(t, 120, 30)
	p := NewTerminal(pts, pts, true)
	got := ask(func() (string, error) {
		return p.Input(Input{Message: "Program:", Complete: func(s string) []string { return CompletePath(s, "/nonexistent", dir) }})
	})
	tm.WaitFor("Program:")
	tm.Type("wi" + ptytest.Tab)
	tm.WaitFor("[tab for suggestions] wikibot.py")
	tm.Type(ptytest.Enter)
	if a := <-got; a.err != nil || a.v != "wikibot.py" {
		t.Fatalf("Input = %q, %v; want wikibot.py", a.v, a.err)
	}
}

func TestTerminalCtrlCCancels(t *testing.T) {
	for _, kind := range []string{"input", "select", "confirm"} {
		t.Run(kind, func(t *testing.T) {
			tm, pts := ptytest.Open(t, 120, 30)
			p := NewTerminal(pts, pts, true)
			got := ask(func() (bool, error) {
				var err error
				switch kind {
				case "input":
					_, err = p.Input(Input{Message: "Question?"})
				case "select":
					_, err = p.Select(Select{Message: "Question?", Options: []string{"a", "b"}})
				case "confirm":
					_, err = p.Confirm(Confirm{Message: "Question?"})
				}
				return false, err
			})
			tm.WaitFor("Question?")
			tm.Type(ptytest.CtrlC)
			if a := <-got; !errors.Is(a.err, ErrCanceled) {
				t.Fatalf("after Ctrl-C: %v; want ErrCanceled", a.err)
			}
		})
	}
}

func TestTerminalSelectAndConfirm(t *testing.T) {
	tm, pts := ptytest.Open(t, 120, 30)
	p := NewTerminal(pts, pts, true)
	sel := ask(func() (string, error) {
		return p.Select(Select{Message: "Language:", Options: []string{"Go", "Perl", "PHP", "Python"}, Default: "Perl"})
	})
	tm.WaitFor("> Perl")
	tm.Type(ptytest.Down + ptytest.Enter)
	if a := <-sel; a.err != nil || a.v != "PHP" {
		t.Fatalf("Select = %q, %v; want PHP (one below the default)", a.v, a.err)
	}
	conf := ask(func() (bool, error) { return p.Confirm(Confirm{Message: "Install?", Default: false}) })
	tm.WaitFor("Install? (y/N)")
	tm.Type("y" + ptytest.Enter)
	if a := <-conf; a.err != nil || !a.v {
		t.Fatalf("Confirm = %v, %v; want true", a.v, a.err)
	}
}

// TestTerminalKeepsKeysThatArriveWithACursorReport feeds survey, in one
// chunk, the two cursor position reports it asks for before reading a line
// and the keys typed right after: survey alone drops the keys.
func TestTerminalKeepsKeysThatArriveWithACursorReport(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := w.WriteString("\x1b[30;120R\x1b[5;1Rwikibot.py\r"); err != nil {
		t.Fatal(err)
	}
	w.Close() // after the keys, the end of input: a lost key shows as ErrCanceled
	got, err := NewTerminal(r, out, true).Input(Input{Message: "Program:"})
	if err != nil || got != "wikibot.py" {
		t.Fatalf("Input = %q, %v; want the keys that came with the reports", got, err)
	}
}

func TestReportReaderEndsReadsAtReports(t *testing.T) {
	r, w, _ := os.Pipe()
	defer r.Close()
	w.WriteString("ab\x1b[3;4R\x1b[12;80Rcd")
	w.Close()
	rr := &reportReader{f: r}
	var reads []string
	buf := make([]byte, 64)
	for {
		n, err := rr.Read(buf)
		if err != nil {
			break
		}
		reads = append(reads, string(buf[:n]))
	}
	want := []string{"ab\x1b[3;4R", "\x1b[12;80R", "cd"}
	if strings.Join(reads, "|") != strings.Join(want, "|") {
		t.Errorf("reads %q; want %q", reads, want)
	}
}
