package cli

import "github.com/mkdaemon/mkdaemon/internal/entry"

// printEntry writes the entry for copy-paste (entry.Print).
func (a *app) printEntry(e entry.Entry, asJSON bool) error {
	return entry.Print(a.stdout, a.stderr, e, asJSON)
}

func (a *app) warn(warnings []string) { entry.Warn(a.stderr, warnings) }
