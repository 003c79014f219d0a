package export

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// SystemdOptions tune the unit. The zero value gives the defaults.
type SystemdOptions struct {
	// Unit is the unit's name without .service; "" derives it from the
	// daemon's name (UnitName).
	Unit string
	// RestartSec is how long systemd waits before restarting the program
	// after it failed; 0 means DefaultRestartSec.
	RestartSec time.Duration
	// StartLimitInterval and StartLimitBurst: more than Burst starts
	// within Interval and systemd gives up until `systemctl --user
	// reset-failed`. 0 means the defaults below.
	StartLimitInterval time.Duration
	StartLimitBurst    int
}

// The defaults let a bot ride out a flaky network (a restart every 30
// seconds) but stop a program that dies right after every start from
// restarting forever: 5 starts within 10 minutes is a crash loop. systemd's
// own default, 5 starts in 10 seconds, never trips with RestartSec=30.
const (
	DefaultRestartSec         = 30 * time.Second
	DefaultStartLimitInterval = 10 * time.Minute
	DefaultStartLimitBurst    = 5
)

// UnitName derives a unit name from the daemon: its process name, or the
// program's file name, keeping the characters systemd allows in unit names
// except @ (which makes a template instance) and \ (systemd's escape), and
// turning every other character into "-".
func UnitName(s spec.Spec) string {
	name := s.Name
	if name == "" {
		name = filepath.Base(s.Program)
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == ':', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	u := strings.Trim(b.String(), "-.")
	if u == "" {
		return "daemon"
	}
	return u
}

// checkUnitName accepts what systemd accepts as the NAME of NAME.service,
// minus @ and \ (see UnitName).
func checkUnitName(u string) error {
	if u == "" {
		return fmt.Errorf("the unit name is empty")
	}
	if len(u)+len(".service") > 255 {
		return fmt.Errorf("unit name %q is longer than systemd's 255 characters", u)
	}
	for _, r := range u {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == ':', r == '_', r == '.', r == '-':
		default:
			return fmt.Errorf("unit name %q contains %q; use letters, digits and : _ . - only", u, r)
		}
	}
	return nil
}

// Systemd renders a systemd user unit that keeps s running, for
// ~/.config/systemd/user/NAME.service.
//
//   - A program that daemonizes itself (spec.ModeDaemonizes) runs as Type=forking
//     with PIDFile= its pidfile, so systemd knows which process to watch.
//   - A foreground program (spec.ModeForeground) runs as Type=exec, without
//     a pidfile: systemd is the one that keeps it in the background.
//   - A skeleton made by mkdaemon scaffold runs in its --foreground form
//     with Type=exec, whatever the mode: supervising the process directly
//     beats trusting a pidfile.
//
// The schedule and --at-boot mean nothing here: systemd restarts the
// program when it fails, and WantedBy=default.target (with lingering, see
// SystemdInstructions) starts it at boot.
func Systemd(s spec.Spec, opts SystemdOptions) ([]byte, error) {
	unit := opts.Unit
	if unit == "" {
		unit = UnitName(s)
	}
	if err := checkUnitName(unit); err != nil {
		return nil, &spec.Error{Msg: err.Error()}
	}
	if s.Mode != spec.ModeDaemonizes && s.Mode != spec.ModeForeground {
		return nil, fmt.Errorf("unknown mode %q", s.Mode)
	}
	if err := checkExecPath(s.Program); err != nil {
		return nil, &spec.Error{Flag: "--program", Value: s.Program, Msg: "cannot be run by systemd: " + err.Error(),
			Hint: "rename the file (or its directory), or start it from a wrapper script with a plain path"}
	}
	cmd := ForegroundCommand(s)
	exec, err := ExecStart(cmd.Argv)
	if err != nil {
		return nil, &spec.Error{Msg: "cannot write the command line as ExecStart=: " + err.Error()}
	}
	restart := durationOr(opts.RestartSec, DefaultRestartSec)
	interval := durationOr(opts.StartLimitInterval, DefaultStartLimitInterval)
	burst := opts.StartLimitBurst
	if burst == 0 {
		burst = DefaultStartLimitBurst
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# %s.service: keeps %s running; made by mkdaemon export.\n", unit, unit)
	fmt.Fprintf(&b, "# Install it as ~/.config/systemd/user/%s.service, then run:\n", unit)
	fmt.Fprintf(&b, "#   systemctl --user daemon-reload && systemctl --user enable --now %s.service\n", unit)
	b.WriteString("# and `loginctl enable-linger` to keep it running after you log out.\n")
	b.WriteString("\n[Unit]\n")
	fmt.Fprintf(&b, "Description=%s\n", description(unit, s.Program))
	fmt.Fprintf(&b, "StartLimitIntervalSec=%s\n", seconds(interval))
	fmt.Fprintf(&b, "StartLimitBurst=%d\n", burst)
	b.WriteString("\n[Service]\n")
	if cmd.Foreground {
		b.WriteString("Type=exec\n")
	} else {
		pid, err := unitPath("--pidfile", s.Pidfile)
		if err != nil {
			return nil, err
		}
		b.WriteString("Type=forking\n")
		fmt.Fprintf(&b, "PIDFile=%s\n", pid)
	}
	fmt.Fprintf(&b, "ExecStart=%s\n", exec)
	if s.Chdir != "" {
		dir, err := unitPath("--chdir", s.Chdir)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "WorkingDirectory=%s\n", dir)
	} else {
		// Where cron starts it too.
		b.WriteString("WorkingDirectory=%h\n")
	}
	env, err := systemdEnvironment(s)
	if err != nil {
		return nil, err
	}
	b.WriteString(env)
	// cron starts the program again whenever it is not running, whatever
	// its exit status; the unit promises the same.
	b.WriteString("Restart=always\n")
	fmt.Fprintf(&b, "RestartSec=%s\n", seconds(restart))
	if s.Log != "" {
		log, err := unitPath("--log", s.Log)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "StandardOutput=append:%s\n", log)
		fmt.Fprintf(&b, "StandardError=append:%s\n", log)
	}
	b.WriteString("\n[Install]\nWantedBy=default.target\n")
	return []byte(b.String()), nil
}

// SystemdInstructions is what to do with the unit, for the CLI to print on
// stderr. user is the account that runs the daemon ("" when unknown); path
// is where the unit was written, "" when it went to stdout.
func SystemdInstructions(unit, user, path string) string {
	var b strings.Builder
	if path == "" {
		fmt.Fprintf(&b, "Save the unit as ~/.config/systemd/user/%s.service (or write it there with --out), then enable and start it:\n", unit)
	} else {
		fmt.Fprintf(&b, "Wrote %s. Enable and start it:\n", path)
	}
	fmt.Fprintf(&b, "  systemctl --user daemon-reload && systemctl --user enable --now %s.service\n", unit)
	if user == "" {
		user = "$USER"
	}
	fmt.Fprintf(&b, "To keep it running after you log out, and start it at boot: loginctl enable-linger %s\n", user)
	b.WriteString("Remove the cron entry for it if there is one, or both will start the program.\n")
	fmt.Fprintf(&b, "After a crash loop systemd stops restarting it until: systemctl --user reset-failed %s.service\n", unit)
	return b.String()
}

// unitPath writes an absolute path as the value of PIDFile=,
// WorkingDirectory= or StandardOutput=append:. These take the rest of the
// line as it is, without quotes or escapes; only specifiers are resolved.
// What cannot be written that way is refused: control characters, a
// trailing backslash (it continues the line) and white space at either end
// (systemd strips it).
func unitPath(flag, p string) (string, error) {
	bad := func(msg string) error {
		return &spec.Error{Flag: flag, Value: p, Msg: msg + ", which a systemd unit cannot express",
			Hint: "choose a path without it"}
	}
	switch {
	case !strings.HasPrefix(p, "/"):
		return "", &spec.Error{Flag: flag, Value: p, Msg: "is not an absolute path"}
	case strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", bad("contains a control character")
	case strings.HasSuffix(p, "\\"):
		return "", bad("ends with a backslash")
	case strings.TrimRight(p, " \t") != p:
		return "", bad("ends with white space")
	}
	return strings.ReplaceAll(p, "%", "%%"), nil
}

// description names the unit and its program. The value is taken as it is
// except for specifiers; characters that would end or continue the line
// are replaced.
func description(unit, program string) string {
	d := unit + " daemon: " + program
	d = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return '?'
		}
		return r
	}, d)
	return strings.ReplaceAll(d, "%", "%%")
}

func durationOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// seconds writes a duration as systemd's time span in whole seconds
// (rounded up, so a sub-second value does not turn into 0, "no limit").
func seconds(d time.Duration) string {
	s := (d + time.Second - 1) / time.Second
	return fmt.Sprintf("%ds", s)
}
