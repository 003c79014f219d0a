package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailure  = 1   // a runtime failure: crontab unreadable, a check failed
	exitUsage    = 2   // bad input: nothing was written
	exitCanceled = 130 // the user pressed Ctrl-C at a prompt
)

// usageError is bad input that is not about one Spec field: a missing
// --yes, an unknown subcommand, conflicting flags. It exits 2.
type usageError struct {
	msg   string
	hints []string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) *usageError {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func (e *usageError) hint(format string, args ...any) *usageError {
	e.hints = append(e.hints, fmt.Sprintf(format, args...))
	return e
}

// quietExit ends a command with an exit status after it has said all there
// is to say (lint's findings, say).
type quietExit int

func (e quietExit) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// errCanceled is returned when the user interrupts a prompt.
var errCanceled = errors.New("canceled")

// report prints err the way every mkdaemon error looks and returns the exit
// status it calls for.
func report(stderr io.Writer, err error) int {
	if errors.Is(err, errCanceled) {
		fmt.Fprintln(stderr, "mkdaemon: canceled, nothing was written")
		return exitCanceled
	}
	var se *spec.Error
	var ue *usageError
	var qe quietExit
	switch {
	case errors.As(err, &qe):
		return int(qe)
	case errors.As(err, &se):
		fmt.Fprintf(stderr, "mkdaemon: error: %s\n", se.Error())
		if se.Hint != "" {
			fmt.Fprintf(stderr, "mkdaemon: hint: %s\n", se.Hint)
		}
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mkdaemon: error: %s\n", ue.msg)
		for _, h := range ue.hints {
			fmt.Fprintf(stderr, "mkdaemon: hint: %s\n", h)
		}
		return exitUsage
	}
	fmt.Fprintf(stderr, "mkdaemon: error: %s\n", strings.TrimSpace(err.Error()))
	return exitFailure
}
