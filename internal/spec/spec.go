// Package spec holds the one description of a daemon that every part of
// mkdaemon shares: the flags and the wizard fill an Input, Gather collects
// what the rules need to know about the machine into Facts, and Resolve, a
// pure function of the two, checks every rule and returns the Spec that the
// renderers (start-stop-daemon line, crontab entry, skeletons, exports) turn
// into text.
package spec

// Mode says who puts the program in the background and writes its pidfile.
type Mode string

const (
	// ModeForeground is the default: the program stays in the foreground,
	// and start-stop-daemon forks it and writes the pidfile
	// (--background --make-pidfile). Any program works this way.
	ModeForeground Mode = "foreground"
	// ModeDaemonizes: the program forks into the background and writes its
	// own pidfile (--daemonizes, and every program mkdaemon scaffold
	// makes). A program that does not, started this way, is never found
	// by its pidfile, so cron would start a new copy on every tick.
	ModeDaemonizes Mode = "daemonizes"
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
	Log      string // absolute path; ModeForeground: start-stop-daemon --output
	Chdir    string // absolute path; ModeForeground: start-stop-daemon --chdir
	AtBoot   bool   // add an @reboot line
	// Skeleton is true for a program made by mkdaemon scaffold: it
	// daemonizes itself and understands --foreground.
	Skeleton bool
	User     string // the account whose crontab runs the daemon; "" means the current user

	// LogMax and LogKeep are logrotate's `size` and `rotate` for the log.
	LogMax  string
	LogKeep int
	// Notify makes a tick that starts the daemon print a line and the
	// log's last lines, which cron mails to the crontab's owner.
	Notify bool
	// Env holds NAME=VALUE pairs the program gets beyond cron's
	// environment, in the order given; a name appears once.
	Env []string
	// EnvFile is the absolute path of a file of NAME=value lines that is
	// read at every start, so its values never enter the crontab.
	EnvFile string
}
