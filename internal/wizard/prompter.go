package wizard

import "errors"

// ErrCanceled is returned when the user interrupts a question (Ctrl-C) or
// chooses to cancel at the review. Nothing has been written by then.
var ErrCanceled = errors.New("canceled")

// Prompter asks one question at a time. survey.go implements it on a
// terminal; tests answer from a script. It is the only seam between the
// wizard and a prompt library, so replacing the library is one file.
//
// Every method returns ErrCanceled when the user interrupts.
type Prompter interface {
	Input(q Input) (string, error)
	Select(q Select) (string, error)
	Confirm(q Confirm) (bool, error)
}

// Input asks for a line of text.
type Input struct {
	Name    string // which question this is, for scripts and logs
	Message string
	Default string // returned when the user just presses Enter
	Help    string // shown on request
	// Validate is called with every answer (the default included when the
	// answer is empty); a non-nil error is shown under the question, which
	// is then asked again.
	Validate func(answer string) error
	// Complete returns the suggestions for what has been typed so far,
	// offered on Tab; nil offers none.
	Complete func(typed string) []string
}

// Select asks to choose one of Options and returns the chosen option.
type Select struct {
	Name    string
	Message string
	Options []string
	Default string // one of Options; "" means the first
	Help    string
}

// Confirm asks a yes/no question.
type Confirm struct {
	Name    string
	Message string
	Default bool
	Help    string
}
