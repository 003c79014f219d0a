package spec

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// Input is what the user asked for, through flags or the wizard, before
// paths are made absolute and defaults are filled in.
type Input struct {
	Program    string
	Args       []string
	Name       string
	Pidfile    string
	Interval   string
	Background bool
	Log        string
	Chdir      string
	AtBoot     bool
	User       string
}

// Env is what resolution depends on besides the input.
type Env struct {
	Getenv  func(string) string
	Cwd     string
	Current Account // the user running mkdaemon
	// Lookup finds another account by name (for --user).
	Lookup func(name string) (Account, error)
}

// Resolved is a valid Spec with what resolution learnt on the way.
type Resolved struct {
	Spec     Spec
	Schedule crontab.Schedule
	Account  Account // the user whose crontab runs the daemon
	// StateDir is where mkdaemon keeps pidfiles, backups and its lock for
	// that user; it may not exist yet.
	StateDir string
	// DefaultPidfile is true when the pidfile is mkdaemon's default, whose
	// directory is created on install.
	DefaultPidfile bool
	Warnings       []string
}

// Resolve checks the input against every rule that makes a start-stop-daemon
// line and crontab entry work, and returns the Spec. The first rule broken
// is returned as an *Error.
func Resolve(in Input, env Env) (*Resolved, error) {
	if err := checkControlChars(in); err != nil {
		return nil, err
	}
	r := &Resolved{}
	acct, err := ResolveAccount(in.User, env)
	if err != nil {
		return nil, err
	}
	r.Account = acct
	r.StateDir = StateDir(acct, env)

	s := Spec{Args: append([]string(nil), in.Args...), AtBoot: in.AtBoot, User: in.User, Mode: ModeSelf}
	if in.Background {
		s.Mode = ModeBackground
	}
	if s.Program, err = checkProgram(in.Program, env, acct); err != nil {
		return nil, err
	}
	interp, err := checkInterpreter(s.Program)
	if err != nil {
		return nil, err
	}
	if s.Name, err = checkName(in.Name, s.Program, r); err != nil {
		return nil, err
	}
	if interp != "" && in.Name == "" {
		r.warn("%s starts with `#!/usr/bin/env %s`, so its process name is %q, shared by every %s program: write the interpreter's absolute path on the first line (for example #!%s) so the process is named after the script",
			s.Program, interp, s.Name, interp, lookCronPath(interp))
	}
	if s.Pidfile, err = checkPidfile(in.Pidfile, s.Name, env, acct, r); err != nil {
		return nil, err
	}
	sched, err := crontab.ParseSchedule(in.Interval)
	if err != nil {
		var se *crontab.ScheduleError
		if errors.As(err, &se) {
			return nil, &Error{Flag: "--interval", Value: in.Interval, Msg: se.Msg, Hint: se.Hint}
		}
		return nil, err
	}
	r.Schedule, s.Schedule = sched, sched.Expr
	if sched.Reboot() && in.AtBoot {
		r.warn("--at-boot adds nothing to --interval @reboot")
	}
	if s.Log, err = checkLog(in.Log, env, acct); err != nil {
		return nil, err
	}
	if s.Log != "" && s.Mode == ModeSelf && !MadeByScaffold(s.Program) {
		r.warn("--log %s is only passed on with --background: a program that daemonizes itself opens its own log", s.Log)
	}
	if s.Chdir, err = checkChdir(in.Chdir, env, acct); err != nil {
		return nil, err
	}
	r.Spec = s
	return r, nil
}

func (r *Resolved) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// StateDir is ${XDG_STATE_HOME:-$HOME/.local/state}/mkdaemon for the
// account. XDG_STATE_HOME belongs to the user running mkdaemon, so it is
// only used for that user's own crontab.
func StateDir(acct Account, env Env) string {
	if acct.UID == env.Current.UID {
		if x := env.Getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
			return filepath.Join(x, "mkdaemon")
		}
	}
	return filepath.Join(acct.Home, ".local", "state", "mkdaemon")
}

// checkControlChars refuses newlines, carriage returns and NULs anywhere:
// in a crontab they would end the line or inject another one.
func checkControlChars(in Input) error {
	vals := [][2]string{{"--program", in.Program}, {"--name", in.Name}, {"--pidfile", in.Pidfile},
		{"--interval", in.Interval}, {"--log", in.Log}, {"--chdir", in.Chdir}, {"--user", in.User}}
	for i, a := range in.Args {
		vals = append(vals, [2]string{fmt.Sprintf("program argument %d", i+1), a})
	}
	for _, v := range vals {
		if i := strings.IndexAny(v[1], "\n\r\x00"); i >= 0 {
			what := map[byte]string{'\n': "a newline", '\r': "a carriage return", 0: "a NUL byte"}[v[1][i]]
			return &Error{Flag: v[0], Value: v[1], Msg: "contains " + what + ", which would break the crontab line or inject another one",
				Hint: "remove it; pass such data through a file the program reads instead"}
		}
	}
	return nil
}

// ResolveAccount is the account --user names ("" is the current user).
// Only root may name another user.
func ResolveAccount(name string, env Env) (Account, error) {
	if name == "" || name == env.Current.Name {
		return env.Current, nil
	}
	if env.Current.UID != 0 {
		return Account{}, &Error{Flag: "--user", Value: name,
			Msg:  "only root can edit another user's crontab",
			Hint: "run mkdaemon as " + name + " without --user, or as root"}
	}
	a, err := env.Lookup(name)
	if err != nil {
		return Account{}, &Error{Flag: "--user", Value: name, Msg: "no such user", Hint: "check the name with getent passwd " + name}
	}
	return a, nil
}

// absPath expands a leading ~ (the current user's home, as the shell would)
// and makes the path absolute against the working directory.
func absPath(p string, env Env) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		p = filepath.Join(env.Current.Home, strings.TrimPrefix(p, "~"))
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(env.Cwd, p)
	}
	return filepath.Clean(p)
}

func checkProgram(p string, env Env, acct Account) (string, error) {
	if p == "" {
		return "", &Error{Flag: "--program", Msg: "is required: the path of the program to keep running",
			Hint: "mkdaemon --print --program ~/bots/mybot.py (or make a new bot with mkdaemon scaffold)"}
	}
	abs := absPath(p, env)
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", &Error{Flag: "--program", Value: p, Msg: fmt.Sprintf("%s does not exist", abs),
			Hint: "give the path of an existing program, or create a skeleton with: mkdaemon scaffold --lang python --out " + abs}
	case err != nil:
		return "", &Error{Flag: "--program", Value: p, Msg: err.Error()}
	case fi.IsDir():
		return "", &Error{Flag: "--program", Value: p, Msg: abs + " is a directory", Hint: "give the path of the program file inside it"}
	case !fi.Mode().IsRegular():
		return "", &Error{Flag: "--program", Value: p, Msg: abs + " is not a regular file"}
	}
	if !acct.may(ownerOf(fi), groupOf(fi), uint32(fi.Mode().Perm()), 5) {
		return "", &Error{Flag: "--program", Value: p, Msg: fmt.Sprintf("%s is not executable by %s", abs, acct.Name),
			Hint: "chmod +x " + abs}
	}
	return abs, nil
}

// checkInterpreter reads a script's first line: the interpreter must exist
// where cron will look for it. It returns the interpreter's name for an
// `env` shebang, "" otherwise.
func checkInterpreter(program string) (string, error) {
	f, err := os.Open(program)
	if err != nil {
		return "", nil // not readable to us; exec will tell
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadSlice('\n')
	if !bytes.HasPrefix(line, []byte("#!")) {
		return "", nil
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	if bytes.HasSuffix(line, []byte("\r")) {
		return "", &Error{Flag: "--program", Value: program,
			Msg:  "its first line ends in a carriage return (Windows line endings), so the kernel looks for an interpreter whose name ends in \\r and the program never starts",
			Hint: "convert it: sed -i 's/\\r$//' " + program}
	}
	fields := strings.Fields(string(line[2:]))
	if len(fields) == 0 {
		return "", &Error{Flag: "--program", Value: program, Msg: "its first line #! names no interpreter"}
	}
	if filepath.Base(fields[0]) != "env" {
		if fi, err := os.Stat(fields[0]); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", &Error{Flag: "--program", Value: program,
				Msg:  fmt.Sprintf("its interpreter %s (named on the #! line) does not exist or is not executable", fields[0]),
				Hint: "fix the first line of " + program}
		}
		return "", nil
	}
	interp := proc.NameOf(program).Interpreter
	if interp == "" {
		return "", nil
	}
	if lookCronPath(interp) == "" {
		return "", &Error{Flag: "--program", Value: program,
			Msg:  fmt.Sprintf("its first line runs `env %s`, and cron's PATH (/usr/bin:/bin) has no %s, so it would never start", interp, interp),
			Hint: "write the interpreter's absolute path on the first line (which " + interp + " shows where it is)"}
	}
	return interp, nil
}

// lookCronPath finds a command the way env does under cron's PATH.
func lookCronPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	for _, d := range []string{"/usr/bin", "/bin"} {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

func checkName(name, program string, r *Resolved) (string, error) {
	expected := proc.NameOf(program)
	if name == "" && proc.Unmatchable(expected.Name) {
		return "", &Error{Flag: "--program", Value: program,
			Msg:  fmt.Sprintf("its process name %q has a backslash, which /proc/PID/status shows doubled, so start-stop-daemon could never match it and would start a new copy on every tick", expected.Name),
			Hint: "rename the program without a backslash"}
	}
	if name == "" {
		if expected.Cut && expected.Interpreter == "" {
			r.warn("the process name defaults to %q: the kernel keeps only the first %d characters of %s", expected.Name, proc.CommMax, filepath.Base(program))
		}
		return expected.Name, nil
	}
	switch {
	case len(name) > proc.CommMax:
		return "", &Error{Flag: "--name", Value: name,
			Msg:  fmt.Sprintf("is %d characters; the kernel keeps at most %d, so start-stop-daemon would never match it and would start a new copy on every tick", len(name), proc.CommMax),
			Hint: fmt.Sprintf("use --name %s, or leave --name out to use the program's process name (%s)", proc.Truncate(name), expected.Name)}
	case proc.Unmatchable(name):
		return "", &Error{Flag: "--name", Value: name, Msg: "a backslash in a process name is shown doubled in /proc/PID/status, so start-stop-daemon would never match it",
			Hint: "leave --name out to use the program's process name (" + expected.Name + ")"}
	case strings.ContainsAny(name, "/ \t\v\f"):
		return "", &Error{Flag: "--name", Value: name, Msg: "a process name cannot contain / or white space",
			Hint: "leave --name out to use the program's process name (" + expected.Name + ")"}
	case strings.HasPrefix(name, "-"):
		return "", &Error{Flag: "--name", Value: name, Msg: "a process name starting with - would be read as an option",
			Hint: "leave --name out to use the program's process name (" + expected.Name + ")"}
	}
	if name != expected.Name {
		r.warn("--name %s differs from the name the kernel gives %s (%s): start-stop-daemon will start a new copy on every tick unless the program renames itself", name, program, expected.Name)
	}
	return name, nil
}

func checkPidfile(p, name string, env Env, acct Account, r *Resolved) (string, error) {
	if p == "" {
		r.DefaultPidfile = true
		p = filepath.Join(r.StateDir, name+".pid")
		// The default directory is created on install; until then only
		// what exists can be checked.
		if _, err := os.Stat(r.StateDir); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	} else {
		p = absPath(p, env)
	}
	flag := "--pidfile"
	if fi, err := os.Stat(p); err == nil {
		if !fi.Mode().IsRegular() {
			return "", &Error{Flag: flag, Value: p, Msg: "exists and is not a regular file"}
		}
		if fi.Mode().Perm()&0o002 != 0 {
			return "", &Error{Flag: flag, Value: p, Msg: "is world-writable, and start-stop-daemon refuses to trust such a pidfile (anyone could point it at any process)",
				Hint: "chmod o-w " + p}
		}
	}
	dir := filepath.Dir(p)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return "", &Error{Flag: flag, Value: p, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + dir}
	}
	perm := uint32(fi.Mode().Perm())
	if !acct.may(ownerOf(fi), groupOf(fi), perm, 3) {
		return "", &Error{Flag: flag, Value: p, Msg: fmt.Sprintf("its directory %s is not writable by %s", dir, acct.Name),
			Hint: "choose a directory " + acct.Name + " owns, or leave --pidfile out for the default"}
	}
	if perm&0o002 != 0 {
		if fi.Mode()&fs.ModeSticky == 0 {
			return "", &Error{Flag: flag, Value: p, Msg: "its directory " + dir + " is writable by everyone and has no sticky bit, so any user could replace the pidfile",
				Hint: "leave --pidfile out for the default under " + r.StateDir}
		}
		r.warn("the pidfile %s is in %s, where any user can create it first; the default under %s is safer", p, dir, r.StateDir)
	}
	return p, nil
}

func checkLog(p string, env Env, acct Account) (string, error) {
	if p == "" {
		return "", nil
	}
	p = absPath(p, env)
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return "", &Error{Flag: "--log", Value: p, Msg: "is a directory", Hint: "give a file name inside it"}
	}
	dir := filepath.Dir(p)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return "", &Error{Flag: "--log", Value: p, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + dir}
	}
	if !acct.may(ownerOf(fi), groupOf(fi), uint32(fi.Mode().Perm()), 3) {
		return "", &Error{Flag: "--log", Value: p, Msg: fmt.Sprintf("its directory %s is not writable by %s", dir, acct.Name)}
	}
	return p, nil
}

func checkChdir(p string, env Env, acct Account) (string, error) {
	if p == "" {
		return "", nil
	}
	p = absPath(p, env)
	fi, err := os.Stat(p)
	if err != nil || !fi.IsDir() {
		return "", &Error{Flag: "--chdir", Value: p, Msg: "is not an existing directory", Hint: "mkdir -p " + p}
	}
	if !acct.may(ownerOf(fi), groupOf(fi), uint32(fi.Mode().Perm()), 1) {
		return "", &Error{Flag: "--chdir", Value: p, Msg: "is not searchable by " + acct.Name}
	}
	return p, nil
}

func ownerOf(fi fs.FileInfo) int { return int(fi.Sys().(*syscall.Stat_t).Uid) }
func groupOf(fi fs.FileInfo) int { return int(fi.Sys().(*syscall.Stat_t).Gid) }
