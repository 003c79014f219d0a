// Command mkdaemon makes a program keep running on a Unix account: it
// writes, checks and installs the start-stop-daemon line and crontab entry
// that start the program whenever it is not running.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
