package cli

import (
	"context"
	"os"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// crontabEnviron is the crontab's NAME=value settings that would stand
// above the entry name once installed: those above its block, or all of
// them for a new block, which is appended. A crontab that cannot be read
// adds none (install would stop on it anyway).
func (a *app) crontabEnviron(r *spec.Resolved, name string) []string {
	env, err := a.env()
	if err != nil {
		return nil
	}
	text, err := a.installer(r.Account, env.Current, r.StateDir).Read(context.Background())
	if err != nil {
		return nil
	}
	return crontab.EnvOfBlock(text, name)
}

// loginEnv is the environment of the shell mkdaemon runs in, when the
// entry is this user's own: the check compares it with cron's. For
// another account (root with --user) it is unknown.
func loginEnv(acct spec.Account) []string {
	if acct.UID != os.Geteuid() {
		return nil
	}
	return os.Environ()
}

// environNames lists the names of the crontab's settings, without their
// values, which may be secrets.
func environNames(settings []string) string {
	var names []string
	for _, s := range settings {
		n, _, _ := strings.Cut(s, "=")
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}
