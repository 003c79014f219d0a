package crontab

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/crontest"
)

// Tests against the real crontab binary run as root for throwaway users
// (package crontest): they never touch the crontab of the user running
// them.

// throwaway creates a user with a home directory and returns the Target
// for it as root sees it: crontab -u, files given to the user.
func throwaway(tb testing.TB) Target {
	tb.Helper()
	if _, err := exec.LookPath("crontab"); err != nil {
		tb.Skip("crontab not found (apt-get install cron)")
	}
	u := crontest.NewUser(tb)
	return Target{
		User: u.Name, UID: u.UID, GID: u.GID, Home: u.Home,
		StateDir: filepath.Join(u.Home, ".local", "state", "mkdaemon"),
	}
}

func (t Target) crontestUser() crontest.User {
	return crontest.User{Name: t.User, UID: t.UID, GID: t.GID, Home: t.Home}
}

// setCrontab installs text for the user with the real crontab, bypassing
// mkdaemon: what the user or another tool would do.
func setCrontab(tb testing.TB, u Target, text string) {
	tb.Helper()
	u.crontestUser().SetCrontab(tb, text)
}

// listing is `crontab -u USER -l` as the user would see it.
func listing(tb testing.TB, u Target) string {
	tb.Helper()
	return u.crontestUser().Crontab(tb)
}
