// Package lint reads a crontab the way cron will run it and reports every
// trap that fails silently: a bare % that cuts a command, a command cron
// refuses, a schedule that never fires, a program cron's PATH does not
// find, a keeper line that starts a new copy on every tick or matches
// other users' processes, output that goes nowhere. Its checks are
// mkdaemon's own rules (package spec, schedule, crontab, ssd) applied to
// lines somebody else wrote; Check is a pure function of the crontab and
// the Facts gathered about the machine.
package lint

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// Finding is one problem on one line.
type Finding struct {
	Line    int    `json:"line"`
	Rule    string `json:"rule"`    // a short name: percent, schedule, ssd-name, ...
	Message string `json:"message"` // what is wrong
	Fix     string `json:"fix"`     // how to fix it
}

func (f Finding) String() string {
	b, _ := f.AppendText(nil)
	return string(b)
}

// AppendText appends "LINE: what is wrong; how to fix it" to b.
func (f Finding) AppendText(b []byte) ([]byte, error) {
	b = strconv.AppendInt(b, int64(f.Line), 10)
	b = append(b, ": "...)
	b = append(b, f.Message...)
	if f.Fix != "" {
		b = append(b, "; "...)
		b = append(b, f.Fix...)
	}
	return b, nil
}

// builtins are the sh words that name no file.
var builtins = map[string]bool{
	"cd": true, "echo": true, "exit": true, "export": true, "set": true, "test": true, "[": true, ".": true,
	"true": true, "false": true, ":": true, "exec": true, "printf": true, "read": true, "unset": true,
	"wait": true, "kill": true, "command": true, "eval": true, "trap": true, "umask": true, "ulimit": true,
	"shift": true, "return": true, "times": true, "type": true, "alias": true, "pwd": true,
}

// bashBuiltins are the bash words, beyond sh's, that name no file.
var bashBuiltins = map[string]bool{
	"source": true, "declare": true, "typeset": true, "local": true, "let": true, "shopt": true,
	"pushd": true, "popd": true, "dirs": true, "readarray": true, "mapfile": true, "builtin": true,
	"enable": true, "hash": true, "disown": true, "caller": true, "readonly": true, "getopts": true,
}

// Line is one line of a crontab as cron reads it.
type Line struct {
	N  int
	CR bool // it ended in a carriage return
	// An environment setting: Env is true.
	Env         bool
	Name, Value string
	// A job: Job is true. Command is the field with cron's % handling
	// done (Stdin is what followed a bare %); Path, Home and Shell are the
	// PATH, HOME and SHELL in force at the line. cron starts the job in
	// Home, as Shell -c Command.
	Job                             bool
	Schedule, Field, Command, Stdin string
	Path, Home, Shell               string

	cmd command // what the rules ask of Command
}

// A command is what the rules ask of a job's sh command, read with one
// parse. It keeps no syntax tree: a crontab of thousands of jobs then
// needs a small heap.
type command struct {
	err        error    // the command is not valid sh
	calls      []call   // its simple commands, nested ones included
	outputs    []output // the files its output is redirected to
	redirected bool     // it sends its output to a file or a pipe itself
	// expands are the variables it expands ($NAME, ${NAME}) without
	// setting them itself; none when it reads a file (. FILE) or runs
	// eval, which may set any.
	expands []string
}

// A call is one simple command.
type call struct {
	// prog is the program it runs, after any wrapper and the wrapper's
	// options (nohup, nice -n 5, flock -n FILE, ...); "" when the shell
	// computes it.
	prog string
	args []string    // the words after prog; "" for one the shell expands
	dir  string      // the directory it runs in (see cdDir)
	ssd  *ssdOptions // a start-stop-daemon call's options, read back
}

// An output is a file that a redirection (>, >>, >|) opens.
type output struct {
	dir, path string // path as written, and the directory it is opened in
}

type ssdOptions struct {
	ssd.Call
	err error
}

// unknownDir is where a command is after a cd whose operand the shell
// computes ($VAR, ~user, -). No literal operand is "?": sh expands that as a
// pattern.
const unknownDir = "?"

// cdDir returns the directory that `cd ARGS` moves to from dir. A
// directory is "" for the one cron starts every job in, the account's
// home; a path (a relative one is under the home); or unknownDir.
func cdDir(dir string, args []string) string {
	for len(args) > 0 && (args[0] == "-P" || args[0] == "-L") {
		args = args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	switch {
	case len(args) == 0:
		return "" // cd alone goes home
	case args[0] == "" || args[0] == "-":
		return unknownDir
	case path.IsAbs(args[0]):
		return path.Clean(args[0])
	case dir == unknownDir:
		return unknownDir
	default:
		return path.Join(dir, args[0])
	}
}

// where returns the absolute path that p names in dir (see cdDir), for an
// account whose home is home; "" when the shell computes dir.
func where(home, dir, p string) string {
	switch {
	case path.IsAbs(p):
		return path.Clean(p)
	case dir == unknownDir:
		return ""
	case path.IsAbs(dir):
		return path.Join(dir, p)
	default:
		return path.Join(home, dir, p)
	}
}

// script returns the file an interpreter call runs (python3 bot.py), or
// "" when c runs no interpreter or its first argument is an option
// (python3 -m, sh -c, perl -e), whose values are not files.
func script(c call) string {
	switch strings.TrimRight(path.Base(c.prog), "0123456789.") { // python3.11, php8.2
	case "python", "perl", "php", "ruby", "node", "nodejs", "sh", "bash", "dash":
	default:
		return ""
	}
	if len(c.args) == 0 || c.args[0] == "" || strings.HasPrefix(c.args[0], "-") {
		return ""
	}
	return c.args[0]
}

// readCommand reads s with p. A command of bare words alone (most
// start-stop-daemon lines) is read by splitting it, as sh does; each
// parse costs mvdan.cc/sh a few kilobytes however short the command.
// Words that start with ~ or $HOME are read with home, the HOME that
// cron gives the job.
func readCommand(p *syntax.Parser, s, home string) command {
	if args, ok := shell.Fields(s); ok {
		return command{calls: []call{readCall(args, "")}}
	}
	file, err := p.Parse(strings.NewReader(s), "")
	if err != nil {
		return command{err: err}
	}
	r := reader{home: home}
	syntax.Walk(file, r.visit)
	if r.opaque {
		r.c.expands = nil
	}
	r.c.expands = slices.DeleteFunc(r.c.expands, func(name string) bool { return slices.Contains(r.sets, name) })
	return r.c
}

// A reader walks one command's syntax tree into a command.
type reader struct {
	c      command
	home   string   // the HOME cron gives the job
	dir    string   // where the shell is, as the cd's so far tell
	sets   []string // the variables the command sets itself
	opaque bool     // it may set variables no parse can see
}

func (r *reader) visit(node syntax.Node) bool {
	c := &r.c
	switch x := node.(type) {
	case *syntax.Subshell:
		return r.apart(x.Stmts)
	case *syntax.CmdSubst:
		return r.apart(x.Stmts)
	case *syntax.Redirect:
		switch x.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
			c.redirected = true
			if v, ok := shell.HomeValue(x.Word, r.home); ok {
				c.outputs = append(c.outputs, output{r.dir, v})
			}
		}
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			c.redirected = true
		}
	case *syntax.ParamExp:
		if name, ok := shell.ParamName(x); ok && !slices.Contains(c.expands, name) {
			c.expands = append(c.expands, name)
		}
	case *syntax.Assign:
		if x.Name != nil {
			r.sets = append(r.sets, x.Name.Value)
		}
	case *syntax.WordIter: // for NAME in ...
		r.sets = append(r.sets, x.Name.Value)
	case *syntax.CallExpr:
		if len(x.Args) > 0 {
			call := readCall(shell.Args(x.Args, r.home), r.dir)
			switch call.prog {
			case "cd":
				r.dir = cdDir(r.dir, call.args)
			case "read", "getopts":
				r.sets = append(r.sets, call.args...)
			case ".", "source", "eval":
				r.opaque = true
			}
			c.calls = append(c.calls, call)
		}
	}
	return true
}

// apart walks the statements of ( ... ) or $( ... ), a subshell: a cd in
// it does not outlive it.
func (r *reader) apart(stmts []*syntax.Stmt) bool {
	saved := r.dir
	for _, st := range stmts {
		syntax.Walk(st, r.visit)
	}
	r.dir = saved
	return false
}

func readCall(args []shell.Arg, dir string) call {
	values := make([]string, len(args))
	for i, a := range args {
		values[i] = a.Value
	}
	values = unwrap(values)
	if len(values) == 0 {
		return call{}
	}
	c := call{prog: values[0], args: values[1:], dir: dir}
	if path.Base(c.prog) == "start-stop-daemon" {
		o, err := ssd.ParseArgs(args[len(args)-len(values):])
		c.ssd = &ssdOptions{o, err}
	}
	return c
}

// bash reports whether the job runs under bash (a SHELL= line above it),
// which reads more than sh: [[ ]], arrays, source.
func (l Line) bash() bool { return path.Base(l.Shell) == "bash" }

// Crontab is a crontab's lines, read once for Gather and Check.
type Crontab []Line

// Parse reads text, a crontab as `crontab -l` lists it or as a file holds
// it, of an account whose home is home.
func Parse(text, home string) Crontab {
	c := make(Crontab, 0, strings.Count(text, "\n")+1)
	sh := syntax.NewParser(syntax.Variant(syntax.LangPOSIX))
	var bash *syntax.Parser // made when a SHELL= line asks for bash
	pathEnv, homeEnv, shellEnv := spec.CronPath, home, spec.CronShell
	for n := 1; text != ""; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		l := Line{N: n}
		if strings.HasSuffix(line, "\r") {
			l.CR, line = true, strings.TrimSuffix(line, "\r")
		}
		if name, value, ok := crontab.Env(line); ok {
			l.Env, l.Name, l.Value = true, name, value
			switch name {
			case "PATH":
				pathEnv = value
			case "HOME":
				homeEnv = value
			case "SHELL":
				shellEnv = value
			}
		} else if sched, field, ok := crontab.Job(line); ok {
			l.Job, l.Schedule, l.Field, l.Path, l.Home, l.Shell = true, sched, field, pathEnv, homeEnv, shellEnv
			l.Command, l.Stdin = crontab.Unescape(field)
			parser := sh
			if l.bash() {
				if bash == nil {
					bash = syntax.NewParser(syntax.Variant(syntax.LangBash))
				}
				parser = bash
			}
			l.cmd = readCommand(parser, l.Command, homeEnv)
		}
		c = append(c, l)
	}
	return c
}

// Check returns the findings of a crontab, in line order.
func Check(c Crontab, f Facts) []Finding {
	var out []Finding
	add := func(line int, rule, msg, fix string) {
		out = append(out, Finding{Line: line, Rule: rule, Message: msg, Fix: fix})
	}
	env := map[string]string{}
	var jobs []int // line numbers of the jobs so far
	periodic := map[string]bool{}
	var silent []int // jobs whose output goes nowhere anyone reads
	mailEmpty := false
	var reboots []int // indexes in c of the @reboot jobs
	for i, l := range c {
		if l.CR {
			add(l.N, "crlf", "the line ends in a carriage return (saved on Windows?), which cron keeps as part of the command or value",
				"save the crontab with Unix line endings (sed -i 's/\\r$//' FILE, then crontab FILE)")
		}
		if l.Env {
			env[l.Name] = l.Value
			if len(jobs) > 0 {
				add(l.N, "env-order", fmt.Sprintf("%s= applies only to the job lines below it, not to the %d above it (from line %d)", l.Name, len(jobs), jobs[0]),
					"move it to the top of the crontab if those jobs need it")
			}
			continue
		}
		if !l.Job {
			continue
		}
		jobs = append(jobs, l.N)
		if !checkJob(l, env, f, add) {
			if mail, set := env["MAILTO"]; !set || mail == "" {
				silent = append(silent, l.N)
				mailEmpty = set
			}
		}
		if l.Schedule == "@reboot" {
			reboots = append(reboots, i)
		} else {
			periodic[l.Command] = true
		}
	}
	if len(silent) > 0 {
		msg := fmt.Sprintf("the output and errors of %s go to the local mailbox of %s, which few ever read", lineList(silent), f.Account.Name)
		if mailEmpty {
			msg = fmt.Sprintf("MAILTO is empty, so the output and errors of %s are thrown away", lineList(silent))
		}
		add(silent[0], "output", msg, "append >>\"$HOME/logs/NAME.log\" 2>&1 to each command, or set MAILTO= to an address that is read")
	}
	for _, i := range reboots {
		if r := c[i]; !periodic[r.Command] && looksLikeKeeper(r.Command) {
			add(r.N, "reboot-only", "this program is started only at boot: if it crashes, nothing starts it again until the next reboot",
				"run the same line on a schedule as well (for example */5 * * * *), or let mkdaemon write it: mkdaemon adopt")
		}
	}
	sortFindings(out)
	return out
}

// checkJob applies every rule for one job line. It reports whether the
// command sends its output somewhere itself.
func checkJob(l Line, env map[string]string, f Facts, add func(int, string, string, string)) (redirected bool) {
	n, sched := l.N, l.Schedule
	if s, err := f.schedule(sched); err != nil {
		fix := ""
		if se, ok := err.(*schedule.Error); ok {
			fix = se.Hint
		}
		add(n, "schedule", fmt.Sprintf("%q: %v", sched, err), fix)
	} else {
		for _, w := range s.Warnings {
			add(n, "schedule", w, "")
		}
	}
	if len(l.Field) > crontab.MaxCommand {
		add(n, "too-long", fmt.Sprintf("the command is %d bytes; crontab refuses more than %d", len(l.Field), crontab.MaxCommand),
			"move the command into a script and run that")
	}
	if l.Stdin != "" {
		add(n, "percent", fmt.Sprintf("a bare %% cuts the command after %q: cron feeds the rest to its standard input", l.Command),
			"write every % as \\%")
	}
	if l.cmd.err != nil {
		add(n, "sh", "the command is not valid "+path.Base(l.Shell)+": "+l.cmd.err.Error(), "fix the quoting; cron runs the command with "+l.Shell+" -c")
		return true
	}
	for _, name := range l.cmd.expands {
		if _, set := env[name]; !set && !f.setUnderCron(name) {
			add(n, "env", fmt.Sprintf("$%s is not set under cron, which gives a job only HOME, LOGNAME, PATH, SHELL and the NAME= lines above it, so it expands to nothing", name),
				"set "+name+"= on a line above this job, or write the value out")
		}
	}
	for _, c := range l.cmd.calls {
		checkCall(n, c, l, f, add)
	}
	for _, o := range l.cmd.outputs {
		checkOutput(n, o, l.Home, f, add)
	}
	checkKeeper(n, l.cmd.calls, add)
	return l.cmd.redirected
}

// checkCall looks at one simple command: its program must exist where
// cron will look, and a start-stop-daemon call must keep exactly one copy.
func checkCall(n int, c call, l Line, f Facts, add func(int, string, string, string)) {
	home := l.Home
	relative := func(p string) {
		add(n, "relative", fmt.Sprintf("%s is a relative path: cron runs the job in %s, not where you tested it", p, home),
			"write the absolute path, or cd to an absolute one first")
	}
	word := c.prog
	switch {
	case word == "":
		return
	case strings.Contains(word, "/") && !strings.HasPrefix(word, "/") && c.dir == "":
		relative(word)
	case strings.Contains(word, "/"):
		if p := f.resolve(home, c.dir, word); p != "" {
			if fi, ok := f.Spec.Files[p]; !ok || fi.Mode.IsDir() || fi.Mode&0o111 == 0 {
				name := word
				if p != word {
					name += " (" + p + ")"
				}
				add(n, "not-found", name+" does not exist or is not executable", "check the path")
			}
		}
	case word == "cd":
		// After a cd that fails (reported there) or that the shell
		// computes, the next one is not judged.
		switch to := cdDir(c.dir, c.args); {
		case !f.reaches(home, c.dir), to == unknownDir:
		case c.dir == "" && to != "" && !path.IsAbs(to):
			relative(to)
		case !f.reaches(home, to):
			add(n, "not-found", "cd "+where(home, to, ".")+" fails: it is not an existing directory", "check the path")
		}
	case builtins[word], l.bash() && bashBuiltins[word]:
	case word == "start-stop-daemon":
		// checkSSD says where it is.
	default:
		if f.lookPath(word, l.Path) == "" {
			add(n, "not-on-path", fmt.Sprintf("%s is not in the PATH cron uses for this line (%s)", word, l.Path),
				"write its absolute path (command -v "+word+" shows it), or set PATH= above this line")
		}
	}
	if s := script(c); s != "" {
		if !path.IsAbs(s) && c.dir == "" {
			relative(s)
		} else if p := f.resolve(home, c.dir, s); p != "" {
			if fi, ok := f.Spec.Files[p]; !ok || fi.Mode.IsDir() {
				add(n, "not-found", "the script "+p+" does not exist", "check the path")
			}
		}
	}
	if c.ssd != nil {
		checkSSD(n, c.prog, *c.ssd, l.Schedule, f, add)
	}
}

// checkOutput looks at a file a redirection opens: sh must be able to
// create it, or it runs nothing.
func checkOutput(n int, o output, home string, f Facts, add func(int, string, string, string)) {
	p := f.resolve(home, o.dir, o.path)
	if p == "" || strings.HasPrefix(p, "/dev/") || strings.HasPrefix(p, "/proc/") {
		return
	}
	if _, err := spec.CheckLog(p, f.Spec, f.Account); err != nil {
		msg, fix := err.Error(), "send it to a file in a directory of "+f.Account.Name+"'s"
		if se, ok := err.(*spec.Error); ok {
			msg = se.Msg
			if se.Hint != "" {
				fix = se.Hint
			}
		}
		add(n, "redirect", fmt.Sprintf("sh cannot open %s for the command's output (%s), so the command never runs", p, msg), fix)
	}
}

// checkSSD holds a start-stop-daemon call to the rules mkdaemon's own
// lines follow.
func checkSSD(n int, ssdPath string, o ssdOptions, sched string, f Facts, add func(int, string, string, string)) {
	c, err := o.Call, o.err
	if !strings.HasPrefix(ssdPath, "/") {
		add(n, "ssd-path", "start-stop-daemon is not on cron's PATH (/usr/bin:/bin) on Debian: it is in /usr/sbin",
			"write /usr/sbin/start-stop-daemon")
	}
	if err != nil {
		switch {
		case errors.Is(err, ssd.ErrNoPidfile):
			add(n, "ssd-pidfile", "start-stop-daemon has no --pidfile, so it looks at every process on the machine and takes anyone's program of that name for yours",
				"add --pidfile ~/.local/state/NAME.pid (and --background --make-pidfile for a program that stays in the foreground)")
		case errors.Is(err, ssd.ErrNoName):
			add(n, "ssd-name", "start-stop-daemon has no --name, so a PID reused by another program counts as already running",
				"add --name with the program's process name")
		default:
			add(n, "ssd", err.Error(), "write each start-stop-daemon option's value out in full (an absolute path, no $VARIABLE or ~)")
			return
		}
	}
	if c.Exec != "" {
		if fi, ok := f.Spec.Files[c.Exec]; ok && strings.HasPrefix(fi.FirstLine, "#!") {
			add(n, "ssd-exec", fmt.Sprintf("--exec %s names a script, but /proc/PID/exe of a script is its interpreter, so it never matches", c.Exec),
				"use --startas "+shell.Quote(c.Exec)+" with --name")
		}
	}
	if c.Program == "" || c.Pidfile == "" || c.Name == "" {
		// spec.Resolve below, which looks for the program, needs all three.
		if _, ok := f.Spec.Files[c.Program]; !ok && path.IsAbs(c.Program) {
			add(n, "ssd-program", c.Program+" does not exist", "check the path")
		}
		return
	}
	for _, p := range []struct{ flag, value string }{{"--startas", c.Program}, {"--pidfile", c.Pidfile}} {
		if !strings.HasPrefix(p.value, "/") {
			add(n, "relative", fmt.Sprintf("%s %s is a relative path: cron runs the job in %s", p.flag, p.value, f.Account.Home), "write the absolute path")
			return
		}
	}
	if strings.HasPrefix(c.Pidfile, "/tmp/") || strings.HasPrefix(c.Pidfile, "/var/tmp/") {
		add(n, "ssd-pidfile", "the pidfile is in "+path.Dir(c.Pidfile)+", where any user can create it first, and which is emptied at boot",
			"keep it under your home, e.g. ~/.local/state/mkdaemon/"+c.Name+".pid")
	}
	if !c.Background && !f.Spec.Files[c.Program].Skeleton {
		if fi := f.Spec.Files[c.Program]; strings.HasPrefix(fi.FirstLine, "#!") {
			add(n, "ssd-foreground", "the program is started without --background: unless it forks and writes "+c.Pidfile+" itself, the pidfile never names it and cron starts a new copy on every tick",
				"add --background --make-pidfile (mkdaemon check --program "+shell.Quote(c.Program)+" tells which it is)")
		}
	}
	in := spec.Input{Program: c.Program, Name: c.Name, Pidfile: c.Pidfile, Log: c.Log, Chdir: c.Chdir,
		Daemonizes: !c.Background, Interval: sched}
	if f.Account.UID != f.Spec.Current.UID {
		in.User = f.Account.Name
	}
	r, err := spec.Resolve(in, f.Spec)
	if se, ok := err.(*spec.Error); ok && se.Flag == "--program" {
		if _, exists := f.Spec.Files[c.Program]; !exists {
			// Reported, then the other rules are applied as if it
			// existed.
			add(n, "ssd-program", se.Msg, "check the path")
			planned := f.Spec
			planned.Files = maps.Clone(f.Spec.Files)
			planned.Files[c.Program] = spec.File{Mode: 0o755, UID: f.Account.UID, GID: f.Account.GID}
			r, err = spec.Resolve(in, planned)
		}
	}
	if err != nil {
		if se, ok := err.(*spec.Error); ok && se.Flag != "--interval" {
			add(n, "ssd-"+strings.TrimPrefix(se.Flag, "--"), se.Error(), se.Hint)
		}
		return
	}
	for _, w := range r.Warnings {
		if strings.Contains(w, "--interval") || strings.Contains(w, "field") || strings.Contains(w, "any user can create it first") {
			continue // the schedule and a pidfile in /tmp have their own findings
		}
		add(n, "ssd", w, "")
	}
}

// checkKeeper reports keepers built on pgrep, pidof or ps | grep.
func checkKeeper(n int, calls []call, add func(int, string, string, string)) {
	for _, c := range calls {
		switch path.Base(c.prog) {
		case "pgrep", "pidof":
			ownOnly := false
			for _, a := range c.args {
				if a == "-u" || strings.HasPrefix(a, "-u") || a == "--euid" || a == "-U" {
					ownOnly = true
				}
			}
			if !ownOnly {
				add(n, "keeper", path.Base(c.prog)+" matches every user's processes of that name, so another user's bot counts as yours and yours is never started",
					"keep it with start-stop-daemon and a pidfile instead (mkdaemon adopt turns this line into one)")
			} else {
				add(n, "keeper", path.Base(c.prog)+" matches by name (with -f by any text in the command line, its own line included), so an editor or a grep for the bot counts as the bot",
					"keep it with start-stop-daemon and a pidfile instead (mkdaemon adopt turns this line into one)")
			}
			return
		case "ps":
			for _, g := range calls {
				if path.Base(g.prog) == "grep" {
					add(n, "keeper", "ps | grep matches every user's processes and its own grep, so the bot always looks running",
						"keep it with start-stop-daemon and a pidfile instead (mkdaemon adopt turns this line into one)")
					return
				}
			}
		}
	}
}

// looksLikeKeeper reports whether a command starts a program that is meant
// to keep running, as opposed to a one-off job.
func looksLikeKeeper(command string) bool {
	return strings.Contains(command, "start-stop-daemon") || strings.Contains(command, "nohup") ||
		strings.Contains(command, "screen") || strings.Contains(command, "tmux") || strings.HasSuffix(strings.TrimSpace(command), "&")
}

// lineList names the lines: "line 3", "lines 3, 5 and 9".
func lineList(ns []int) string {
	if len(ns) == 1 {
		return fmt.Sprintf("line %d", ns[0])
	}
	words := make([]string, len(ns))
	for i, n := range ns {
		words[i] = fmt.Sprint(n)
	}
	return "lines " + strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Line < fs[j].Line })
}
