package wizard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// step is one scripted answer. For an Input, each answer is tried in turn
// through the question's validator, as survey does, and the first valid
// one is returned; "" stands for pressing Enter (the default). For a
// Select, the answer is a substring of the option to choose ("" for the
// default); for a Confirm, "y", "n" or "" (the default).
type step struct {
	q       string
	answers []string
	cancel  bool
}

func ans(q string, answers ...string) step { return step{q: q, answers: answers} }
func cancelAt(q string) step               { return step{q: q, cancel: true} }

// script is a Prompter that follows steps and records what it was asked.
type script struct {
	t        *testing.T
	steps    []step
	asked    []string
	errs     map[string][]string // validation errors shown, by question
	defaults map[string]string
	options  map[string][]string
}

func newScript(t *testing.T, steps ...step) *script {
	return &script{t: t, steps: steps, errs: map[string][]string{}, defaults: map[string]string{}, options: map[string][]string{}}
}

func (s *script) next(name string) step {
	s.t.Helper()
	if len(s.steps) == 0 {
		s.t.Fatalf("asked %q after the end of the script (asked so far: %v)", name, s.asked)
	}
	st := s.steps[0]
	s.steps = s.steps[1:]
	if st.q != name {
		s.t.Fatalf("asked %q where the script expects %q (asked so far: %v)", name, st.q, s.asked)
	}
	s.asked = append(s.asked, name)
	return st
}

func (s *script) Input(q Input) (string, error) {
	st := s.next(q.Name)
	s.defaults[q.Name] = q.Default
	if st.cancel {
		return "", ErrCanceled
	}
	for _, a := range st.answers {
		if a == "" {
			a = q.Default
		}
		if q.Validate != nil {
			if err := q.Validate(a); err != nil {
				s.errs[q.Name] = append(s.errs[q.Name], err.Error())
				continue
			}
		}
		return a, nil
	}
	s.t.Fatalf("no answer to %q passed its validator; errors: %q", q.Name, s.errs[q.Name])
	return "", nil
}

func (s *script) Select(q Select) (string, error) {
	st := s.next(q.Name)
	s.defaults[q.Name] = q.Default
	s.options[q.Name] = q.Options
	if st.cancel {
		return "", ErrCanceled
	}
	want := st.answers[0]
	if want == "" {
		if q.Default != "" {
			return q.Default, nil
		}
		return q.Options[0], nil
	}
	var match []string
	for _, o := range q.Options {
		if strings.Contains(o, want) {
			match = append(match, o)
		}
	}
	if len(match) != 1 {
		s.t.Fatalf("%q matches %d options of %q: %q", want, len(match), q.Name, q.Options)
	}
	return match[0], nil
}

func (s *script) Confirm(q Confirm) (bool, error) {
	st := s.next(q.Name)
	s.defaults[q.Name] = fmt.Sprint(q.Default)
	if st.cancel {
		return false, ErrCanceled
	}
	switch st.answers[0] {
	case "y":
		return true, nil
	case "n":
		return false, nil
	}
	return q.Default, nil
}

func (s *script) done() {
	s.t.Helper()
	if len(s.steps) > 0 {
		s.t.Errorf("script not finished: %d steps left, starting with %q", len(s.steps), s.steps[0].q)
	}
}

// recorder stands in for the installer, scaffolder, exporter and checker,
// which other packages implement; the wizard's own contract with them is
// what is tested here. The end-to-end tests in cmd/mkdaemon use the real
// ones.
type recorder struct {
	installed []entry.Entry
	diff      string
	scaffolds []ScaffoldRequest
	exported  []string
	checked   []string
	checkErr  error
}

func (rc *recorder) Install(_ context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error {
	rc.installed = append(rc.installed, e)
	fmt.Fprintf(out, "installed %s\n", e.Name)
	return nil
}

func (rc *recorder) Diff(_ context.Context, r *spec.Resolved, e entry.Entry) (string, error) {
	return rc.diff, nil
}

// Plan is what Scaffold will write.
func (rc *recorder) Plan(req ScaffoldRequest) (string, spec.File, error) {
	prog := req.Out
	if req.Lang == "go" {
		prog = filepath.Join(req.Out, filepath.Base(req.Out))
	}
	return prog, spec.File{Mode: 0o755, FirstLine: "#!/bin/sh\n", Skeleton: true}, nil
}

// Scaffold writes a tiny script carrying the skeleton marker; for Go, a
// directory with the program inside, as the scaffold command does.
func (rc *recorder) Scaffold(_ context.Context, req ScaffoldRequest) (string, error) {
	rc.scaffolds = append(rc.scaffolds, req)
	prog := req.Out
	if req.Lang == "go" {
		if err := os.Mkdir(req.Out, 0o755); err != nil {
			return "", err
		}
		prog = filepath.Join(req.Out, filepath.Base(req.Out))
	}
	body := "#!/bin/sh\n# " + spec.SkeletonMarker + "\n"
	f, err := os.OpenFile(prog, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = f.WriteString(body)
	return prog, err
}

func (rc *recorder) Formats() []string { return []string{"systemd", "toolforge"} }

func (rc *recorder) Export(_ context.Context, format string, r *spec.Resolved, out io.Writer) error {
	rc.exported = append(rc.exported, format+" "+r.Spec.Program)
	return nil
}

func (rc *recorder) Check(_ context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error {
	rc.checked = append(rc.checked, e.Name)
	return rc.checkErr
}

// fixture is a home directory with programs in it.
type fixture struct {
	t       *testing.T
	home    string
	env     spec.Env
	out     bytes.Buffer
	rec     *recorder
	now     time.Time
	ssdPath string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	acct, err := spec.CurrentAccount()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	acct.Home = home
	vars := map[string]string{"HOME": home}
	f := &fixture{
		t:       t,
		home:    home,
		rec:     &recorder{},
		now:     time.Date(2026, 3, 2, 10, 2, 0, 0, time.Local),
		ssdPath: "/usr/sbin/start-stop-daemon",
		env: spec.Env{Getenv: func(k string) string { return vars[k] }, Cwd: home, Current: acct,
			Lookup: func(string) (spec.Account, error) { return spec.Account{}, errors.New("no other users here") }},
	}
	return f
}

// program writes an executable file in the home directory.
func (f *fixture) program(name, body string) string {
	f.t.Helper()
	p := filepath.Join(f.home, name)
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// render is the CLI's renderer, with a fixed clock.
func (f *fixture) render(r *spec.Resolved) (entry.Entry, error) {
	e, err := entry.Build(r, f.ssdPath, f.now)
	var tl *crontab.CommandTooLongError
	if errors.As(err, &tl) {
		return e, &spec.Error{Msg: tl.Error()}
	}
	return e, err
}

// wizard wires every collaborator to the recorder; given lists the flags
// set on the command line.
func (f *fixture) wizard(p Prompter, given ...string) *Wizard {
	return &Wizard{
		Prompter: p, Out: &f.out, Env: f.env, Now: func() time.Time { return f.now },
		Render:     f.render,
		Given:      func(flag string) bool { return slices.Contains(given, flag) },
		Scaffolder: f.rec, Installer: f.rec, Exporter: f.rec, Checker: f.rec,
	}
}

// input is what the flags give when none is set.
func input() spec.Input { return spec.Input{Interval: schedule.DefaultInterval} }

// wroteNothing checks that nothing was installed, exported, checked or
// scaffolded.
func (f *fixture) wroteNothing(paths ...string) {
	f.t.Helper()
	if len(f.rec.installed)+len(f.rec.exported)+len(f.rec.checked)+len(f.rec.scaffolds) > 0 {
		f.t.Errorf("installed %v, exported %v, checked %v, scaffolded %v; want nothing", f.rec.installed, f.rec.exported, f.rec.checked, f.rec.scaffolds)
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			f.t.Errorf("%s was written", p)
		}
	}
}

func TestFullRunAsksEverythingInOrderAndInstalls(t *testing.T) {
	f := newFixture(t)
	prog := f.program("wikibot.py", "#!/usr/bin/python3\n")
	p := newScript(t,
		ans("program", "wikibot.py"),
		ans("mode", ""), // default: --background for a program mkdaemon did not make
		ans("name", ""),
		ans("pidfile", ""),
		ans("interval", "10m"),
		ans("at-boot", "y"),
		ans("args", `--wiki en --summary 'daily cleanup'`),
		ans("log", "~/wikibot.log"),
		ans("env", ""), ans("env-file", ""), ans("action", "Install"),
		ans("check", ""),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, f.out.String())
	}
	p.done()
	if res.Action != ActionInstall || len(f.rec.installed) != 1 {
		t.Fatalf("action %v, installed %d entries; want one install", res.Action, len(f.rec.installed))
	}
	e := f.rec.installed[0]
	statePid := filepath.Join(f.home, ".local/state/mkdaemon/wikibot.py.pid")
	state := filepath.Join(f.home, ".local/state/mkdaemon")
	want := f.ssdPath + " --start --quiet --pidfile " + statePid + " --name wikibot.py --background --make-pidfile --output " +
		filepath.Join(f.home, "wikibot.log") + " --startas " + prog + " -- --wiki en --summary 'daily cleanup'" +
		" && /bin/date -u +%Y-%m-%dT%H:%M:%SZ >> " + filepath.Join(state, "wikibot.py.starts")
	if e.Command != want {
		t.Errorf("command\n got %s\nwant %s", e.Command, want)
	}
	field := strings.ReplaceAll(want, "%", `\%`)
	rotate := "@hourly /usr/sbin/logrotate -s " + filepath.Join(state, "wikibot.py.logrotate.state") + " " + filepath.Join(state, "wikibot.py.logrotate")
	if !slices.Equal(e.CrontabLines[:2], []string{"*/10 * * * * " + field, "@reboot " + field}) || (len(e.CrontabLines) == 3 && e.CrontabLines[2] != rotate) {
		t.Errorf("crontab lines %q", e.CrontabLines)
	}
	if p.defaults["pidfile"] != statePid || p.defaults["name"] != "wikibot.py" || p.defaults["interval"] != "*/5 * * * *" {
		t.Errorf("defaults %q", p.defaults)
	}
	if !strings.Contains(p.defaults["mode"], "foreground") {
		t.Errorf("mode default %q; want the foreground for a program mkdaemon did not make", p.defaults["mode"])
	}
	if !res.Resolved.DefaultPidfile {
		t.Error("accepting the default pidfile must resolve as the default (its directory is created on install)")
	}
	if !slices.Equal(f.rec.checked, []string{"wikibot.py"}) {
		t.Errorf("checked %v; want the check run after installing", f.rec.checked)
	}
	out := f.out.String()
	for _, s := range []string{
		"At every 10th minute; next: Mon 2026-03-02 10:10, Mon 2026-03-02 10:20, Mon 2026-03-02 10:30",
		"the program gets 4 arguments: --wiki en --summary 'daily cleanup'",
		"Review",
		"    " + want,
		"    */10 * * * * " + field,
		"installed wikibot.py",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestFlagsGivenAreNotAsked(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	in := input()
	in.Name, in.Interval, in.Daemonizes = "bot.py", "@hourly", true
	p := newScript(t,
		ans("program", "bot.py"),
		ans("pidfile", ""),
		ans("at-boot", ""),
		ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	res, err := f.wizard(p, "name", "interval", "daemonizes").Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	p.done()
	if res.Action != ActionPrint || res.Entry.Schedule != "@hourly" || res.Entry.Mode != spec.ModeDaemonizes {
		t.Errorf("result %v %q %q", res.Action, res.Entry.Schedule, res.Entry.Mode)
	}
	f.wroteNothing()
}

func TestEverythingGivenButTheProgram(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	in := input()
	in.Args = []string{"-v"}
	p := newScript(t, ans("program", "bot.py"), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	_, err := f.wizard(p, "daemonizes", "name", "pidfile", "interval", "at-boot", "args", "log").Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	p.done()
}

func TestNameCutTo15Characters(t *testing.T) {
	f := newFixture(t)
	f.program("wikipedia-cleanup-bot.py", "#!/usr/bin/python3\n")
	p := newScript(t,
		ans("program", "wikipedia-cleanup-bot.py"),
		ans("mode", "itself"),
		ans("name", ""),
		ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	if p.defaults["name"] != "wikipedia-clean" || res.Entry.Name != "wikipedia-clean" {
		t.Errorf("name default %q, result %q; want wikipedia-clean", p.defaults["name"], res.Entry.Name)
	}
	if want := `The kernel keeps only the first 15 characters of a process name: wikipedia-cleanup-bot.py runs as "wikipedia-clean".`; !strings.Contains(f.out.String(), want) {
		t.Errorf("output lacks the reason %q:\n%s", want, f.out.String())
	}
	if p.defaults["pidfile"] != filepath.Join(f.home, ".local/state/mkdaemon/wikipedia-clean.pid") {
		t.Errorf("pidfile default %q follows the cut name", p.defaults["pidfile"])
	}
}

func TestNameFromEnvShebang(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/env python3\n")
	p := newScript(t,
		ans("program", "bot.py"), ans("mode", ""), ans("name", ""),
		ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""), ans("log", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	if p.defaults["name"] != "python3" {
		t.Errorf("name default %q; want python3", p.defaults["name"])
	}
	if want := "bot.py starts with `#!/usr/bin/env python3`: env runs the interpreter, so the process is named \"python3\""; !strings.Contains(f.out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, f.out.String())
	}
	// Accepting the default resolves exactly as without --name: with the
	// warning the flags would give.
	if len(res.Entry.Warnings) != 1 || !strings.Contains(res.Entry.Warnings[0], "shared by every python3 program") {
		t.Errorf("warnings %q", res.Entry.Warnings)
	}
}

func TestValidationErrorsAreShownAndReasked(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	os.Mkdir(filepath.Join(f.home, "bots"), 0o755)
	f.program("notexec.py", "")
	os.Chmod(filepath.Join(f.home, "notexec.py"), 0o644)
	p := newScript(t,
		ans("program", "", "bots", "notexec.py", "bot.py"),
		ans("mode", "foreground"),
		ans("name", "a-name-longer-than-15", "bad/name", "bot.py"),
		ans("pidfile", "/nonexistent/bot.pid", "~/bot.pid"),
		ans("interval", "7m", "* * * * * *", "@every 5m", "15m"),
		ans("at-boot", "n"),
		ans("args", "'unclosed", "$HOME/x", "ok"),
		ans("log", "bots", "~/bot.log"),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	p.done()
	wantErrs := map[string][]string{
		"program": {"type the path of your program",
			"--program bots: " + filepath.Join(f.home, "bots") + " is a directory\n  hint: give the path of the program file inside it",
			"--program notexec.py: " + filepath.Join(f.home, "notexec.py") + " is not executable by " + f.env.Current.Name + "\n  hint: chmod +x "},
		"name":     {"--name a-name-longer-than-15: is 21 bytes; the kernel keeps at most 15", `--name bad/name: a process name cannot contain / or white space`},
		"pidfile":  {"--pidfile /nonexistent/bot.pid: its directory /nonexistent does not exist\n  hint: mkdir -p /nonexistent"},
		"interval": {"--interval 7m: 7m does not divide an hour evenly", "6 fields: crontab has no seconds field", "@every is not crontab syntax"},
		"args":     {"reached EOF without closing quote", "$HOME would need a shell to expand it"},
		"log":      {"is a directory"},
	}
	for q, want := range wantErrs {
		got := p.errs[q]
		if len(got) != len(want) {
			t.Errorf("%s: errors shown %q; want %d", q, got, len(want))
			continue
		}
		for i := range want {
			if !strings.Contains(got[i], want[i]) {
				t.Errorf("%s: error %d is %q; want it to contain %q", q, i, got[i], want[i])
			}
		}
	}
	e := res.Entry
	if e.Pidfile != filepath.Join(f.home, "bot.pid") || e.Schedule != "*/15 * * * *" || e.Log != filepath.Join(f.home, "bot.log") ||
		!slices.Equal(e.Args, []string{"ok"}) {
		t.Errorf("entry after corrections: %+v", e)
	}
}

func TestWindowsLineEndingsAreExplained(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	f.program("winbot.py", "#!/usr/bin/python3\r\n")
	p := newScript(t, ans("program", "winbot.py", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""),
		ans("interval", ""), ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	if _, err := f.wizard(p).Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	if errs := p.errs["program"]; len(errs) != 1 || !strings.Contains(errs[0], "carriage return") {
		t.Errorf("program errors %q; want the Windows line ending explained", errs)
	}
}

func TestCommandTooLongIsPutOnTheArguments(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	long := strings.Repeat("x", 1000)
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""),
		ans("interval", ""), ans("at-boot", ""), ans("args", long, "short"), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	if _, err := f.wizard(p).Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	if errs := p.errs["args"]; len(errs) != 1 || !strings.Contains(errs[0], "Debian cron refuses commands longer than 998 bytes") {
		t.Errorf("args errors %q", errs)
	}
}

func TestScaffoldOfferedForAMissingProgram(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(f.home, "newbot.py")
	p := newScript(t,
		ans("program", "newbot.py"),
		ans("scaffold", "y"),
		ans("language", ""), // guessed from .py
		ans("name", ""),
		ans("pidfile", ""),
		ans("interval", ""),
		ans("at-boot", ""),
		ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Install"),
		ans("check", "n"),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, f.out.String())
	}
	p.done()
	if p.defaults["language"] != "Python" {
		t.Errorf("language default %q; want Python for a .py path", p.defaults["language"])
	}
	if _, asked := p.defaults["mode"]; asked {
		t.Errorf("the mode was asked for a skeleton, which always daemonizes itself")
	}
	if len(f.rec.scaffolds) != 1 {
		t.Fatalf("scaffolded %d times; want once, after the review", len(f.rec.scaffolds))
	}
	real := f.rec.scaffolds[0]
	pid := filepath.Join(f.home, ".local/state/mkdaemon/newbot.py.pid")
	if real != (ScaffoldRequest{Lang: "python", Out: target, Name: "newbot.py", Pidfile: pid}) {
		t.Errorf("real scaffold %+v", real)
	}
	if !spec.MadeByScaffold(target) {
		t.Errorf("%s not written", target)
	}
	if res.Resolved.Spec.Program != target || res.Entry.Mode != spec.ModeDaemonizes || len(f.rec.installed) != 1 ||
		!strings.Contains(f.rec.installed[0].Command, "--startas "+target) {
		t.Errorf("installed %+v", res.Entry)
	}
	out := f.out.String()
	if !strings.Contains(out, "A new Python skeleton will be written to "+target) {
		t.Errorf("review must show the real path:\n%s", out)
	}
	if len(f.rec.checked) != 0 {
		t.Error("check run although declined")
	}
}

func TestScaffoldGoGetsADirectory(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(f.home, "gobot")
	p := newScript(t,
		ans("program", "gobot"), ans("scaffold", ""), ans("language", "Go"),
		ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(target, "gobot"); res.Resolved.Spec.Program != want {
		t.Errorf("program %s; want %s", res.Resolved.Spec.Program, want)
	}
}

func TestScaffoldDeclinedAsksAgain(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t,
		ans("program", "typo.py"), ans("scaffold", "n"),
		ans("program", "bot.py"),
		ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""), ans("log", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	if _, err := f.wizard(p).Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	p.done()
	f.wroteNothing(filepath.Join(f.home, "typo.py"))
	if len(f.rec.scaffolds) != 0 {
		t.Errorf("scaffolded %v", f.rec.scaffolds)
	}
}

func TestNoScaffolderSaysSoAndAsksAgain(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t,
		ans("program", "typo.py"),
		ans("program", "bot.py"),
		ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""), ans("log", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	w := f.wizard(p)
	w.Scaffolder = nil
	if _, err := w.Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	p.done()
	if want := filepath.Join(f.home, "typo.py") + " does not exist, and this mkdaemon cannot create a skeleton"; !strings.Contains(f.out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, f.out.String())
	}
}

func TestScaffoldNeedsAnExistingDirectory(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t,
		ans("program", "nodir/new.py"),
		ans("program", "bot.py"),
		ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""), ans("log", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Print"),
	)
	if _, err := f.wizard(p).Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.out.String(), "create the directory first (mkdir -p "+filepath.Join(f.home, "nodir")+")") {
		t.Errorf("output:\n%s", f.out.String())
	}
}

// TestCancelAtEachStepWritesNothing interrupts every question of a run
// that scaffolds, and of one that does not.
func TestCancelAtEachStepWritesNothing(t *testing.T) {
	withSkeleton := []step{
		ans("program", "newbot.py"), ans("scaffold", "y"), ans("language", "Python"),
		ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Install"),
	}
	existing := []step{
		ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""),
		ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Install"),
	}
	for _, run := range []struct {
		name  string
		steps []step
	}{{"skeleton", withSkeleton}, {"existing", existing}} {
		for i := range run.steps {
			t.Run(fmt.Sprintf("%s/%s", run.name, run.steps[i].q), func(t *testing.T) {
				f := newFixture(t)
				f.program("bot.py", "#!/usr/bin/python3\n")
				steps := append(slices.Clone(run.steps[:i]), cancelAt(run.steps[i].q))
				p := newScript(t, steps...)
				_, err := f.wizard(p).Run(context.Background(), input())
				if !errors.Is(err, ErrCanceled) {
					t.Fatalf("Run = %v; want ErrCanceled", err)
				}
				p.done()
				f.wroteNothing(filepath.Join(f.home, "newbot.py"), filepath.Join(f.home, ".local"))
			})
		}
	}
}

func TestCancelChosenAtReview(t *testing.T) {
	f := newFixture(t)
	p := newScript(t,
		ans("program", "newbot.py"), ans("scaffold", "y"), ans("language", "Perl"),
		ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "Cancel"),
	)
	_, err := f.wizard(p).Run(context.Background(), input())
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("Run = %v; want ErrCanceled", err)
	}
	f.wroteNothing(filepath.Join(f.home, "newbot.py"))
}

func TestCancelAtCheckKeepsTheInstall(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Install"), cancelAt("check"))
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil || res.Action != ActionInstall || len(f.rec.installed) != 1 {
		t.Fatalf("Run = %v, %v; the entry is installed by then and must be reported so", res.Action, err)
	}
}

func TestCheckFailureIsAnError(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	f.rec.checkErr = errors.New("step 2: the pidfile never appeared")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Install"), ans("check", "y"))
	_, err := f.wizard(p).Run(context.Background(), input())
	if err == nil || !strings.Contains(err.Error(), "bot.py is installed, but its check failed: step 2: the pidfile never appeared") {
		t.Fatalf("Run = %v", err)
	}
}

func TestReviewShowsTheCrontabDiff(t *testing.T) {
	for _, diff := range []string{"--- crontab (current)\n+++ crontab (new)\n@@ -0,0 +1,3 @@\n+# BEGIN mkdaemon bot.py\n", ""} {
		f := newFixture(t)
		f.program("bot.py", "#!/usr/bin/python3\n")
		f.rec.diff = diff
		p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
			ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
		if _, err := f.wizard(p).Run(context.Background(), input()); err != nil {
			t.Fatal(err)
		}
		want := "Your crontab already holds exactly this entry: installing changes nothing."
		if diff != "" {
			want = "change to your crontab:\n    --- crontab (current)\n    +++ crontab (new)\n    @@ -0,0 +1,3 @@\n    +# BEGIN mkdaemon bot.py\n"
		}
		if !strings.Contains(f.out.String(), want) {
			t.Errorf("review lacks %q:\n%s", want, f.out.String())
		}
	}
}

func TestReviewOffersOnlyWhatIsWired(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	w := f.wizard(p)
	w.Installer, w.Exporter = nil, nil
	if _, err := w.Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	if got := p.options["action"]; len(got) != 2 || !strings.HasPrefix(got[0], "Print") || !strings.HasPrefix(got[1], "Cancel") {
		t.Errorf("options %q; want print and cancel only", got)
	}
	p2 := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	if _, err := f.wizard(p2).Run(context.Background(), input()); err != nil {
		t.Fatal(err)
	}
	want := []string{"Install it into your crontab", "Print the lines only (install nothing)",
		"Export it for systemd instead", "Export it for toolforge instead", "Cancel (write nothing)"}
	if !slices.Equal(p2.options["action"], want) {
		t.Errorf("options %q; want %q", p2.options["action"], want)
	}
}

func TestExportChosenAtReview(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(f.home, "newbot.php")
	p := newScript(t, ans("program", "newbot.php"), ans("scaffold", "y"), ans("language", ""),
		ans("name", ""), ans("pidfile", ""), ans("interval", ""), ans("at-boot", ""), ans("args", ""),
		ans("env", ""), ans("env-file", ""), ans("action", "systemd"))
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	if p.defaults["language"] != "PHP" || res.Action != ActionExport || !slices.Equal(f.rec.exported, []string{"systemd " + target}) {
		t.Errorf("language default %q, action %v, exported %q", p.defaults["language"], res.Action, f.rec.exported)
	}
	if len(f.rec.installed) != 0 {
		t.Error("installed on export")
	}
}

func TestPrintOnlyAsksNoAction(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""))
	w := f.wizard(p)
	w.PrintOnly = true
	res, err := w.Run(context.Background(), input())
	if err != nil || res.Action != ActionPrint {
		t.Fatalf("Run = %v, %v", res.Action, err)
	}
	p.done()
	f.wroteNothing()
	if strings.Contains(f.out.String(), "Review") {
		t.Error("--print shows the entry once, printed by the caller, not a review")
	}
}

func TestYesInstallsWithoutAsking(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", ""),
		ans("at-boot", ""), ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("check", "n"))
	w := f.wizard(p)
	w.Yes = true
	res, err := w.Run(context.Background(), input())
	if err != nil || res.Action != ActionInstall || len(f.rec.installed) != 1 {
		t.Fatalf("Run = %v, %v, installed %d", res.Action, err, len(f.rec.installed))
	}
	p.done()
}

func TestInvalidFlagEndsTheRun(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	in := input()
	in.Name = "far-too-long-a-name"
	p := newScript(t, ans("program", "bot.py"))
	_, err := f.wizard(p, "name").Run(context.Background(), in)
	var se *spec.Error
	if !errors.As(err, &se) || se.Flag != "--name" {
		t.Fatalf("Run = %v; want the --name error, as without the wizard", err)
	}
	p.done()
	f.wroteNothing()
}

func TestInvalidFlagBeforeAnyQuestion(t *testing.T) {
	f := newFixture(t)
	in := input()
	in.Interval = "61m\n"
	_, err := f.wizard(newScript(t), "interval").Run(context.Background(), in)
	var se *spec.Error
	if !errors.As(err, &se) || se.Flag != "--interval" {
		t.Fatalf("Run = %v; want the --interval error before any question", err)
	}
}

func TestRebootIntervalSkipsAtBoot(t *testing.T) {
	f := newFixture(t)
	f.program("bot.py", "#!/usr/bin/python3\n")
	p := newScript(t, ans("program", "bot.py"), ans("mode", ""), ans("name", ""), ans("pidfile", ""), ans("interval", "@reboot"),
		ans("args", ""), ans("log", ""), ans("env", ""), ans("env-file", ""), ans("action", "Print"))
	res, err := f.wizard(p).Run(context.Background(), input())
	if err != nil {
		t.Fatal(err)
	}
	p.done()
	if res.Entry.CrontabLines[0] != "@reboot "+crontab.Escape(res.Entry.Command) || len(res.Entry.CrontabLines) > 1 && !strings.HasPrefix(res.Entry.CrontabLines[1], "@hourly /usr/sbin/logrotate ") {
		t.Errorf("lines %q", res.Entry.CrontabLines)
	}
	if !strings.Contains(f.out.String(), "At reboot (when cron starts)") {
		t.Errorf("interval not echoed:\n%s", f.out.String())
	}
}

func TestSplitArgs(t *testing.T) {
	for _, c := range []struct {
		line string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"  ", nil, ""},
		{`--wiki en 'a b' "c \" d" e\ f`, []string{"--wiki", "en", "a b", `c " d`, "e f"}, ""},
		{`~/data x~`, []string{"/home/u/data", "x~"}, ""},
		{`'$HOME' *.txt`, []string{"$HOME", "*.txt"}, ""},
		{`'' ""`, []string{"", ""}, ""},
		{`100%`, []string{"100%"}, ""},
		{`$HOME`, nil, "$HOME would need a shell"},
		{`"$(date)"`, nil, "$(date) would need a shell"},
		{"`date`", nil, "`date` would need a shell"},
		{`$((1+2))`, nil, "$((1+2)) would need a shell"},
		{`'open`, nil, "reached EOF without closing quote"},
		{`a | b`, nil, "`|` is not a valid word (at column 3)"},
		{`a > out`, nil, "is not a valid word"},
	} {
		got, err := SplitArgs(c.line, "/home/u")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("SplitArgs(%q) error %v; want %q", c.line, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", c.line, got, err, c.want)
		}
	}
}

func TestCompletePath(t *testing.T) {
	home := t.TempDir()
	cwd := filepath.Join(home, "bots")
	os.MkdirAll(filepath.Join(cwd, "lib"), 0o755)
	for _, f := range []string{"bots/wikibot.py", "bots/wikidata.pl", "bots/.hidden", "notes.txt"} {
		os.WriteFile(filepath.Join(home, f), nil, 0o644)
	}
	os.Symlink(filepath.Join(cwd, "lib"), filepath.Join(cwd, "liblink"))
	for _, c := range []struct {
		typed string
		want  []string
	}{
		{"wiki", []string{"wikibot.py", "wikidata.pl"}},
		{"", []string{"lib/", "liblink/", "wikibot.py", "wikidata.pl"}},
		{".h", []string{".hidden"}},
		{"~/no", []string{"~/notes.txt"}},
		{"~/bots/wikib", []string{"~/bots/wikibot.py"}},
		{"~", []string{"~/"}},
		{home + "/bo", []string{home + "/bots/"}},
		{"../not", []string{"../notes.txt"}},
		{"nothing", nil},
		{"/nonexistent/x", nil},
	} {
		if got := CompletePath(c.typed, home, cwd); !slices.Equal(got, c.want) {
			t.Errorf("CompletePath(%q) = %q; want %q", c.typed, got, c.want)
		}
	}
}
