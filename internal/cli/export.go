package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/export"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// exportFlags are export's own flags beside the shared daemon flags.
type exportFlags struct {
	spec    specFlags
	format  string
	out     string
	force   bool
	image   string
	jobName string
}

func newExportCmd(a *app) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export [NAME] --format systemd|toolforge [flags] [-- PROGRAM-ARGS...]",
		Short: "Write the daemon as a systemd user unit or a Toolforge jobs.yaml entry",
		Long: `export describes the same daemon to a supervisor other than cron, from the
same flags as --print:

  systemd    a user unit for ~/.config/systemd/user/NAME.service: restarted on
             failure, started at login (at boot with loginctl enable-linger)
  toolforge  a continuous job for the jobs.yaml that toolforge jobs load reads

The file goes to stdout and what to do with it to stderr. With --out FILE it
is written there instead: a unit file is never replaced without --force, and
an existing jobs.yaml is merged, replacing only the job of the same name.
Programs made by mkdaemon scaffold run with --foreground under both.`,
		Example: `  mkdaemon export mybot.py --format systemd          # an installed entry
  mkdaemon export --format systemd --program ~/bots/mybot.py -- --wiki en
  mkdaemon export --format systemd --program ~/bots/mybot.py --out ~/.config/systemd/user/mybot.service
  mkdaemon export --format toolforge --program ~/bots/mybot.py --out ~/jobs.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			// One word before -- and no --program: an installed entry.
			if cmd.ArgsLenAtDash() < 0 && len(args) == 1 && f.spec.In.Program == "" {
				return nil
			}
			return programArgsOnly(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() < 0 && len(args) == 1 {
				if err := a.installedInput(args[0], &f.spec.In); err != nil {
					return err
				}
			} else {
				f.spec.In.Args = args
			}
			return a.runExport(&f)
		},
	}
	registerSpec(cmd, &f.spec, false)
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "", "`FORMAT` to write: systemd (a user unit) or toolforge (a jobs.yaml entry)")
	fl.StringVarP(&f.out, "out", "o", "", "write to `FILE` instead of stdout (a unit is never replaced without --force; a jobs.yaml is merged)")
	fl.BoolVar(&f.force, "force", false, "with --format systemd --out: replace an existing unit file")
	fl.BoolVar(&f.spec.DryRun, "dry-run", false, "with --out: say what would be written; write nothing")
	fl.StringVar(&f.image, "image", "", "toolforge: the container `IMAGE` (default by the script's language: "+
		strings.Join([]string{export.ImagePython, export.ImagePerl, export.ImagePHP, export.ImageBase}, ", ")+")")
	fl.StringVar(&f.jobName, "job-name", "", "toolforge: the job's `NAME`, at most 52 of a-z 0-9 - (default: from the process name)")
	_ = cmd.MarkFlagFilename("out")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var fs []string
		for _, f := range export.Formats {
			fs = append(fs, string(f))
		}
		return fs, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// runExport checks every flag before anything is read or written, then
// renders and prints or writes.
func (a *app) runExport(f *exportFlags) error {
	format, err := export.ParseFormat(f.format)
	if err != nil {
		return err
	}
	if format != export.FormatToolforge {
		for flag, v := range map[string]string{"--image": f.image, "--job-name": f.jobName} {
			if v != "" {
				return usagef("%s only applies to --format toolforge", flag).hint("leave out %s, or use --format toolforge", flag)
			}
		}
	}
	if f.force && f.out == "" {
		return usagef("--force only applies with --out").hint("without --out the file goes to stdout and nothing is replaced")
	}
	if f.force && format == export.FormatToolforge {
		return usagef("--force does not apply to --format toolforge: a jobs.yaml is merged, never replaced").hint("leave out --force")
	}
	if f.spec.In.Program == "" {
		return usagef("--program is required").hint("mkdaemon export --format %s --program ~/bots/mybot.py", format)
	}
	if f.spec.DryRun {
		a.dryRun()
	}

	opts := export.Options{Toolforge: export.ToolforgeOptions{JobName: f.jobName, Image: f.image}}
	var warnings []string
	if format == export.FormatSystemd && f.out != "" {
		// The unit is known by its file name.
		base := filepath.Base(f.out)
		if unit, ok := strings.CutSuffix(base, ".service"); ok && unit != "" {
			opts.Systemd.Unit = unit
		} else {
			warnings = append(warnings, fmt.Sprintf("--out %s: systemd only loads a unit from a file named NAME.service", f.out))
		}
	}

	r, err := a.resolve(f.spec.In)
	if err != nil {
		return err
	}
	if r.DefaultLog {
		// systemd and Toolforge keep a program's output themselves.
		r.Spec.Log = ""
	}
	if f.out != "" {
		if err := export.CheckOut(f.out); err != nil {
			return err
		}
	}
	res, err := export.Render(format, r.Spec, opts)
	if err != nil {
		return err
	}
	var path string
	if f.out != "" {
		env, err := a.env()
		if err != nil {
			return err
		}
		if path, err = a.edge.writeExport(res, f.out, f.force, ownerFor(r.Account, env.Current)); err != nil {
			return err
		}
		if f.spec.DryRun {
			path = "" // nothing was written: show it instead
		}
	}
	res.User = r.Account.Name
	a.warn(warnings)

	instructions := exportInstructions(res, r, path)
	if f.spec.JSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(exportJSON{Format: string(res.Format), Name: res.Name, Path: path,
			Content: string(res.Content), Instructions: instructions})
	}
	if path == "" {
		if _, err := a.stdout.Write(res.Content); err != nil {
			return err
		}
	}
	_, err = fmt.Fprint(a.stderr, instructions)
	return err
}

// exportInstructions is what to do with an export next; a Toolforge job
// also needs the tool's envvars for the daemon's environment.
func exportInstructions(res export.Result, r *spec.Resolved, path string) string {
	s := res.Instructions(path)
	if res.Format == export.FormatToolforge {
		s += export.ToolforgeEnvInstructions(export.ToolforgeEnvNames(r.Spec, r.EnvFileNames), r.Spec.EnvFile)
	}
	return s
}

// exportJSON is `mkdaemon export --json`.
type exportJSON struct {
	Format       string `json:"format"`
	Name         string `json:"name"`
	Path         string `json:"path,omitempty"` // where it was written, with --out
	Content      string `json:"content"`
	Instructions string `json:"instructions"`
}

// installedInput fills in, for export, what the installed entry name
// says: the program, its arguments and environment, name, pidfile, log
// and working directory, as its start-stop-daemon line has them. Flags
// that describe the daemon do not mix with it.
func (a *app) installedInput(name string, in *spec.Input) error {
	if in.Name != "" || in.Pidfile != "" || in.Log != "" || in.Chdir != "" || in.Daemonizes || len(in.Env) > 0 || in.EnvFile != "" {
		return usagef("an installed entry brings its own program, name, pidfile, log, directory and environment").
			hint("leave those flags out: mkdaemon export %s --format FORMAT", shell.Quote(name))
	}
	e, err := a.findEntry(in.User, name)
	if err != nil {
		return err
	}
	for _, l := range e.d.Lines {
		sched, field, ok := crontab.Job(l)
		if !ok || strings.HasPrefix(field, "/usr/sbin/logrotate") || strings.Contains(field, "/logrotate ") {
			continue
		}
		command, _ := crontab.Unescape(field)
		c, err := ssd.Parse(command)
		if err != nil {
			return fmt.Errorf("the entry %s in %s cannot be exported: %v", name, e.where, err)
		}
		if c.ArgsComputed {
			return fmt.Errorf("the entry %s in %s cannot be exported: an argument of its program is computed by the shell", name, e.where)
		}
		*in = spec.Input{Program: c.Program, Args: c.Args, Name: c.Name, Pidfile: c.Pidfile, Log: c.Log, Chdir: c.Chdir,
			Daemonizes: !c.Background, Env: c.Env, EnvFile: c.EnvFile, User: in.User, Interval: sched}
		return nil
	}
	return fmt.Errorf("the entry %s in %s has no start-stop-daemon line to export", name, e.where)
}
