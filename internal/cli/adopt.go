package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/lint"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func newAdoptCmd(a *app) *cobra.Command {
	var (
		user, name             string
		daemonizes, foreground bool
		yes, dryRun            bool
	)
	cmd := &cobra.Command{
		Use:   "adopt LINE",
		Short: "Turn a hand-written keeper line of the crontab into a managed entry, in the same place",
		Long: `adopt reads line LINE of the crontab (as mkdaemon lint numbers it): a
start-stop-daemon line, a ` + "`pgrep ... || PROGRAM`" + ` keeper, flock -n or nohup, and
writes the same daemon as a managed entry in its place, with every rule of
mkdaemon applied (a pidfile of its own, the process name the kernel gives,
start-stop-daemon doing the backgrounding). Every other byte stays as it
was. It shows the change and asks on a terminal; elsewhere --yes is
required. A line it cannot read back exactly is left alone, with the reason.`,
		Example: "  mkdaemon lint\n  mkdaemon adopt 3 --dry-run\n  mkdaemon adopt 3 --foreground --yes",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("adopt takes one LINE number, got %d arguments", len(args)).hint("mkdaemon lint shows the line numbers; then: mkdaemon adopt LINE")
			}
			if n, err := strconv.Atoi(args[0]); err != nil || n < 1 {
				return usagef("LINE %q is not a line number", args[0]).hint("mkdaemon lint shows the line numbers; then: mkdaemon adopt LINE")
			}
			if daemonizes && foreground {
				return usagef("give --daemonizes or --foreground, not both")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			n, _ := strconv.Atoi(args[0])
			acct, env, in, err := a.editCrontab(user, yes, dryRun)
			if err != nil {
				return err
			}
			text, err := in.Read(context.Background())
			if err != nil {
				return err
			}
			lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
			if n > len(lines) || text == "" {
				return usagef("the crontab has %d lines, no line %d", len(lines), n).hint("mkdaemon lint shows the line numbers")
			}
			line := lines[n-1]
			// cron starts the job in, and expands ~ and $HOME to, the
			// account's home, or the last HOME= line above it.
			home := acct.Home
			for _, kv := range crontab.EnvBefore(text, n) {
				if v, ok := strings.CutPrefix(kv, "HOME="); ok {
					home = v
				}
			}
			k, err := lint.ReadKeeper(line, home)
			if err != nil {
				return usagef("line %d cannot be adopted safely: %v; nothing was changed", n, err).
					hint("fix it by hand, or write a new entry: mkdaemon --program PATH")
			}
			input := spec.Input{Program: k.Program, Args: k.Args, Name: name, Log: k.Log, Chdir: k.Chdir,
				Interval: k.Schedule, User: user, Daemonizes: daemonizes}
			if k.Schedule == "@reboot" {
				input.Interval, input.AtBoot = schedule.DefaultInterval, true
			}
			if !k.Foreground && !daemonizes && !foreground {
				return usagef("line %d does not say whether %s stays in the foreground", n, k.Program).
					hint("add --foreground if it does (most scripts do), or --daemonizes if it forks and writes its own pidfile; mkdaemon check --program %s tells", k.Program)
			}
			r, err := a.resolve(input)
			if err != nil {
				return err
			}
			e, err := a.render(r)
			if err != nil {
				return err
			}
			where := whose(acct, env.Current)
			c := crontab.Change{Name: e.Name, Lines: e.CrontabLines, AtLine: n, Replaces: line}
			a.warn(e.Warnings)
			if dryRun {
				return a.showPlan(in, c)
			}
			res, err := a.apply(in, c, yes, where, fmt.Sprintf("Adopt line %d as %s in %s?", n, e.Name, where), nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "adopted line %d of %s as %s (%s keeper)\n", n, where, e.Name, k.Kind)
			a.reportChange(res, where, yes)
			if res.Interrupted != nil {
				reraise(res.Interrupted)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&user, "user", "", "adopt a line of `USER`'s crontab (root only)")
	fl.StringVar(&name, "name", "", "the process `NAME` (default: the name the kernel gives the program)")
	fl.BoolVar(&daemonizes, "daemonizes", false, "the program forks into the background and writes its own pidfile")
	fl.BoolVar(&foreground, "foreground", false, "the program stays in the foreground (start-stop-daemon backgrounds it)")
	fl.BoolVarP(&yes, "yes", "y", false, "adopt without asking for confirmation")
	fl.BoolVar(&dryRun, "dry-run", false, "show the change to the crontab; write nothing")
	return cmd
}
