package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/shell"
)

// Input is what the user asked for, through flags or the wizard, before
// paths are made absolute and defaults are filled in.
type Input struct {
	Program    string
	Args       []string
	Name       string
	Pidfile    string
	Interval   string
	Daemonizes bool // the program forks and writes its own pidfile
	Log        string
	Chdir      string
	AtBoot     bool
	User       string

	// Day two: the log's rotation and mail on restarts.
	LogMax  string // logrotate's size cap for the log ("" is DefaultLogMax)
	LogKeep string // how many rotated logs logrotate keeps ("" is DefaultLogKeep)
	Notify  bool   // a tick that starts the daemon prints what cron mails
	// The program's environment beyond cron's.
	Env     []string // --env NAME=VALUE, in the order given
	EnvFile string   // --env-file: NAME=value lines read at every start
}

// Env is the process Gather reads the machine for.
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
	Schedule schedule.Schedule
	Account  Account // the user whose crontab runs the daemon
	// StateDir is where mkdaemon keeps pidfiles, backups and its lock for
	// that user; it may not exist yet.
	StateDir string
	// DefaultPidfile is true when the pidfile is mkdaemon's default, whose
	// directory is created on install.
	DefaultPidfile bool
	// SSD is the start-stop-daemon the crontab line runs.
	SSD string
	// DefaultLog is true when the log is mkdaemon's default, in the state
	// directory.
	DefaultLog bool
	// Logrotate is the logrotate executable, "" when it is not installed:
	// the entry then has no rotation line, and install says so.
	Logrotate string
	Warnings  []string

	// EnvFileNames are the variable names the --env-file sets, as read
	// when the facts were gathered.
	EnvFileNames []string
}

// Resolve checks the input against every rule that makes a start-stop-daemon
// line and crontab entry work, using only facts, and returns the Spec. The
// first rule broken is returned as an *Error.
func Resolve(in Input, facts Facts) (*Resolved, error) {
	if err := checkText(in); err != nil {
		return nil, err
	}
	r := &Resolved{SSD: facts.SSD, Logrotate: facts.Logrotate}
	acct, err := facts.account(in.User)
	if err != nil {
		return nil, err
	}
	r.Account = acct
	if err := checkStateHome(facts, acct); err != nil {
		return nil, err
	}
	r.StateDir = facts.stateDir(acct)

	s := Spec{Args: append([]string(nil), in.Args...), AtBoot: in.AtBoot, User: in.User}
	prog, err := checkProgram(in.Program, facts, acct)
	if err != nil {
		return nil, err
	}
	s.Program = prog.path
	s.Skeleton = prog.Skeleton
	s.Mode = ModeForeground
	if in.Daemonizes || prog.Skeleton {
		s.Mode = ModeDaemonizes
	}
	sb, err := checkInterpreter(prog, facts, acct)
	if err != nil {
		return nil, err
	}
	if s.Name, err = checkName(in.Name, prog, r); err != nil {
		return nil, err
	}
	if sb.envCommand != "" && in.Name == "" {
		r.warn("%s starts with `#!/usr/bin/env %s`, so its process name is %q, shared by every %s program: write the interpreter's absolute path on the first line (for example #!%s) so the process is named after the script",
			s.Program, sb.envCommand, s.Name, sb.envCommand, facts.lookCronPath(sb.envCommand))
	}
	if s.Pidfile, err = checkPidfile(in.Pidfile, s.Name, facts, acct, r); err != nil {
		return nil, err
	}
	sched, err := schedule.Parse(in.Interval)
	if err != nil {
		var se *schedule.Error
		if errors.As(err, &se) {
			return nil, &Error{Flag: "--interval", Value: in.Interval, Msg: se.Msg, Hint: se.Hint}
		}
		return nil, err
	}
	r.Schedule, s.Schedule = sched, sched.Expr
	r.Warnings = append(r.Warnings, sched.Warnings...)
	if sched.Reboot() && in.AtBoot {
		r.warn("--at-boot adds nothing to --interval @reboot")
	}
	if s.Log, err = CheckLog(in.Log, facts, acct); err != nil {
		return nil, err
	}
	if err := resolveDayTwo(in, &s, r); err != nil {
		return nil, err
	}
	if s.Log != "" && s.Mode == ModeDaemonizes && !prog.Skeleton {
		r.warn("--log %s is not used with --daemonizes: a program that daemonizes itself opens its own log", s.Log)
	}
	if s.Chdir, err = checkChdir(in.Chdir, facts, acct); err != nil {
		return nil, err
	}
	if err := checkEnvironment(in, &s, facts, acct, r); err != nil {
		return nil, err
	}
	checkLoginInterpreter(prog, sb, facts, r)
	r.Spec = s
	return r, nil
}

func (r *Resolved) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// StateDir is ${XDG_STATE_HOME:-$HOME/.local/state}/mkdaemon for the
// account. XDG_STATE_HOME belongs to the user running mkdaemon, so it is
// only used for that user's own crontab.
func (f Facts) stateDir(acct Account) string {
	if acct.UID == f.Current.UID && filepath.IsAbs(f.XDGStateHome) {
		return filepath.Join(f.XDGStateHome, "mkdaemon")
	}
	return filepath.Join(acct.Home, ".local", "state", "mkdaemon")
}

// StateDir is where mkdaemon keeps the account's pidfiles, backups and
// lock, as Resolve finds it.
func StateDir(acct Account, env Env) string {
	return Facts{Current: env.Current, XDGStateHome: env.Getenv("XDG_STATE_HOME")}.stateDir(acct)
}

// checkStateHome refuses an XDG_STATE_HOME that cannot hold mkdaemon's
// directory, naming the variable rather than a flag nobody gave.
func checkStateHome(f Facts, acct Account) error {
	x := f.XDGStateHome
	if acct.UID != f.Current.UID || !filepath.IsAbs(x) {
		return nil
	}
	if fi, ok := f.file(x); ok && !fi.Mode.IsDir() {
		return &Error{Flag: "XDG_STATE_HOME", Value: x, Msg: "is not a directory, so mkdaemon cannot keep its pidfiles and backups under it",
			Hint: "unset XDG_STATE_HOME (the default is ~/.local/state) or point it at a directory"}
	}
	return nil
}

// checkText refuses text that cron, the shell or the other commands cannot
// carry: newlines, carriage returns and NULs would end a crontab line or
// inject another one, and a value that is not UTF-8 could be installed but
// not read back by list or check.
func checkText(in Input) error {
	vals := [][2]string{{"--program", in.Program}, {"--name", in.Name}, {"--pidfile", in.Pidfile},
		{"--interval", in.Interval}, {"--log", in.Log}, {"--chdir", in.Chdir}, {"--user", in.User}, {"--env-file", in.EnvFile}}
	for _, e := range in.Env {
		vals = append(vals, [2]string{"--env", e})
	}
	for i, a := range in.Args {
		vals = append(vals, [2]string{fmt.Sprintf("program argument %d", i+1), a})
	}
	for _, v := range vals {
		if i := strings.IndexAny(v[1], "\n\r\x00"); i >= 0 {
			what := map[byte]string{'\n': "a newline", '\r': "a carriage return", 0: "a NUL byte"}[v[1][i]]
			return &Error{Flag: v[0], Value: v[1], Msg: "contains " + what + ", which would break the crontab line or inject another one",
				Hint: "remove it; pass such data through a file the program reads instead"}
		}
		if !utf8.ValidString(v[1]) {
			return &Error{Flag: v[0], Value: v[1], Msg: "is not valid UTF-8, so list and check could not read the entry back",
				Hint: "rename the file or pass the value through a file the program reads"}
		}
	}
	return nil
}

// account is the account --user names ("" is the current user). Only root
// may name another user.
func (f Facts) account(name string) (Account, error) {
	if name == "" || name == f.Current.Name {
		return f.Current, nil
	}
	if f.Current.UID != 0 {
		return Account{}, &Error{Flag: "--user", Value: name,
			Msg:  "only root can edit another user's crontab",
			Hint: "run mkdaemon as " + name + " without --user, or as root"}
	}
	a, ok := f.Accounts[name]
	if !ok {
		return Account{}, &Error{Flag: "--user", Value: name, Msg: "no such user", Hint: "check the name with: getent passwd " + shell.Quote(name)}
	}
	return a, nil
}

// ResolveAccount is the account --user names, for the commands that work
// on installed entries.
func ResolveAccount(name string, env Env) (Account, error) {
	return Gather(Input{User: name}, env).account(name)
}

// absPath expands a leading ~ (the current user's home, as the shell would)
// and makes the path absolute against the working directory.
func (f Facts) absPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		p = filepath.Join(f.Current.Home, strings.TrimPrefix(p, "~"))
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.Cwd, p)
	}
	return filepath.Clean(p)
}

// AbsPath is a path as Resolve reads it: a leading ~ is the current user's
// home, and a relative path is taken from the working directory.
func AbsPath(p string, env Env) string { return Facts{Cwd: env.Cwd, Current: env.Current}.absPath(p) }

// program is the program as the rules found it.
type program struct {
	path string
	File
}

func checkProgram(p string, f Facts, acct Account) (program, error) {
	if p == "" {
		return program{}, &Error{Flag: "--program", Msg: "is required: the path of the program to keep running",
			Hint: "mkdaemon --print --program ~/bots/mybot.py (or make a new bot with mkdaemon scaffold)"}
	}
	abs := f.absPath(p)
	if base := filepath.Base(abs); strings.TrimFunc(base, unicode.IsSpace) != base {
		return program{}, &Error{Flag: "--program", Value: p, Msg: "its file name begins or ends with white space, which is lost or mistyped wherever the name is shown or typed again",
			Hint: "rename the file: mv " + shell.Quote(abs) + " " + shell.Quote(filepath.Join(filepath.Dir(abs), strings.TrimFunc(base, unicode.IsSpace)))}
	}
	fi, ok := f.file(abs)
	switch {
	case !ok:
		return program{}, &Error{Flag: "--program", Value: p, Msg: fmt.Sprintf("%s does not exist", abs),
			Hint: "give the path of an existing program, or create a skeleton with: mkdaemon scaffold --lang python --out " + shell.Quote(abs)}
	case fi.Mode.IsDir():
		return program{}, &Error{Flag: "--program", Value: p, Msg: abs + " is a directory", Hint: "give the path of the program file inside it"}
	case !fi.Mode.IsRegular():
		return program{}, &Error{Flag: "--program", Value: p, Msg: abs + " is not a regular file"}
	}
	if !acct.may(fi.UID, fi.GID, uint32(fi.Mode.Perm()), 5) {
		return program{}, &Error{Flag: "--program", Value: p, Msg: fmt.Sprintf("%s is not executable by %s", abs, acct.Name),
			Hint: "chmod +x " + shell.Quote(abs)}
	}
	if err := checkNotWritableByOthers("--program", p, abs, f, acct); err != nil {
		return program{}, err
	}
	return program{path: abs, File: fi}, nil
}

// checkNotWritableByOthers refuses a file that someone other than the
// account and root can change, or that sits in a directory where they can
// replace it: cron runs it as the account on every tick, so whoever can
// rewrite it runs code as that account.
func checkNotWritableByOthers(flag, value, path string, f Facts, acct Account) error {
	fi, _ := f.file(path)
	dir := filepath.Dir(path)
	di, dirKnown := f.file(dir)
	foreign := func(uid int) bool { return uid != 0 && uid != acct.UID }
	var why, fix string
	switch {
	case foreign(fi.UID):
		why, fix = fmt.Sprintf("%s belongs to another user (uid %d)", path, fi.UID), "copy it into a directory of "+acct.Name+"'s and use the copy"
	case fi.Mode.Perm()&0o002 != 0:
		why, fix = path+" is writable by every user", "chmod o-w "+shell.Quote(path)
	case fi.Mode.Perm()&0o020 != 0 && fi.GID != 0 && fi.GID != acct.GID:
		why, fix = fmt.Sprintf("%s is writable by its group (gid %d), which is not %s's own", path, fi.GID, acct.Name), "chmod g-w "+shell.Quote(path)
	case dirKnown && foreign(di.UID):
		why, fix = fmt.Sprintf("its directory %s belongs to another user (uid %d), who can replace it", dir, di.UID), "move it into a directory of "+acct.Name+"'s"
	case dirKnown && di.Mode.Perm()&0o002 != 0 && di.Mode&fs.ModeSticky == 0:
		why, fix = "its directory "+dir+" is writable by every user and has no sticky bit, so anyone can replace it", "chmod o-w "+shell.Quote(dir)+", or move the file into a directory of "+acct.Name+"'s"
	default:
		return nil
	}
	return &Error{Flag: flag, Value: value, Msg: why + ": cron would run whatever they put there as " + acct.Name + " on every tick", Hint: fix}
}

// checkInterpreter reads a script's #! line: the interpreter must exist
// where cron will look for it, and be as safe as the program.
func checkInterpreter(prog program, f Facts, acct Account) (shebang, error) {
	sb, ok := parseShebang(prog.FirstLine)
	if !ok {
		return shebang{}, nil
	}
	q := shell.Quote(prog.path)
	if sb.cr {
		return sb, &Error{Flag: "--program", Value: prog.path,
			Msg:  "its first line ends in a carriage return (Windows line endings), so the kernel looks for an interpreter whose name ends in \\r and the program never starts",
			Hint: "convert it: sed -i 's/\\r$//' " + q}
	}
	if sb.interp == "" {
		return sb, &Error{Flag: "--program", Value: prog.path, Msg: "its first line #! names no interpreter", Hint: "write the interpreter's absolute path after #!, e.g. #!/usr/bin/python3"}
	}
	fi, ok := f.file(sb.interp)
	if !ok || fi.Mode.IsDir() || fi.Mode&0o111 == 0 {
		return sb, &Error{Flag: "--program", Value: prog.path,
			Msg:  fmt.Sprintf("its interpreter %s (named on the #! line) does not exist or is not executable", sb.interp),
			Hint: "fix the first line of " + q}
	}
	if err := checkNotWritableByOthers("--program", prog.path, sb.interp, f, acct); err != nil {
		err.(*Error).Msg = "its interpreter: " + err.(*Error).Msg
		return sb, err
	}
	if sb.envCommand == "" {
		return sb, nil
	}
	found := f.lookCronPath(sb.envCommand)
	if found == "" {
		return sb, &Error{Flag: "--program", Value: prog.path,
			Msg:  fmt.Sprintf("its first line runs `env %s`, and cron's PATH (/usr/bin:/bin) has no %s, so it would never start", sb.envCommand, sb.envCommand),
			Hint: "write the interpreter's absolute path on the first line (`command -v " + sb.envCommand + "` shows where it is)"}
	}
	if err := checkNotWritableByOthers("--program", prog.path, found, f, acct); err != nil {
		err.(*Error).Msg = "its interpreter: " + err.(*Error).Msg
		return sb, err
	}
	return sb, nil
}

// lookCronPath finds a command the way env does under cron's PATH.
func (f Facts) lookCronPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	for _, d := range cronPath {
		p := filepath.Join(d, name)
		if fi, ok := f.file(p); ok && !fi.Mode.IsDir() && fi.Mode&0o111 != 0 {
			return p
		}
	}
	return ""
}

// ExpectedName is the process name the kernel gives a process started by
// execve(program), with how it was derived.
type ExpectedName struct {
	Name string
	// Cut is true when the basename was longer than proc.CommMax.
	Cut bool
	// Interpreter is set when the program is a `#!/usr/bin/env INTERP`
	// script: env execs the interpreter, so the process takes its name.
	Interpreter string
}

// expectedName is the name the kernel gives program, whose first line is
// firstLine: the basename of the file passed to execve, cut to 15 bytes.
// A script with an absolute interpreter keeps the script's own name; one
// run through `env` takes the interpreter's.
func expectedName(program, firstLine string) ExpectedName {
	base := filepath.Base(program)
	var interp string
	if sb, ok := parseShebang(firstLine); ok && sb.envCommand != "" {
		interp = sb.envCommand
		base = filepath.Base(interp)
	}
	n := proc.Truncate(base)
	return ExpectedName{Name: n, Cut: n != base, Interpreter: interp}
}

// NameOf is the process name the kernel will give the program, by the
// facts gathered for it.
func (f Facts) NameOf(program string) ExpectedName {
	fi, _ := f.file(program)
	return expectedName(program, fi.FirstLine)
}

func checkName(name string, prog program, r *Resolved) (string, error) {
	expected := expectedName(prog.path, prog.FirstLine)
	if name == "" && proc.Unmatchable(expected.Name) {
		return "", &Error{Flag: "--program", Value: prog.path,
			Msg:  fmt.Sprintf("its process name %q has a backslash, which /proc/PID/status shows doubled, so start-stop-daemon could never match it and would start a new copy on every tick", expected.Name),
			Hint: "rename the program without a backslash"}
	}
	if name == "" {
		if expected.Cut && expected.Interpreter == "" {
			r.warn("the process name defaults to %q: the kernel keeps only the first %d characters of %s", expected.Name, proc.CommMax, filepath.Base(prog.path))
		}
		return expected.Name, nil
	}
	leave := "leave --name out to use the program's process name (" + expected.Name + ")"
	switch {
	case len(name) > proc.CommMax:
		return "", &Error{Flag: "--name", Value: name,
			Msg:  fmt.Sprintf("is %d bytes; the kernel keeps at most %d, so start-stop-daemon would never match it and would start a new copy on every tick", len(name), proc.CommMax),
			Hint: fmt.Sprintf("use --name %s, or %s", shell.Quote(proc.Truncate(name)), leave)}
	case proc.Unmatchable(name):
		return "", &Error{Flag: "--name", Value: name, Msg: "a backslash in a process name is shown doubled in /proc/PID/status, so start-stop-daemon would never match it",
			Hint: leave}
	case strings.ContainsRune(name, '/') || strings.IndexFunc(name, unicode.IsSpace) >= 0:
		return "", &Error{Flag: "--name", Value: name, Msg: "a process name cannot contain / or white space (a no-break space included)",
			Hint: leave}
	case strings.HasPrefix(name, "-"):
		return "", &Error{Flag: "--name", Value: name, Msg: "a process name starting with - would be read as an option",
			Hint: leave}
	}
	if name != expected.Name {
		r.warn("--name %s differs from the name the kernel gives %s (%s): start-stop-daemon will start a new copy on every tick unless the program renames itself", name, prog.path, expected.Name)
	}
	return name, nil
}

func checkPidfile(p, name string, f Facts, acct Account, r *Resolved) (string, error) {
	if p == "" {
		r.DefaultPidfile = true
		p = filepath.Join(r.StateDir, name+".pid")
		// The default directory is created on install; until then only
		// what exists can be checked.
		if _, ok := f.file(r.StateDir); !ok {
			return p, nil
		}
	} else {
		p = f.absPath(p)
	}
	flag := "--pidfile"
	if fi, ok := f.file(p); ok {
		if !fi.Mode.IsRegular() {
			return "", &Error{Flag: flag, Value: p, Msg: "exists and is not a regular file"}
		}
		if fi.Mode.Perm()&0o002 != 0 {
			return "", &Error{Flag: flag, Value: p, Msg: "is world-writable, and start-stop-daemon refuses to trust such a pidfile (anyone could point it at any process)",
				Hint: "chmod o-w " + shell.Quote(p)}
		}
	}
	dir := filepath.Dir(p)
	di, ok := f.file(dir)
	if !ok || !di.Mode.IsDir() {
		return "", &Error{Flag: flag, Value: p, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + shell.Quote(dir)}
	}
	perm := uint32(di.Mode.Perm())
	if !acct.may(di.UID, di.GID, perm, 3) {
		return "", &Error{Flag: flag, Value: p, Msg: fmt.Sprintf("its directory %s is not writable by %s", dir, acct.Name),
			Hint: "choose a directory " + acct.Name + " owns, or leave --pidfile out for the default"}
	}
	if perm&0o002 != 0 {
		if di.Mode&fs.ModeSticky == 0 {
			return "", &Error{Flag: flag, Value: p, Msg: "its directory " + dir + " is writable by everyone and has no sticky bit, so any user could replace the pidfile",
				Hint: "leave --pidfile out for the default under " + r.StateDir}
		}
		r.warn("the pidfile %s is in %s, where any user can create it first; the default under %s is safer", p, dir, r.StateDir)
	}
	return p, nil
}

// CheckLog holds p, a file that acct's output is appended to, to the rules
// a log must meet: not a directory, in a directory that exists and that
// acct may write. It returns p made absolute.
func CheckLog(p string, f Facts, acct Account) (string, error) {
	if p == "" || p == DiscardLog {
		return "", nil
	}
	p = f.absPath(p)
	if fi, ok := f.file(p); ok && fi.Mode.IsDir() {
		return "", &Error{Flag: "--log", Value: p, Msg: "is a directory", Hint: "give a file name inside it"}
	}
	dir := filepath.Dir(p)
	di, ok := f.file(dir)
	if !ok || !di.Mode.IsDir() {
		return "", &Error{Flag: "--log", Value: p, Msg: "its directory " + dir + " does not exist", Hint: "mkdir -p " + shell.Quote(dir)}
	}
	if !acct.may(di.UID, di.GID, uint32(di.Mode.Perm()), 3) {
		return "", &Error{Flag: "--log", Value: p, Msg: fmt.Sprintf("its directory %s is not writable by %s", dir, acct.Name)}
	}
	return p, nil
}

func checkChdir(p string, f Facts, acct Account) (string, error) {
	if p == "" {
		return "", nil
	}
	p = f.absPath(p)
	fi, ok := f.file(p)
	if !ok || !fi.Mode.IsDir() {
		return "", &Error{Flag: "--chdir", Value: p, Msg: "is not an existing directory", Hint: "mkdir -p " + shell.Quote(p)}
	}
	if !acct.may(fi.UID, fi.GID, uint32(fi.Mode.Perm()), 1) {
		return "", &Error{Flag: "--chdir", Value: p, Msg: "is not searchable by " + acct.Name}
	}
	return p, nil
}
