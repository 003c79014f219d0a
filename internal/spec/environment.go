package spec

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/shell"
)

// secretWords mark a variable name whose value is probably a secret: it
// should live in a file of mode 0600, not in the crontab, which `crontab
// -l`, mkdaemon's backups and anyone looking over a shoulder see.
var secretWords = []string{"TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY"}

// LooksSecret reports whether a variable name suggests a secret value.
func LooksSecret(name string) bool {
	up := strings.ToUpper(name)
	for _, w := range secretWords {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// checkEnvironment checks --env and --env-file and puts them into s.
func checkEnvironment(in Input, s *Spec, f Facts, acct Account, r *Resolved) error {
	seen := map[string]bool{}
	var secrets []string
	for _, e := range in.Env {
		name, _, ok := strings.Cut(e, "=")
		switch {
		case !ok:
			return &Error{Flag: "--env", Value: e, Msg: "is not NAME=VALUE",
				Hint: "write --env " + shell.Quote(e+"=VALUE") + ", or put the variable into a file given with --env-file"}
		case !ValidEnvName(name):
			return &Error{Flag: "--env", Value: e, Msg: fmt.Sprintf("%q is not a variable name sh and systemd accept", name),
				Hint: "a name is a letter or _, then letters, digits and _, for example --env BOT_LANG=en"}
		case seen[name]:
			return &Error{Flag: "--env", Value: e, Msg: name + " is given twice", Hint: "give each variable once"}
		}
		seen[name] = true
		if LooksSecret(name) {
			secrets = append(secrets, name)
		}
		s.Env = append(s.Env, e)
	}
	if len(secrets) > 0 {
		r.warn("--env %s looks like a secret, and its value is written into the crontab, where `crontab -l` and mkdaemon's backups show it: "+
			"put it into a file only you can read and pass --env-file instead (install -m 600 /dev/null FILE, then add %s=... to it)",
			strings.Join(secrets, ", "), secrets[0])
	}
	if in.EnvFile == "" {
		return nil
	}
	p := f.absPath(in.EnvFile)
	q := shell.Quote(p)
	fi, ok := f.file(p)
	switch {
	case !ok:
		return &Error{Flag: "--env-file", Value: in.EnvFile, Msg: p + " does not exist, and the program is never started without it",
			Hint: "create it readable by you alone: install -m 600 /dev/null " + q + ", then add NAME=value lines to it"}
	case !fi.Mode.IsRegular():
		return &Error{Flag: "--env-file", Value: in.EnvFile, Msg: p + " is not a regular file"}
	case !acct.may(fi.UID, fi.GID, uint32(fi.Mode.Perm()), 4):
		return &Error{Flag: "--env-file", Value: in.EnvFile, Msg: fmt.Sprintf("%s is not readable by %s, so the program would never start", p, acct.Name),
			Hint: "make it " + acct.Name + "'s own: chmod 600 " + q}
	case fi.Mode.Perm()&0o044 != 0:
		who := "every user"
		if fi.Mode.Perm()&0o004 == 0 {
			who = fmt.Sprintf("its group (gid %d)", fi.GID)
		}
		return &Error{Flag: "--env-file", Value: in.EnvFile, Msg: fmt.Sprintf("%s can be read by %s: it holds the program's secrets, so only its owner may read it", p, who),
			Hint: "chmod 600 " + q}
	}
	// The crontab line sources the file with sh, so whoever can change
	// it runs code as the account.
	if err := checkNotWritableByOthers("--env-file", in.EnvFile, p, f, acct); err != nil {
		return err
	}
	s.EnvFile = p
	r.EnvFileNames = fi.EnvNames
	return nil
}

// checkLoginInterpreter warns when the interpreter a script gets under
// cron's PATH differs from the one the user's shell gives it: modules
// installed for one (a virtualenv, pyenv, ~/.local/bin, nvm) are missing
// from the other, so a bot that works by hand dies under cron.
func checkLoginInterpreter(prog program, sb shebang, f Facts, r *Resolved) {
	if strings.Contains(sb.interp, "/.pyenv/shims/") {
		r.warn("%s runs through the pyenv shim %s, which picks a Python by PYENV_VERSION and .python-version files that cron's environment and start directory lack: "+
			"write the interpreter itself on the first line (`pyenv which %s` prints it)", prog.path, sb.interp, filepath.Base(sb.interp))
		return
	}
	if sb.envCommand == "" || strings.Contains(sb.envCommand, "/") || f.LoginPath == "" {
		return
	}
	cron := f.lookCronPath(sb.envCommand)
	login := f.lookPath(f.LoginPath, sb.envCommand)
	if cron == "" || login == "" || f.sameFile(cron, login) {
		return
	}
	fix := "#!" + login
	if strings.Contains(login, "/.pyenv/shims/") {
		fix = "#!$(pyenv which " + sb.envCommand + ") (the interpreter the shim stands for; the shim itself depends on your shell's environment)"
	}
	r.warn("under cron, `#!/usr/bin/env %s` in %s runs %s, but your shell's PATH gives %s: another interpreter, with other modules. "+
		"Write the interpreter on the first line (%s), or keep the script and use --program %s -- %s",
		sb.envCommand, prog.path, cron, login, fix, shell.Quote(login), shell.Quote(prog.path))
}

// lookPath finds a command in the directories of pathEnv, as env does.
func (f Facts) lookPath(pathEnv, name string) string {
	for _, d := range filepath.SplitList(pathEnv) {
		if !filepath.IsAbs(d) {
			continue
		}
		p := filepath.Join(d, name)
		if fi, ok := f.file(p); ok && !fi.Mode.IsDir() && fi.Mode&0o111 != 0 {
			return p
		}
	}
	return ""
}

// sameFile reports whether two paths of a command are one by the facts:
// the same name in the same directory, reached through a symlinked
// directory or not (/bin is /usr/bin on merged-/usr systems). A symlink
// to the same file in another directory does not count: a virtualenv's
// bin/python3 links to the system's python3, yet runs with the
// virtualenv's modules.
func (f Facts) sameFile(a, b string) bool {
	if a == b {
		return true
	}
	if filepath.Base(a) != filepath.Base(b) {
		return false
	}
	da, oka := f.file(filepath.Dir(a))
	db, okb := f.file(filepath.Dir(b))
	return oka && okb && da.Ino != 0 && da.Dev == db.Dev && da.Ino == db.Ino
}
