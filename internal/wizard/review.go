package wizard

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// review shows what would be installed and acts on the user's choice.
func (s *session) review() (Result, error) {
	r, err := s.resolved()
	if err != nil {
		return Result{}, err
	}
	if s.w.PrintOnly {
		r, e, err := s.materialize(r)
		return Result{Action: ActionPrint, Resolved: r, Entry: e}, err
	}
	shown, e, err := s.display(r)
	if err != nil {
		return Result{}, err
	}
	s.showReview(shown, e)

	var (
		install   = "Install it into " + s.crontabOf(r)
		printOnly = "Print the lines only (install nothing)"
		cancel    = "Cancel (write nothing)"
		options   []string
		formats   = map[string]string{}
	)
	if s.w.Installer != nil {
		options = append(options, install)
	}
	options = append(options, printOnly)
	if s.w.Exporter != nil {
		for _, f := range s.w.Exporter.Formats() {
			label := fmt.Sprintf("Export it for %s instead", f)
			formats[label] = f
			options = append(options, label)
		}
	}
	options = append(options, cancel)

	choice := install
	if !s.w.Yes || s.w.Installer == nil {
		choice, err = s.w.Prompter.Select(Select{Name: "action", Message: "What now?", Options: options, Default: options[0]})
		if err != nil {
			return Result{}, err
		}
	}
	switch choice {
	case cancel:
		return Result{}, ErrCanceled
	case printOnly:
		r, e, err := s.materialize(r)
		return Result{Action: ActionPrint, Resolved: r, Entry: e}, err
	case install:
		return s.install(r)
	}
	format, ok := formats[choice]
	if !ok {
		return Result{}, fmt.Errorf("unknown choice %q", choice) // a Prompter bug
	}
	r, e, err = s.materialize(r)
	if err != nil {
		return Result{}, err
	}
	if err := s.w.Exporter.Export(s.ctx, format, r, s.w.Out); err != nil {
		return Result{}, err
	}
	return Result{Action: ActionExport, Resolved: r, Entry: e}, nil
}

// display is the resolved spec and its entry.
func (s *session) display(r *spec.Resolved) (*spec.Resolved, entry.Entry, error) {
	e, err := s.w.Render(r)
	return r, e, err
}

func (s *session) showReview(r *spec.Resolved, e entry.Entry) {
	s.say("")
	s.say("Review")
	if s.skel != nil {
		s.say("  A new %s skeleton will be written to %s.", s.skel.label, s.skel.out)
	}
	s.say("  start-stop-daemon command line (cron runs it on every tick; it starts %s unless it is already running):", e.Name)
	s.say("    %s", e.Command)
	s.say("  crontab entry (%s%s):", e.ScheduleText, nextRunsText(e.NextRuns))
	for _, l := range e.CrontabLines {
		s.say("    %s", l)
	}
	for _, w := range e.Warnings {
		s.say("  warning: %s", w)
	}
	d, ok := s.w.Installer.(Differ)
	if !ok {
		return
	}
	diff, err := d.Diff(s.ctx, r, e)
	switch {
	case err != nil:
		s.say("  (the change to %s cannot be shown: %v)", s.crontabOf(r), err)
	case diff == "":
		s.say("  %s already holds exactly this entry: installing changes nothing.", upperFirst(s.crontabOf(r)))
	default:
		s.say("  change to %s:", s.crontabOf(r))
		for _, l := range strings.Split(strings.TrimSuffix(diff, "\n"), "\n") {
			s.say("    %s", l)
		}
	}
}

// nextRunsText reads back the RFC 3339 times of an entry.
func nextRunsText(runs []string) string {
	var ts []time.Time
	for _, r := range runs {
		if t, err := time.Parse(time.RFC3339, r); err == nil {
			ts = append(ts, t)
		}
	}
	return nextRuns(ts)
}

// materialize writes a planned skeleton where the user wants it and
// resolves the input again with the real program.
func (s *session) materialize(r *spec.Resolved) (*spec.Resolved, entry.Entry, error) {
	if k := s.skel; k != nil {
		prog, err := s.w.Scaffolder.Scaffold(s.ctx, ScaffoldRequest{
			Lang: k.lang, Out: k.out, Name: r.Spec.Name, Pidfile: r.Spec.Pidfile, Log: r.Spec.Log,
		})
		if err != nil {
			return nil, entry.Entry{}, fmt.Errorf("creating the %s skeleton at %s: %w", k.label, k.out, err)
		}
		// Written, the rules read the real file; a dry run wrote nothing,
		// so the skeleton stays planned.
		if _, err := os.Stat(prog); err == nil {
			s.skel = nil
		}
		s.in.Program = prog
		if r, err = s.resolved(); err != nil {
			return nil, entry.Entry{}, err
		}
	}
	e, err := s.w.Render(r)
	return r, e, err
}

func (s *session) install(r *spec.Resolved) (Result, error) {
	r, e, err := s.materialize(r)
	if err != nil {
		return Result{}, err
	}
	if err := s.w.Installer.Install(s.ctx, r, e, s.w.Out); err != nil {
		return Result{}, err
	}
	res := Result{Action: ActionInstall, Resolved: r, Entry: e}
	if s.w.Checker == nil {
		return res, nil
	}
	ok, err := s.w.Prompter.Confirm(Confirm{
		Name:    "check",
		Message: fmt.Sprintf("Run the start-up check now? It starts %s as cron will and tests that it stays single.", e.Name),
		Default: true,
	})
	if errors.Is(err, ErrCanceled) || (err == nil && !ok) {
		return res, nil // installed all the same
	}
	if err != nil {
		return res, err
	}
	if err := s.w.Checker.Check(s.ctx, r, e, s.w.Out); err != nil {
		return res, fmt.Errorf("%s is installed, but its check failed: %w", e.Name, err)
	}
	return res, nil
}

// crontabOf names the crontab the entry goes to.
func (s *session) crontabOf(r *spec.Resolved) string {
	if r.Account.UID == s.w.Env.Current.UID {
		return "your crontab"
	}
	return r.Account.Name + "'s crontab"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
