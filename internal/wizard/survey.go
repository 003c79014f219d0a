package wizard

// This is the only file in mkdaemon that imports survey. Upstream no longer
// maintains it; replacing it means rewriting this file against Prompter.

import (
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Terminal is a Prompter that asks on a terminal with survey.
type Terminal struct {
	in, out *os.File
}

// NewTerminal asks on in and out, which must be a terminal. noColor turns
// colours off (NO_COLOR); survey keeps that setting in a package variable,
// so it applies to every prompt of the process.
func NewTerminal(in, out *os.File, noColor bool) *Terminal {
	if noColor {
		core.DisableColor = true
	}
	return &Terminal{in: in, out: out}
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
