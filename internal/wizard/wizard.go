// Package wizard asks a new bot owner, one question at a time, for what the
// flags did not give, and takes them from "I have a program" (or "I have
// nothing yet") to an installed crontab entry.
//
// Every answer fills the same spec.Input the flags fill and is checked by
// spec.Resolve, the function that checks the flags: an error naming the
// question's flag is shown under the question, which is asked again. The
// wizard writes nothing until the user chooses what to do at the review; a
// skeleton to be scaffolded is described to the rules as planned until
// then, so that the later questions are checked against what it will be.
package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// Wizard is one run of the questions. Prompter, Out, Env, Render and Given
// are required; the collaborators may be nil when not available.
type Wizard struct {
	Prompter Prompter
	Out      io.Writer // where the wizard talks to the user: the terminal
	Env      spec.Env  // as for spec.Resolve
	Now      func() time.Time
	// Render turns a resolved spec into the lines to install: the CLI's
	// renderer, which knows where start-stop-daemon is.
	Render func(*spec.Resolved) (entry.Entry, error)
	// Given reports whether the user set a flag on the command line, by
	// its name without dashes ("program", "background", "name",
	// "pidfile", "interval", "at-boot", "log"), or for "args" whether
	// program arguments were given after --. Those questions are not
	// asked.
	Given func(flag string) bool

	// PrintOnly is --print: nothing is offered at the end; Run returns
	// ActionPrint and the caller prints the entry.
	PrintOnly bool
	// Yes is --yes: install right after the review, without asking.
	Yes bool

	Scaffolder Scaffolder
	Installer  Installer // Differ too, when it can show the change
	Exporter   Exporter
	Checker    Checker
}

// Action is what the user chose at the review.
type Action int

const (
	ActionPrint   Action = iota + 1 // print the entry (the caller does)
	ActionInstall                   // installed (and maybe checked)
	ActionExport                    // exported to another supervisor
)

// Result is the outcome of a run that was not canceled.
type Result struct {
	Action   Action
	Resolved *spec.Resolved
	Entry    entry.Entry
}

// Run asks the questions in the order of the issue, starting from in, the
// input the flags gave. It returns ErrCanceled, with nothing written, when
// the user interrupts a question or cancels at the review; a *spec.Error
// when a flag given on the command line is invalid; any other error when
// acting on the choice failed.
func (w *Wizard) Run(ctx context.Context, in spec.Input) (Result, error) {
	s := &session{w: w, ctx: ctx, in: in}
	if err := s.settle(); err != nil {
		return Result{}, err
	}
	steps := []func() error{
		s.askProgram,
		s.askMode,
		s.askName,
		s.askPidfile,
		s.askInterval,
		s.askAtBoot,
		s.askArgs,
		s.askLog,
		s.askEnv,
		s.askEnvFile,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return Result{}, err
		}
	}
	return s.review()
}

// session is the state of one run: the input so far and the skeleton
// planned, if any.
type session struct {
	w    *Wizard
	ctx  context.Context
	in   spec.Input
	skel *skeleton
}

func (s *session) given(flag string) bool { return s.w.Given != nil && s.w.Given(flag) }

func (s *session) say(format string, args ...any) {
	fmt.Fprintf(s.w.Out, format+"\n", args...)
}

func (s *session) now() time.Time {
	if s.w.Now != nil {
		return s.w.Now()
	}
	return time.Now()
}

// questionOf maps the Flag of a spec.Error to the question that answers it.
func questionOf(flag string) string {
	if strings.HasPrefix(flag, "program argument") {
		return "args"
	}
	return strings.TrimPrefix(flag, "--")
}

// problem checks in, which holds the answer being given to question, the
// way the flags are checked, and returns the error only when it is about
// this question: an error about a later question is asked there. A
// rendering error (a command too long for cron) names no flag and is put
// on the answer that made it.
func (s *session) problem(in spec.Input, question string) error {
	r, err := s.resolve(in)
	if err == nil {
		_, err = s.w.Render(r)
		var se *spec.Error
		if errors.As(err, &se) && se.Flag == "" {
			return errors.New((explain(se)))
		}
		return nil
	}
	var se *spec.Error
	if errors.As(err, &se) && questionOf(se.Flag) == question {
		return errors.New((explain(se)))
	}
	return nil
}

// explain is an error as shown under a question: the message the flag
// would get, and its hint on a line of its own.
func explain(se *spec.Error) string {
	if se.Hint == "" {
		return se.Error()
	}
	return se.Error() + "\n  hint: " + se.Hint
}

// settle ends the run when the input is invalid in a flag given on the
// command line: the wizard asks only for what is missing, and a bad flag
// fails as it would without the wizard. Errors about questions still to
// come wait for their question.
func (s *session) settle() error {
	_, err := s.resolve(s.in)
	if err == nil {
		return nil
	}
	var se *spec.Error
	if !errors.As(err, &se) {
		return err // not about the input: who we are could not be learnt
	}
	if s.given(questionOf(se.Flag)) {
		return err
	}
	return nil
}

// resolved is the input resolved with every answer so far.
func (s *session) resolved() (*spec.Resolved, error) { return s.resolve(s.in) }

// resolve gathers the facts in depends on and checks it, as the flags are
// checked.
func (s *session) resolve(in spec.Input) (*spec.Resolved, error) {
	return spec.Resolve(in, s.factsFor(in))
}

// factsFor gathers the facts in depends on; a skeleton still to be written
// is taken as planned.
func (s *session) factsFor(in spec.Input) spec.Facts {
	if s.skel != nil && spec.AbsPath(in.Program, s.w.Env) == s.skel.program {
		return spec.GatherPlanned(in, s.w.Env, s.skel.file)
	}
	return spec.Gather(in, s.w.Env)
}

// missing reports whether the program path names nothing at all, which
// the wizard answers with an offer to scaffold instead of an error.
func (s *session) missing(program string) bool {
	_, err := os.Stat(spec.AbsPath(program, s.w.Env))
	return errors.Is(err, fs.ErrNotExist)
}

// programPath is the program's absolute path, as Resolve reads it.
func (s *session) programPath() string { return spec.AbsPath(s.in.Program, s.w.Env) }

func (s *session) completePath(typed string) []string {
	return CompletePath(typed, s.w.Env.Current.Home, s.w.Env.Cwd)
}

func (s *session) askProgram() error {
	if s.given("program") {
		return nil
	}
	for {
		ans, err := s.w.Prompter.Input(Input{
			Name:    "program",
			Message: "Program to keep running (path):",
			Help: "The file cron should keep running: a script with a #! line or a binary. " +
				"A path that does not exist yet can get a new daemon skeleton.",
			Complete: s.completePath,
			Validate: func(a string) error {
				a = strings.TrimSpace(a)
				if a == "" {
					return errors.New("type the path of your program, or of a new one to create")
				}
				if s.missing(a) {
					return nil // offered to scaffold next
				}
				in := s.in
				in.Program = a
				return s.problem(in, "program")
			},
		})
		if err != nil {
			return err
		}
		s.in.Program = strings.TrimSpace(ans)
		if !s.missing(s.in.Program) {
			return s.settle()
		}
		ok, err := s.offerScaffold()
		if err != nil {
			return err
		}
		if ok {
			return s.settle()
		}
	}
}

func (s *session) askMode() error {
	if s.given("daemonizes") {
		return nil
	}
	if s.isSkeleton() {
		s.in.Daemonizes = true
		s.say("%s is a skeleton made by mkdaemon: it puts itself in the background and writes its own pidfile.", s.in.Program)
		return s.settle()
	}
	fg := "It stays in the foreground: start-stop-daemon backgrounds it and writes the pidfile"
	self := "It daemonizes itself: forks into the background and writes its own pidfile (--daemonizes)"
	ans, err := s.w.Prompter.Select(Select{
		Name:    "mode",
		Message: "How does the program run?",
		Options: []string{fg, self},
		Default: fg,
		Help: "Almost every program stays in the foreground: a script that loops, a bot that holds a connection. " +
			"Only a program that forks, detaches and writes its pidfile itself (the old Toolserver recipe) daemonizes; " +
			"if such a program is not started that way, cron starts a new copy on every tick.",
	})
	if err != nil {
		return err
	}
	s.in.Daemonizes = ans == self
	return s.settle()
}

// facts are what the rules know of the machine for the answers so far.
func (s *session) facts() spec.Facts { return s.factsFor(s.in) }

// isSkeleton reports whether the program was made by mkdaemon scaffold.
func (s *session) isSkeleton() bool { return s.facts().Files[s.programPath()].Skeleton }

func (s *session) askName() error {
	if s.given("name") {
		return nil
	}
	exp := s.facts().NameOf(s.programPath())
	base := filepath.Base((s.in.Program))
	switch {
	case exp.Interpreter != "":
		s.say("%s starts with `#!/usr/bin/env %s`: env runs the interpreter, so the process is named %q, like every other %s program.",
			base, exp.Interpreter, exp.Name, exp.Interpreter)
		s.say("Writing the interpreter's full path on its first line would name the process after the script.")
	case exp.Cut:
		s.say("The kernel keeps only the first %d characters of a process name: %s runs as %q.", proc.CommMax, base, exp.Name)
	}
	ans, err := s.w.Prompter.Input(Input{
		Name:    "name",
		Message: "Process name start-stop-daemon looks for:",
		Default: exp.Name,
		Help:    fmt.Sprintf("start-stop-daemon --name compares this with the kernel's name of the running process (at most %d characters).", proc.CommMax),
		Validate: func(a string) error {
			in := s.in
			in.Name = orDefault(a, exp.Name)
			return s.problem(in, "name")
		},
	})
	if err != nil {
		return err
	}
	s.in.Name = orDefault(ans, exp.Name)
	return s.settle()
}

// orDefault keeps the default as "" in the input, so that it resolves
// exactly as a run without the flag does (the same warnings, and the
// default pidfile's directory created on install).
func orDefault(answer, def string) string {
	answer = strings.TrimSpace(answer)
	if answer == def {
		return ""
	}
	return answer
}

func (s *session) askPidfile() error {
	if s.given("pidfile") {
		return nil
	}
	def := s.defaultPidfile()
	ans, err := s.w.Prompter.Input(Input{
		Name:     "pidfile",
		Message:  "Pidfile:",
		Default:  def,
		Help:     "The file holding the daemon's process ID. start-stop-daemon reads it to see whether the daemon runs.",
		Complete: s.completePath,
		Validate: func(a string) error {
			in := s.in
			in.Pidfile = orDefault(a, def)
			return s.problem(in, "pidfile")
		},
	})
	if err != nil {
		return err
	}
	s.in.Pidfile = orDefault(ans, def)
	return s.settle()
}

// defaultPidfile is the pidfile spec.Resolve picks when none is given.
func (s *session) defaultPidfile() string {
	in := s.in
	in.Pidfile = ""
	r, err := s.resolve(in)
	var se *spec.Error
	switch {
	case err == nil:
		return r.Spec.Pidfile
	case errors.As(err, &se) && se.Flag == "--pidfile":
		return se.Value
	}
	return ""
}

func (s *session) askInterval() error {
	if s.given("interval") {
		return nil
	}
	ans, err := s.w.Prompter.Input(Input{
		Name:    "interval",
		Message: "How often should cron check that it runs?",
		Default: schedule.DefaultInterval,
		Help: "A duration that divides an hour or a day (5m, 30m, 2h), a crontab schedule (*/5 * * * *), " +
			"or @hourly, @daily, @weekly, @monthly, @yearly, @reboot. It is the longest the program stays down.",
		Validate: func(a string) error {
			in := s.in
			in.Interval = strings.TrimSpace(a)
			return s.problem(in, "interval")
		},
	})
	if err != nil {
		return err
	}
	s.in.Interval = strings.TrimSpace(ans)
	if err := s.settle(); err != nil {
		return err
	}
	if sched, err := schedule.Parse(s.in.Interval); err == nil {
		s.say("  %s%s", sched.Text(), nextRuns(sched.Next(s.now(), 3)))
	}
	return nil
}

func nextRuns(ts []time.Time) string {
	if len(ts) == 0 {
		return ""
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format("Mon 2006-01-02 15:04")
	}
	return "; next: " + strings.Join(out, ", ")
}

func (s *session) askAtBoot() error {
	if s.given("at-boot") {
		return nil
	}
	if sched, err := schedule.Parse(s.in.Interval); err == nil && sched.Reboot() {
		return nil
	}
	ok, err := s.w.Prompter.Confirm(Confirm{
		Name:    "at-boot",
		Message: "Also start it as soon as the machine boots (an @reboot line)?",
		Help:    "Without it, the program starts at the first tick after boot.",
	})
	if err != nil {
		return err
	}
	s.in.AtBoot = ok
	return s.settle()
}

func (s *session) askArgs() error {
	if s.given("args") {
		return nil
	}
	home := s.w.Env.Current.Home
	ans, err := s.w.Prompter.Input(Input{
		Name:    "args",
		Message: "Arguments for the program (as in a shell; Enter for none):",
		Help:    "Quote as in a shell: --wiki en --summary 'daily cleanup'. $VARIABLES are not expanded: cron has almost no environment.",
		Validate: func(a string) error {
			args, err := SplitArgs(a, home)
			if err != nil {
				return err
			}
			in := s.in
			in.Args = args
			return s.problem(in, "args")
		},
	})
	if err != nil {
		return err
	}
	if s.in.Args, err = SplitArgs(ans, home); err != nil {
		return err // the validator accepted it; cannot happen
	}
	if len(s.in.Args) > 0 {
		s.say("  the program gets %d argument%s: %s", len(s.in.Args), plural(len(s.in.Args)), shell.Join(s.in.Args))
	}
	return s.settle()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (s *session) askLog() error {
	if s.given("log") || s.in.Daemonizes {
		return nil
	}
	ans, err := s.w.Prompter.Input(Input{
		Name:     "log",
		Message:  "Log file for its output (Enter for the default in mkdaemon's state directory; /dev/null discards it):",
		Help:     "start-stop-daemon appends what the program prints to this file (--output); logrotate keeps it small.",
		Complete: s.completePath,
		Validate: func(a string) error {
			in := s.in
			in.Log = strings.TrimSpace(a)
			return s.problem(in, "log")
		},
	})
	if err != nil {
		return err
	}
	s.in.Log = strings.TrimSpace(ans)
	return s.settle()
}

// skeleton is a scaffold the user asked for. Nothing is written until the
// user chooses to go ahead: until then the rules are told what the file
// will be (spec.GatherPlanned).
type skeleton struct {
	label, lang string
	out         string // where it goes (absolute)
	program     string // the program it will be (out, or the binary in out for Go)
	file        spec.File
}

// offerScaffold is asked when the program path does not exist. It returns
// true when a skeleton is planned there, false to ask for the path again.
func (s *session) offerScaffold() (bool, error) {
	abs := spec.AbsPath(s.in.Program, s.w.Env)
	if s.w.Scaffolder == nil {
		s.say("%s does not exist, and this mkdaemon cannot create a skeleton (scaffolding is not available yet): give the path of an existing program.", abs)
		return false, nil
	}
	dir := filepath.Dir(abs)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		s.say("Neither %s nor its directory %s exists: create the directory first (mkdir -p %s), or give another path.", abs, dir, dir)
		return false, nil
	}
	if unix.Access(dir, unix.W_OK) != nil {
		s.say("%s does not exist, and a skeleton cannot be created there: %s is not writable.", abs, dir)
		return false, nil
	}
	ok, err := s.w.Prompter.Confirm(Confirm{
		Name:    "scaffold",
		Message: fmt.Sprintf("%s does not exist. Create a new daemon skeleton there?", abs),
		Default: true,
		Help:    "A skeleton is a small program that daemonizes correctly, with one marked place for your bot's work. Nothing is written before the review.",
	})
	if err != nil || !ok {
		return false, err
	}
	labels := make([]string, len(Languages))
	for i, l := range Languages {
		labels[i] = l.Label
	}
	label, err := s.w.Prompter.Select(Select{
		Name:    "language",
		Message: "Language of the skeleton:",
		Options: labels,
		Default: languageOf(abs),
	})
	if err != nil {
		return false, err
	}
	k := &skeleton{label: label, out: abs}
	for _, l := range Languages {
		if l.Label == label {
			k.lang = l.Lang
		}
	}
	if k.program, k.file, err = s.w.Scaffolder.Plan(ScaffoldRequest{Lang: k.lang, Out: k.out}); err != nil {
		s.say("A %s skeleton cannot be created: %v", label, err)
		return false, nil
	}
	prev, prevSkel := s.in.Program, s.skel
	s.skel, s.in.Program = k, k.program
	if err := s.problem(s.in, "program"); err != nil {
		s.say("The %s skeleton cannot be used: %v", label, err)
		s.skel, s.in.Program = prevSkel, prev
		return false, nil
	}
	return true, nil
}

// languageOf guesses the language from the extension the user typed.
func languageOf(path string) string {
	switch filepath.Ext(path) {
	case ".pl":
		return "Perl"
	case ".php":
		return "PHP"
	case ".go", "":
		return "Go"
	}
	return "Python"
}
