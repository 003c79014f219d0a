package wizard

// This is the only file in mkdaemon that imports survey. Upstream no longer
// maintains it; replacing it means rewriting this file against Prompter.

import (
	"errors"
	"io"
	"os"
	"regexp"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Terminal is a Prompter that asks on a terminal with survey.
type Terminal struct {
	in  *reportReader
	out *os.File
}

// NewTerminal asks on in and out, which must be a terminal. noColor turns
// colours off (NO_COLOR); survey keeps that setting in a package variable,
// so it applies to every prompt of the process.
func NewTerminal(in, out *os.File, noColor bool) *Terminal {
	if noColor {
		core.DisableColor = true
	}
	return &Terminal{in: &reportReader{f: in}, out: out}
}

// cursorReport is a terminal's answer to "where is the cursor?" (CPR).
var cursorReport = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\x1b\[[0-9]+;[0-9]+R`) })

// reportReader hands survey its input one cursor position report at a
// time. Before reading a line, survey asks the terminal where the cursor is
// and reads the answer with a fresh bufio.Reader, dropping whatever came in
// the same read after it: keys typed or pasted just as a question appears
// would be lost. Ending each read at the end of a report keeps them for the
// next read.
type reportReader struct {
	f   *os.File
	buf []byte
}

func (r *reportReader) Fd() uintptr { return r.f.Fd() }

func (r *reportReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		b := make([]byte, len(p))
		n, err := r.f.Read(b)
		if n == 0 {
			return 0, err
		}
		r.buf = b[:n]
	}
	end := len(r.buf)
	if loc := cursorReport().FindIndex(r.buf); loc != nil {
		end = loc[1]
	}
	n := copy(p, r.buf[:end])
	r.buf = r.buf[n:]
	return n, nil
}

func (t *Terminal) opts(validate func(string) error) []survey.AskOpt {
	opts := []survey.AskOpt{survey.WithStdio(t.in, t.out, t.out)}
	if validate != nil {
		opts = append(opts, survey.WithValidator(func(ans any) error {
			s, _ := ans.(string)
			return validate(s)
		}))
	}
	return opts
}

// Input implements Prompter.
func (t *Terminal) Input(q Input) (string, error) {
	p := &survey.Input{Message: q.Message, Default: q.Default, Help: q.Help, Suggest: q.Complete}
	var ans string
	err := survey.AskOne(p, &ans, t.opts(q.Validate)...)
	return ans, canceled(err)
}

// Select implements Prompter.
func (t *Terminal) Select(q Select) (string, error) {
	p := &survey.Select{Message: q.Message, Options: q.Options, Help: q.Help}
	if q.Default != "" {
		p.Default = q.Default
	}
	var ans string
	err := survey.AskOne(p, &ans, t.opts(nil)...)
	return ans, canceled(err)
}

// Confirm implements Prompter.
func (t *Terminal) Confirm(q Confirm) (bool, error) {
	p := &survey.Confirm{Message: q.Message, Default: q.Default, Help: q.Help}
	var ans bool
	err := survey.AskOne(p, &ans, t.opts(nil)...)
	return ans, canceled(err)
}

// canceled maps Ctrl-C, and the end of input (the terminal went away), to
// ErrCanceled.
func canceled(err error) error {
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, io.EOF) {
		return ErrCanceled
	}
	return err
}
