package lint

import (
	"path"
	"slices"
	"strings"
)

// A wrapper is a program that runs the command named after its own
// options and operands: `nice -n 10 PROGRAM ARGS`, `flock -w 5 LOCK
// PROGRAM ARGS`.
type wrapper struct {
	valued   []string // the options that take the next word as their value
	operands int      // the words after the options and before the command
}

var wrappers = map[string]wrapper{
	"nohup":   {},
	"setsid":  {},
	"exec":    {},
	"nice":    {valued: []string{"-n", "--adjustment"}},
	"ionice":  {valued: []string{"-c", "--class", "-n", "--classdata"}},
	"env":     {valued: []string{"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}},
	"timeout": {valued: []string{"-s", "--signal", "-k", "--kill-after"}, operands: 1},
	"flock":   {valued: []string{"-w", "--wait", "--timeout", "-E", "--conflict-exit-code"}, operands: 1},
}

// unwrap returns the words from the program that a chain of wrappers
// runs: `nice -n 10 flock -n LOCK bot.py --wiki en` gives `bot.py --wiki
// en`. Words that are no wrapper come back as they are. It returns nil
// when a wrapper runs no program named by a word (flock LOCK -c 'sh
// string', env -S 'words').
func unwrap(words []string) []string {
	for len(words) > 0 {
		if _, ok := wrappers[path.Base(words[0])]; !ok {
			return words
		}
		words = unwrapOne(words)
	}
	return words
}

// unwrapOne drops words[0], a wrapper, with its options and operands.
func unwrapOne(words []string) []string {
	name := path.Base(words[0])
	w := wrappers[name]
	words = words[1:]
	for len(words) > 0 && strings.HasPrefix(words[0], "-") {
		opt := words[0]
		words = words[1:]
		if opt == "--" {
			break
		}
		if slices.Contains(w.valued, opt) && len(words) > 0 {
			words = words[1:]
		}
	}
	for name == "env" && len(words) > 0 && strings.Contains(words[0], "=") {
		words = words[1:] // NAME=VALUE
	}
	if len(words) < w.operands {
		return nil
	}
	words = words[w.operands:]
	if len(words) > 0 && strings.HasPrefix(words[0], "-") {
		return nil // flock LOCK -c COMMAND: sh runs a string
	}
	return words
}
