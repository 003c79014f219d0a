// Package spec holds the one description of a daemon that every part of
// mkdaemon shares: the flags and the wizard fill a Spec, Validate checks it,
// and the renderers (start-stop-daemon line, crontab entry, skeletons,
// exports) are pure functions of it.
package spec

// Mode says who puts the program in the background and writes its pidfile.
type Mode string

const (
	// ModeSelf is the seed's way: the program daemonizes itself and
	// writes its own pidfile.
	ModeSelf Mode = "self"
	// ModeBackground: the program stays in the foreground and
	// start-stop-daemon forks it and writes the pidfile (--background).
	ModeBackground Mode = "background"
)

// Spec describes one daemon kept alive by cron. After Resolve every path is
// absolute and every default is filled in.
type Spec struct {
	Program  string   // absolute path of the executable that is started
	Args     []string // the program's own arguments
	Name     string   // process name (comm) start-stop-daemon matches, at most 15 bytes
	Pidfile  string   // absolute path
	Schedule string   // crontab schedule as written to the crontab (5 fields or @-form)
	Mode     Mode
	Log      string // absolute path; --background only: start-stop-daemon --output
	Chdir    string // absolute path; --background only: start-stop-daemon --chdir
	AtBoot   bool   // add an @reboot line
	User     string // the account whose crontab runs the daemon; "" means the current user
}
