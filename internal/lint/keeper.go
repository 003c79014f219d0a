package lint

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/crontab"
	"github.com/mkdaemon/mkdaemon/internal/shell"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// Keeper is a hand-written line that keeps a program running, read back:
// what `mkdaemon adopt` needs to write the same daemon as a managed entry.
type Keeper struct {
	Kind     string // start-stop-daemon, pgrep, pidof, ps, flock or nohup
	Schedule string
	Program  string // absolute
	Args     []string
	Log      string // where `>> FILE 2>&1` sent the output
	Chdir    string // `cd DIR &&` before it, or --chdir
	// Foreground is true when the line is known to start a program that
	// stays in the foreground (start-stop-daemon --background, or a
	// program put in the background with &); false means the line does not
	// say, and the user must.
	Foreground bool
}

// ReadKeeper reads line, a crontab job line whose HOME (where cron starts
// it, and what ~ and $HOME are) is home, as a keeper. It refuses, with
// the reason, whatever it cannot read back exactly: a value the shell
// computes, a second command it does not know, output sent anywhere but
// one file.
func ReadKeeper(line, home string) (Keeper, error) {
	sched, field, ok := crontab.Job(line)
	if !ok {
		return Keeper{}, errors.New("it is not a job line")
	}
	command, stdin := crontab.Unescape(field)
	if stdin != "" {
		return Keeper{}, errors.New("a bare % cuts its command; fix that first (write \\%)")
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(command), "")
	if err != nil || len(f.Stmts) != 1 {
		return Keeper{}, errors.New("it is not one sh command that mkdaemon can read")
	}
	k := Keeper{Schedule: sched}
	stmt := f.Stmts[0]
	// cd DIR && ...
	if b, ok := stmt.Cmd.(*syntax.BinaryCmd); ok && b.Op == syntax.AndStmt {
		if dir, ok := cdTo(b.X, home); ok {
			k.Chdir = dir
			stmt = b.Y
		}
	}
	switch cmd := stmt.Cmd.(type) {
	case *syntax.BinaryCmd:
		if cmd.Op != syntax.OrStmt {
			return Keeper{}, errors.New("mkdaemon reads `CHECK || START` keepers, not this form")
		}
		k.Kind = guardKind(cmd.X)
		if k.Kind == "" {
			return Keeper{}, errors.New("the command before || is not pgrep, pidof or ps | grep")
		}
		err := k.readStart(cmd.Y, home)
		// `[cd DIR &&] CHECK || START &` puts the whole list in the
		// background.
		k.Foreground = k.Foreground || f.Stmts[0].Background
		return k, err
	case *syntax.CallExpr:
		word, _ := shell.Value(cmd.Args[0])
		switch path.Base(word) {
		case "start-stop-daemon":
			return k, k.readSSD(cmd, home)
		case "flock", "nohup":
			k.Kind = path.Base(word)
			err := k.readStart(stmt, home)
			k.Foreground = k.Foreground || f.Stmts[0].Background
			return k, err
		}
	}
	return Keeper{}, errors.New("it is not a keeper mkdaemon knows: start-stop-daemon, `pgrep ... || PROGRAM`, flock -n or nohup")
}

// cdTo reads `cd DIR`.
func cdTo(s *syntax.Stmt, home string) (string, bool) {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	if w, _ := shell.Value(call.Args[0]); w != "cd" {
		return "", false
	}
	dir, ok := shell.HomeValue(call.Args[1], home)
	return dir, ok && strings.HasPrefix(dir, "/")
}

// guardKind names the check of a `CHECK || START` keeper.
func guardKind(s *syntax.Stmt) string {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		w, _ := shell.Value(c.Args[0])
		if b := path.Base(w); b == "pgrep" || b == "pidof" {
			return b
		}
	case *syntax.BinaryCmd:
		if call, ok := c.X.Cmd.(*syntax.CallExpr); ok && c.Op == syntax.Pipe {
			if w, _ := shell.Value(call.Args[0]); path.Base(w) == "ps" {
				return "ps"
			}
		}
	}
	return ""
}

// readStart reads the command that starts the program: [nohup] [flock
// OPTIONS LOCKFILE] PROGRAM ARGS... [>> LOG 2>&1] [&].
func (k *Keeper) readStart(s *syntax.Stmt, home string) error {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok {
		return errors.New("the command that starts the program is not a plain command")
	}
	var words []string
	for _, w := range call.Args {
		v, ok := shell.HomeValue(w, home)
		if !ok {
			return fmt.Errorf("an argument of the program is computed by the shell (%s); mkdaemon writes only values it can read", printWord(w))
		}
		words = append(words, v)
	}
	// The keepers that guides show wrap the program in nohup or flock, which
	// a managed entry replaces; any other wrapper would be lost.
	for len(words) > 0 && (path.Base(words[0]) == "nohup" || path.Base(words[0]) == "flock") {
		words = unwrapOne(words)
	}
	if len(words) == 0 {
		return errors.New("no program follows")
	}
	k.Program, k.Args = words[0], words[1:]
	if !strings.HasPrefix(k.Program, "/") {
		if !strings.Contains(k.Program, "/") {
			return fmt.Errorf("%s is found through PATH; adopt needs the program's absolute path (command -v %s)", k.Program, k.Program)
		}
		// cron runs the job in the home directory (or in cd's).
		base := home
		if k.Chdir != "" {
			base = k.Chdir
		}
		k.Program = filepath.Join(base, k.Program)
	}
	k.Foreground = s.Background
	for _, r := range s.Redirs {
		switch {
		case r.Op == syntax.AppOut || r.Op == syntax.RdrOut || r.Op == syntax.AppAll || r.Op == syntax.RdrAll:
			v, ok := shell.HomeValue(r.Word, home)
			if !ok || !strings.HasPrefix(v, "/") {
				return errors.New("the output goes to a file whose path the shell computes or is relative")
			}
			k.Log = v
		case r.Op == syntax.DplOut && r.N != nil && r.N.Value == "2" && r.Word.Lit() == "1":
		case r.Op == syntax.RdrIn:
		default:
			return errors.New("the output is redirected in a way mkdaemon does not write")
		}
	}
	return nil
}

// readSSD reads a start-stop-daemon keeper.
func (k *Keeper) readSSD(call *syntax.CallExpr, home string) error {
	c, err := ssd.ParseArgs(shell.Args(call.Args, home))
	if err != nil && !errors.Is(err, ssd.ErrNoPidfile) && !errors.Is(err, ssd.ErrNoName) {
		return err
	}
	if c.ArgsComputed {
		return errors.New("an argument of the program is computed by the shell; mkdaemon writes only values it can read")
	}
	if !strings.HasPrefix(c.Program, "/") {
		return errors.New("the program (--startas or --exec) is not an absolute path")
	}
	k.Kind = "start-stop-daemon"
	k.Program, k.Args, k.Log, k.Foreground = c.Program, c.Args, c.Log, c.Background
	if c.Chdir != "" {
		k.Chdir = c.Chdir
	}
	return nil
}

func printWord(w *syntax.Word) string {
	var b strings.Builder
	syntax.NewPrinter().Print(&b, w)
	return b.String()
}
