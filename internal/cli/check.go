package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/check"
	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/installed"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// checkFlags are check's own flags beside the shared daemon flags.
type checkFlags struct {
	spec    specFlags
	timeout time.Duration
	stop    bool
}

func newCheckCmd(a *app) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check NAME | check --program PATH [flags] [-- PROGRAM-ARGS...]",
		Short: "Run a daemon's entry as cron would and check that it keeps exactly one copy running",
		Long: `check runs the start-stop-daemon command of a crontab entry the way cron
runs it (as the crontab's user, with only HOME, LOGNAME, PATH=/usr/bin:/bin
and SHELL=/bin/sh, in HOME) and goes through the test the seed recipe asks
for by hand:

  1. dry run        start-stop-daemon --test --verbose says it would start it
  2. start          the pidfile names a live process with the expected name
  3. no second      a second run starts no second copy
  4. restart        after SIGTERM the daemon is gone and a run starts a new one
  5. zombies        no <defunct> child of the daemon, none with its name
  6. hygiene        warnings: detached from the job, own session, no terminal,
                    working directory, descriptors kept from the job

NAME is an entry mkdaemon installed (see mkdaemon list); the daemon flags
(the same as --print) check an entry before it is installed. A failure
names the problem and the fix. A daemon that was running before is left
running (it is restarted by step 4); one the check started is left running
too, unless --stop. Nothing else the check started is left behind.`,
		Example: `  mkdaemon check mybot.py
  mkdaemon check --program ~/bots/mybot.py --stop -- --wiki en
  mkdaemon check --json --timeout 30s mybot.py`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCheck(cmd, &f, args)
		},
	}
	registerSpec(cmd, &f.spec, false)
	fl := cmd.Flags()
	fl.DurationVar(&f.timeout, "timeout", check.DefaultTimeout, "how long to wait for the daemon to start, to stop after SIGTERM, and for a zombie to be reaped")
	fl.BoolVar(&f.stop, "stop", false, "stop the daemon at the end if the check started it")
	return cmd
}

// runCheck checks every flag before anything runs, builds the target from
// the installed entry or from the flags, runs the check and prints it.
func (a *app) runCheck(cmd *cobra.Command, f *checkFlags, args []string) error {
	names, progArgs := args, []string(nil)
	if dash := cmd.ArgsLenAtDash(); dash >= 0 {
		names, progArgs = args[:dash], args[dash:]
	}
	byName := len(names) > 0
	switch {
	case len(names) > 1:
		return usagef("check takes one NAME, got %d: %q", len(names), names).hint("put the program's own arguments after --")
	case byName && f.spec.In.Program != "":
		return usagef("give either NAME or --program, not both").hint("mkdaemon check %s checks the installed entry as it is", names[0])
	case byName && len(progArgs) > 0:
		return usagef("program arguments after -- apply only with --program").hint("the installed entry %s brings its own", names[0])
	case !byName && f.spec.In.Program == "":
		return usagef("check needs the NAME of an installed entry or --program").
			hint("mkdaemon list shows the installed entries; mkdaemon check --program PATH checks one before installing it")
	case f.timeout <= 0:
		return usagef("--timeout must be positive, not %s", f.timeout).hint("for example --timeout 30s")
	}
	if byName {
		for _, fl := range []string{"pidfile", "name", "interval", "background", "log", "chdir", "at-boot"} {
			if cmd.Flags().Changed(fl) {
				return usagef("--%s applies only with --program: the installed entry %s brings its own", fl, names[0]).
					hint("mkdaemon check %s, or check a changed entry with --program before installing it", names[0])
			}
		}
	}

	var (
		t     check.Target
		label string
		err   error
	)
	if byName {
		t, err = a.installedTarget(names[0], f.spec.In.User)
		label = names[0]
		if err == nil {
			a.warnInstalled(names[0], f.spec.In.User)
		}
	} else {
		f.spec.In.Args = progArgs
		t, err = a.specTarget(f.spec.In)
		label = t.Name
	}
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := a.edge.runCheck(ctx, t, check.Options{Timeout: f.timeout, Stop: f.stop, LoginEnv: loginEnv(t.Account)})
	if len(r.Steps) == 0 && err != nil {
		return err
	}
	if f.spec.JSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(checkJSON{Name: label, Command: t.Command, User: t.Account.Name, Passed: r.Passed(), Report: r}); err != nil {
			return err
		}
	} else {
		printReport(a.stdout, label, t, r, f.stop)
	}
	switch failed, ok := r.Failed(); {
	case err != nil:
		return fmt.Errorf("the check was interrupted (%v); what it had started is stopped", err)
	case ok:
		return fmt.Errorf("%s failed the check at step %q (%s)", label, failed.Name, failed.Problem)
	}
	return nil
}

// checkJSON is `mkdaemon check --json`.
type checkJSON struct {
	Name    string `json:"name"`
	Command string `json:"command"` // what /bin/sh -c ran
	User    string `json:"user"`
	Passed  bool   `json:"passed"`
	check.Report
}

// installedTarget reads the entry NAME from the crontab of --user (or the
// caller's) and returns what cron would run for it.
func (a *app) installedTarget(name, user string) (check.Target, error) {
	acct, env, err := a.account(user)
	if err != nil {
		return check.Target{}, err
	}
	where := whose(acct, env.Current)
	text, err := a.installer(acct, env.Current, stateDirOf(acct, env)).Read(context.Background())
	if err != nil {
		return check.Target{}, err
	}
	ds, err := installed.Daemons(text, acct.Proc())
	if err != nil {
		return check.Target{}, err
	}
	var known []string
	for _, d := range ds {
		if d.Name != name {
			known = append(known, d.Name)
			continue
		}
		if d.Problem != "" {
			return check.Target{}, fmt.Errorf("the entry %s in %s cannot be checked: %s", name, where, d.Problem)
		}
		for _, line := range d.Lines {
			_, field, ok := crontab.Job(line)
			if !ok {
				continue
			}
			command, stdin := crontab.Unescape(field)
			if stdin != "" {
				a.warn([]string{fmt.Sprintf("cron feeds the text after the first unescaped %% to the job's stdin (%q); the check does not", stdin)})
			}
			t, err := check.TargetFromCommand(command)
			if err != nil {
				return check.Target{}, fmt.Errorf("the entry %s in %s cannot be checked: %v", name, where, err)
			}
			// cron uses the HOME of the user database, not $HOME.
			if t.Account, err = spec.LookupAccount(acct.Name); err != nil {
				return check.Target{}, err
			}
			if t.Program != "" {
				t.Skeleton = spec.Gather(spec.Input{Program: t.Program}, env).Files[t.Program].Skeleton
			}
			t.Environ = crontab.EnvOfBlock(text, name)
			return t, nil
		}
		return check.Target{}, fmt.Errorf("the entry %s in %s has no job line", name, where)
	}
	if len(known) == 0 {
		return check.Target{}, fmt.Errorf("no mkdaemon entry named %s in %s: it has none (mkdaemon --program PATH --yes installs one)", name, where)
	}
	return check.Target{}, fmt.Errorf("no mkdaemon entry named %s in %s; it has: %s", name, where, strings.Join(known, ", "))
}

// specTarget validates the daemon flags like --print and returns the
// entry they describe.
func (a *app) specTarget(in spec.Input) (check.Target, error) {
	r, err := a.resolve(in)
	if err != nil {
		return check.Target{}, err
	}
	e, err := a.render(r)
	if err != nil {
		return check.Target{}, err
	}
	a.warn(e.Warnings)
	t, err := a.targetOf(r, e)
	if err != nil {
		return t, err
	}
	t.Environ = a.crontabEnviron(r, e.Name)
	return t, nil
}

// targetOf is what the check runs for a rendered entry. The state
// directory is created, as install would, since the command records its
// starts there and the daemon may write its pidfile and log there.
func (a *app) targetOf(r *spec.Resolved, e entry.Entry) (check.Target, error) {
	acct, err := spec.LookupAccount(r.Account.Name)
	if err != nil {
		return check.Target{}, err
	}
	uid, gid := -1, -1
	if cur, err := spec.CurrentAccount(); err == nil && cur.UID != acct.UID {
		uid, gid = acct.UID, acct.GID
	}
	if err := a.edge.makeDir(r.StateDir, acct.Home, uid, gid); err != nil {
		return check.Target{}, err
	}
	return check.Target{Argv: e.Argv, Command: e.Command, Pidfile: e.Pidfile, Name: e.Name,
		Account: acct, Log: e.Log, Chdir: e.Chdir, Program: e.Program, Skeleton: r.Spec.Skeleton}, nil
}

// wizardChecker runs the start-up check on the entry the wizard just
// installed, printed as `mkdaemon check` prints it.
type wizardChecker struct{ a *app }

// Check implements wizard.Checker.
func (wc wizardChecker) Check(ctx context.Context, r *spec.Resolved, e entry.Entry, out io.Writer) error {
	t, err := wc.a.targetOf(r, e)
	if err != nil {
		return err
	}
	rep, err := wc.a.edge.runCheck(ctx, t, check.Options{Timeout: check.DefaultTimeout})
	if len(rep.Steps) == 0 && err != nil {
		return err
	}
	printReport(out, e.Name, t, rep, false)
	if failed, ok := rep.Failed(); ok {
		return fmt.Errorf("step %q (%s)", failed.Name, failed.Problem)
	}
	return err
}

// printReport writes one line per step: pass, FAIL or warn, the step, and
// the evidence (continued, indented, on the lines below).
func printReport(w io.Writer, label string, t check.Target, r check.Report, stop bool) {
	fmt.Fprintf(w, "checking %s as %s: %s\n", label, t.Account.Name, t.Command)
	if names := environNames(t.Environ); names != "" {
		fmt.Fprintf(w, "with cron's environment and the crontab's settings above the entry: %s\n", names)
	}
	for _, s := range r.Steps {
		lines := strings.Split(s.Evidence, "\n")
		fmt.Fprintf(w, "%s  %-18s  %s\n", s.Mark(), s.Name, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%26s%s\n", "", l)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if !r.Passed() {
		return
	}
	warnings := 0
	for _, s := range r.Steps {
		if s.Warning {
			warnings++
		}
	}
	var b strings.Builder
	b.WriteString("all steps passed")
	if warnings > 0 {
		fmt.Fprintf(&b, " (%d warnings)", warnings)
	}
	switch {
	case r.PID != 0:
		fmt.Fprintf(&b, "; %s is running as PID %d", label, r.PID)
	case stop:
		fmt.Fprintf(&b, "; %s is stopped (--stop)", label)
	}
	fmt.Fprintln(w, b.String())
}

// warnInstalled shows what the rules say of an installed entry as it is
// now (an interpreter that differs under cron's PATH, say), as install
// and --print would; what cannot be read back is the check's to report.
func (a *app) warnInstalled(name, user string) {
	in := spec.Input{User: user}
	if a.installedInput(name, &in) != nil {
		return
	}
	if r, err := a.resolve(in); err == nil {
		a.warn(r.Warnings)
	}
}
