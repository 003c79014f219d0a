package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/lint"
)

func newLintCmd(a *app) *cobra.Command {
	var (
		user   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "lint [FILE | -]",
		Short: "Find every silent trap in a crontab: keepers that start copies, % that cuts, programs cron cannot find",
		Long: `lint reads the crontab (yours, --user's, a FILE, or - for stdin) the way cron
will run it and reports each problem as FILE:LINE: what is wrong; how to fix
it. It writes nothing. Exit 0 when the crontab is clean, 1 when it found
problems, 2 for bad input.`,
		Example: "  mkdaemon lint\n  crontab -l | mkdaemon lint -\n  mkdaemon lint --json mycrontab",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("lint takes one FILE, got %d", len(args)).hint("mkdaemon lint, or mkdaemon lint FILE, or mkdaemon lint - to read stdin")
			}
			if len(args) == 1 && user != "" {
				return usagef("give either FILE or --user, not both").hint("--user lints that account's crontab; a FILE is linted as yours")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, env, err := a.account(user)
			if err != nil {
				return err
			}
			name, text := "crontab", ""
			switch {
			case len(args) == 0:
				if text, err = a.installer(acct, env.Current, stateDirOf(acct, env)).Read(context.Background()); err != nil {
					return err
				}
			case args[0] == "-":
				name = "<stdin>"
				b, err := io.ReadAll(a.stdin)
				if err != nil {
					return err
				}
				text = string(b)
			default:
				name = args[0]
				b, err := os.ReadFile(args[0])
				if err != nil {
					return usagef("cannot read %s: %v", args[0], err).hint("give the path of a crontab file, or - to read stdin")
				}
				text = string(b)
			}
			c := lint.Parse(text, acct.Home)
			facts, err := lint.Gather(c, user, env)
			if err != nil {
				return err
			}
			findings := lint.Check(c, facts)
			if asJSON {
				if findings == nil {
					findings = []lint.Finding{}
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(findings); err != nil {
					return err
				}
			} else {
				w := bufio.NewWriter(a.stdout) // thousands of lines for a big crontab
				var line []byte
				for _, f := range findings {
					line = append(append(line[:0], name...), ':')
					line, _ = f.AppendText(line)
					w.Write(append(line, '\n'))
				}
				if err := w.Flush(); err != nil {
					return err
				}
			}
			if len(findings) > 0 {
				return quietExit(exitFailure)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "lint `USER`'s crontab (root only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON, for editors and CI")
	return cmd
}
