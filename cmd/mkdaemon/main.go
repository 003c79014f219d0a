// Command mkdaemon makes a program keep running on a Unix account: it
// writes, checks and installs the start-stop-daemon line and crontab entry
// that start the program whenever it is not running. The command line
// itself lives in internal/cli.
package main

import (
	"os"

	"github.com/mkdaemon/mkdaemon/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
