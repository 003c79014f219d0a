package main

import (
	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// install puts the entry into the crontab. Installing lands with the
// install issue; until then it refuses clearly, before anything is written.
func (a *app) install(cmd *cobra.Command, f *specFlags, r *spec.Resolved, e entry.Entry) error {
	return usagef("installing into the crontab is not available yet").
		hint("use --print and add the crontab line with crontab -e")
}
