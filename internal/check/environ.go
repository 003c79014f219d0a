package check

import (
	"fmt"
	"os"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// job is how cron starts one job: the shell, its environment, and the
// directory it starts in.
type job struct {
	shell string
	env   []string
	dir   string
}

// cronJob is what Debian cron gives a job of the account a: spec.CronEnv,
// then the crontab's NAME=value settings above the job in order (a later
// one replaces an earlier one; HOME, PATH and SHELL may be replaced,
// LOGNAME may not). The job runs as $SHELL -c COMMAND in $HOME.
func cronJob(a spec.Account, settings []string) job {
	env := spec.CronEnv(a)
	for _, s := range settings {
		name, _, ok := strings.Cut(s, "=")
		if !ok || name == "LOGNAME" {
			continue
		}
		env = setEnv(env, s)
	}
	return job{shell: getEnv(env, "SHELL"), env: env, dir: getEnv(env, "HOME")}
}

// setEnv sets NAME=value in env, in place of an earlier value.
func setEnv(env []string, kv string) []string {
	name, _, _ := strings.Cut(kv, "=")
	for i, e := range env {
		if n, _, _ := strings.Cut(e, "="); n == name {
			out := append([]string(nil), env...)
			out[i] = kv
			return out
		}
	}
	return append(append([]string(nil), env...), kv)
}

func getEnv(env []string, name string) string {
	for _, e := range env {
		if n, v, _ := strings.Cut(e, "="); n == name {
			return v
		}
	}
	return ""
}

// withCapture returns the command with `--output PATH` added after
// start-stop-daemon's --start when the call has --background and no
// --output of its own: start-stop-daemon otherwise sends the program's
// output to /dev/null, and a program that dies at start (a missing
// variable, a missing module) would take its reason with it. ok is false
// when nothing needs capturing.
func withCapture(command, path string) (string, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil {
		return command, false
	}
	at, found, background, output := uint(0), false, false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || found {
			return !found
		}
		words := make([]string, len(call.Args))
		for i, w := range call.Args {
			words[i] = w.Lit()
		}
		ssd, end := optionWords(words)
		for i := ssd + 1; ssd >= 0 && i < end; i++ {
			switch w := words[i]; {
			case !found && isStart(w):
				found, at = true, call.Args[i].End().Offset()
			case w == "--background" || w == "-b":
				background = true
			case w == "--output" || w == "-O" || strings.HasPrefix(w, "--output="):
				output = true
			}
		}
		return !found
	})
	if !found || !background || output {
		return command, false
	}
	return command[:at] + " --output " + shell.Quote(path) + command[at:], true
}

// captureFile creates the file a check sends the program's output to,
// owned by the account that writes it.
func captureFile(a spec.Account) (string, error) {
	f, err := os.CreateTemp("", "mkdaemon-check-output-*")
	if err != nil {
		return "", fmt.Errorf("creating a file for the program's output: %w", err)
	}
	defer f.Close()
	if os.Geteuid() == 0 && a.UID != 0 {
		if err := f.Chown(a.UID, a.GID); err != nil {
			os.Remove(f.Name())
			return "", err
		}
	}
	return f.Name(), nil
}
