// Command mkdaemon-full is the whole mkdaemon command line: the wizard,
// installing, list, remove, check, export, scaffold and shell completion.
// Users run mkdaemon, which prints entries itself and executes this program,
// installed next to it, for everything else (see cmd/mkdaemon).
package main

import (
	"os"

	"github.com/mkdaemon/mkdaemon/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
