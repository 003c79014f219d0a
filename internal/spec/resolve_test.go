package spec

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// A machine described by facts alone: no disk, no users, no root.
var (
	me    = Account{Name: "me", UID: 1000, GID: 1000, Home: "/home/me", Groups: []int{1000}}
	other = Account{Name: "other", UID: 1001, GID: 1001, Home: "/home/other", Groups: []int{1001}}
	root  = Account{Name: "root", UID: 0, GID: 0, Home: "/root", Groups: []int{0}}
)

func dir(mode fs.FileMode, uid int) File { return File{Mode: fs.ModeDir | mode, UID: uid, GID: uid} }
func exe(first string, uid int) File     { return File{Mode: 0o755, UID: uid, GID: uid, FirstLine: first} }

// machine is the facts of a tidy home with a bot in it; each case changes
// what it needs.
func machine() Facts {
	return Facts{
		Cwd: "/home/me", Current: me,
		Accounts: map[string]Account{"other": other},
		SSD:      "/usr/sbin/start-stop-daemon",
		Files: map[string]File{
			"/":                                    dir(0o755, 0),
			"/usr/bin":                             dir(0o755, 0),
			"/usr/bin/python3":                     exe("", 0),
			"/usr/bin/env":                         exe("", 0),
			"/tmp":                                 dir(0o777|fs.ModeSticky, 0),
			"/home/me":                             dir(0o755, 1000),
			"/home/me/bot.py":                      exe("#!/usr/bin/python3\n", 1000),
			"/home/me/.local/state/mkdaemon":       dir(0o700, 1000),
			"/home/other":                          dir(0o750, 1001),
			"/home/other/bot.py":                   exe("#!/usr/bin/python3\n", 1001),
			"/home/other/.local/state/mkdaemon":    dir(0o700, 1001),
			"/home/me/a-very-long-bot-name.py":     exe("#!/usr/bin/python3\n", 1000),
			"/home/me/envbot.py":                   exe("#!/usr/bin/env python3\n", 1000),
			"/home/me/skel.py":                     {Mode: 0o755, UID: 1000, GID: 1000, FirstLine: "#!/usr/bin/python3\n", Skeleton: true},
			"/home/me/logs":                        dir(0o755, 1000),
			"/home/me/work":                        dir(0o755, 1000),
			"/home/me/.local/state/mkdaemon/x.pid": {Mode: 0o644, UID: 1000, GID: 1000},
		},
	}
}

type rule struct {
	name  string
	in    Input
	edit  func(f *Facts)
	flag  string // the flag the error names; "" means no error
	msg   string // part of the error message, or of a warning when flag is ""
	check func(t *testing.T, r *Resolved)
}

func TestRules(t *testing.T) {
	tests := []rule{
		{name: "plain program, all defaults", in: Input{Program: "bot.py"}, check: func(t *testing.T, r *Resolved) {
			s := r.Spec
			if s.Program != "/home/me/bot.py" || s.Name != "bot.py" || s.Mode != ModeForeground ||
				s.Pidfile != "/home/me/.local/state/mkdaemon/bot.py.pid" || !r.DefaultPidfile || s.Schedule != "*/5 * * * *" {
				t.Errorf("spec %+v", s)
			}
		}},
		{name: "~ is the current home", in: Input{Program: "~/bot.py"}, check: func(t *testing.T, r *Resolved) {
			if r.Spec.Program != "/home/me/bot.py" {
				t.Errorf("program %s", r.Spec.Program)
			}
		}},
		{name: "--daemonizes", in: Input{Program: "bot.py", Daemonizes: true}, check: wantMode(ModeDaemonizes)},
		{name: "a skeleton daemonizes without being told", in: Input{Program: "skel.py"}, check: func(t *testing.T, r *Resolved) {
			if r.Spec.Mode != ModeDaemonizes || !r.Spec.Skeleton {
				t.Errorf("mode %s, skeleton %v", r.Spec.Mode, r.Spec.Skeleton)
			}
		}},

		// Text every command can carry.
		{name: "NUL in an argument", in: Input{Program: "bot.py", Args: []string{"a\x00b"}}, flag: "program argument 1", msg: "a NUL byte"},
		{name: "newline in the program", in: Input{Program: "bot.py\n"}, flag: "--program", msg: "a newline"},
		{name: "carriage return in the pidfile", in: Input{Program: "bot.py", Pidfile: "x\r"}, flag: "--pidfile", msg: "a carriage return"},
		{name: "non-UTF-8 argument", in: Input{Program: "bot.py", Args: []string{"caf\xe9"}}, flag: "program argument 1", msg: "not valid UTF-8"},
		{name: "non-UTF-8 name", in: Input{Program: "bot.py", Name: "b\xffot"}, flag: "--name", msg: "not valid UTF-8"},

		// Accounts.
		{name: "--user needs root", in: Input{Program: "bot.py", User: "other"}, flag: "--user", msg: "only root"},
		{name: "--user naming oneself", in: Input{Program: "bot.py", User: "me"}},
		{name: "--user unknown", in: Input{Program: "/home/other/bot.py", User: "nobody-here"}, edit: asRoot, flag: "--user", msg: "no such user"},
		{name: "root for another user uses their home, not root's XDG_STATE_HOME", in: Input{Program: "/home/other/bot.py", User: "other"},
			edit: func(f *Facts) { asRoot(f); f.XDGStateHome = "/xdg" }, check: func(t *testing.T, r *Resolved) {
				if r.StateDir != "/home/other/.local/state/mkdaemon" || r.Spec.Pidfile != "/home/other/.local/state/mkdaemon/bot.py.pid" {
					t.Errorf("state dir %s, pidfile %s", r.StateDir, r.Spec.Pidfile)
				}
			}},
		{name: "XDG_STATE_HOME for one's own", in: Input{Program: "bot.py"}, edit: func(f *Facts) { f.XDGStateHome = "/xdg" },
			check: func(t *testing.T, r *Resolved) {
				if r.StateDir != "/xdg/mkdaemon" {
					t.Errorf("state dir %s", r.StateDir)
				}
			}},
		{name: "XDG_STATE_HOME is a file", in: Input{Program: "bot.py"},
			edit: func(f *Facts) { f.XDGStateHome = "/home/me/bot.py" }, flag: "XDG_STATE_HOME", msg: "not a directory"},

		// The program.
		{name: "no program", in: Input{}, flag: "--program", msg: "is required"},
		{name: "missing program", in: Input{Program: "nope.py"}, flag: "--program", msg: "/home/me/nope.py does not exist"},
		{name: "a directory", in: Input{Program: "logs"}, flag: "--program", msg: "is a directory"},
		{name: "not executable", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", File{Mode: 0o644, UID: 1000, GID: 1000}), flag: "--program", msg: "not executable by me"},
		{name: "root-only program for another user", in: Input{Program: "/root/bot.py", User: "other"},
			edit: func(f *Facts) {
				asRoot(f)
				f.Files["/root"] = dir(0o700, 0)
				f.Files["/root/bot.py"] = File{Mode: 0o700}
			},
			flag: "--program", msg: "not executable by other"},
		{name: "basename ends in a space", in: Input{Program: "bot.py "}, edit: setFile("/home/me/bot.py ", exe("", 1000)), flag: "--program", msg: "white space"},
		{name: "basename ends in a no-break space", in: Input{Program: "bot.py\u00a0"}, edit: setFile("/home/me/bot.py\u00a0", exe("", 1000)), flag: "--program", msg: "white space"},
		{name: "world-writable program", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", File{Mode: 0o777, UID: 1000, GID: 1000}), flag: "--program", msg: "writable by every user"},
		{name: "group-writable program of a shared group", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", File{Mode: 0o775, UID: 1000, GID: 50}), flag: "--program", msg: "writable by its group"},
		{name: "group-writable program of one's own group", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", File{Mode: 0o775, UID: 1000, GID: 1000, FirstLine: "#!/usr/bin/python3\n"})},
		{name: "program of another user", in: Input{Program: "/home/other/bot.py"}, flag: "--program", msg: "belongs to another user"},
		{name: "program in a world-writable directory without sticky bit", in: Input{Program: "/srv/bot.py"},
			edit: func(f *Facts) { f.Files["/srv"] = dir(0o777, 0); f.Files["/srv/bot.py"] = exe("", 1000) }, flag: "--program", msg: "no sticky bit"},
		{name: "program in /tmp, sticky", in: Input{Program: "/tmp/bot.py"}, edit: setFile("/tmp/bot.py", exe("", 1000))},
		{name: "program in another user's directory", in: Input{Program: "/home/other/mine.py"},
			edit: setFile("/home/other/mine.py", exe("", 1000)), flag: "--program", msg: "its directory /home/other belongs to another user"},
		{name: "root's program in a root directory", in: Input{Program: "/usr/bin/python3"}},

		// The interpreter.
		{name: "CRLF shebang", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", exe("#!/usr/bin/python3\r\n", 1000)), flag: "--program", msg: "carriage return"},
		{name: "empty shebang", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", exe("#!\n", 1000)), flag: "--program", msg: "names no interpreter"},
		{name: "missing interpreter", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", exe("#!/usr/bin/python9\n", 1000)), flag: "--program", msg: "does not exist or is not executable"},
		{name: "world-writable interpreter", in: Input{Program: "bot.py"}, edit: setFile("/usr/bin/python3", File{Mode: 0o777}), flag: "--program", msg: "its interpreter: /usr/bin/python3 is writable by every user"},
		{name: "interpreter of another user", in: Input{Program: "bot.py"},
			edit: func(f *Facts) {
				f.Files["/home/other/py"] = exe("", 1001)
				f.Files["/home/me/bot.py"] = exe("#!/home/other/py\n", 1000)
			}, flag: "--program", msg: "its interpreter: /home/other/py belongs to another user"},
		{name: "env interpreter not on cron's PATH", in: Input{Program: "bot.py"}, edit: setFile("/home/me/bot.py", exe("#!/usr/bin/env node\n", 1000)), flag: "--program", msg: "cron's PATH (/usr/bin:/bin) has no node"},
		{name: "env interpreter names the process", in: Input{Program: "envbot.py"}, msg: "`#!/usr/bin/env python3`", check: func(t *testing.T, r *Resolved) {
			if r.Spec.Name != "python3" {
				t.Errorf("name %s", r.Spec.Name)
			}
		}},

		// The process name.
		{name: "long basename is cut, with a warning", in: Input{Program: "a-very-long-bot-name.py"}, msg: "keeps only the first 15", check: func(t *testing.T, r *Resolved) {
			if r.Spec.Name != "a-very-long-bot" {
				t.Errorf("name %s", r.Spec.Name)
			}
		}},
		{name: "--name over 15 bytes", in: Input{Program: "bot.py", Name: "a-name-longer-than-15"}, flag: "--name", msg: "is 21 bytes"},
		{name: "--name of 15 multibyte bytes", in: Input{Program: "bot.py", Name: "ééééééééé"}, flag: "--name", msg: "is 18 bytes"},
		{name: "--name with a backslash", in: Input{Program: "bot.py", Name: `a\b`}, flag: "--name", msg: "backslash"},
		{name: "program name with a backslash", in: Input{Program: `b\t.py`}, edit: setFile(`/home/me/b\t.py`, exe("", 1000)), flag: "--program", msg: "backslash"},
		{name: "--name with a slash", in: Input{Program: "bot.py", Name: "a/b"}, flag: "--name", msg: "cannot contain /"},
		{name: "--name ending in a no-break space", in: Input{Program: "bot.py", Name: "bot\u00a0"}, flag: "--name", msg: "white space"},
		{name: "--name starting with -", in: Input{Program: "bot.py", Name: "-bot"}, flag: "--name", msg: "starting with -"},
		{name: "--name differing from the program's", in: Input{Program: "bot.py", Name: "other"}, msg: "differs from the name the kernel gives"},

		// The pidfile.
		{name: "pidfile's directory missing", in: Input{Program: "bot.py", Pidfile: "/nope/bot.pid"}, flag: "--pidfile", msg: "does not exist"},
		{name: "pidfile not a regular file", in: Input{Program: "bot.py", Pidfile: "logs"}, flag: "--pidfile", msg: "not a regular file"},
		{name: "world-writable pidfile", in: Input{Program: "bot.py", Pidfile: "p.pid"}, edit: setFile("/home/me/p.pid", File{Mode: 0o666, UID: 1000}), flag: "--pidfile", msg: "world-writable"},
		{name: "pidfile's directory not writable", in: Input{Program: "bot.py", Pidfile: "/usr/bin/bot.pid"}, flag: "--pidfile", msg: "not writable by me"},
		{name: "pidfile in /tmp", in: Input{Program: "bot.py", Pidfile: "/tmp/bot.pid"}, msg: "where any user can create it first"},
		{name: "pidfile in a world-writable directory without sticky bit", in: Input{Program: "bot.py", Pidfile: "/srv/bot.pid"},
			edit: setFile("/srv", dir(0o777, 0)), flag: "--pidfile", msg: "no sticky bit"},
		{name: "default pidfile before the state directory exists", in: Input{Program: "bot.py"},
			edit: func(f *Facts) { delete(f.Files, "/home/me/.local/state/mkdaemon") }},

		// The schedule.
		{name: "a schedule cron would refuse", in: Input{Program: "bot.py", Interval: "61 * * * *"}, flag: "--interval"},
		{name: "--at-boot with @reboot", in: Input{Program: "bot.py", Interval: "@reboot", AtBoot: true}, msg: "adds nothing"},

		// Log and working directory.
		{name: "log", in: Input{Program: "bot.py", Log: "logs/bot.log"}, check: func(t *testing.T, r *Resolved) {
			if r.Spec.Log != "/home/me/logs/bot.log" {
				t.Errorf("log %s", r.Spec.Log)
			}
		}},
		{name: "log is a directory", in: Input{Program: "bot.py", Log: "logs"}, flag: "--log", msg: "is a directory"},
		{name: "log's directory missing", in: Input{Program: "bot.py", Log: "nope/bot.log"}, flag: "--log", msg: "does not exist"},
		{name: "log's directory not writable", in: Input{Program: "bot.py", Log: "/usr/bin/bot.log"}, flag: "--log", msg: "not writable"},
		{name: "log with --daemonizes is not used", in: Input{Program: "bot.py", Log: "logs/bot.log", Daemonizes: true}, msg: "is not used with --daemonizes"},
		{name: "chdir", in: Input{Program: "bot.py", Chdir: "work"}},
		{name: "chdir missing", in: Input{Program: "bot.py", Chdir: "nope"}, flag: "--chdir", msg: "not an existing directory"},
		{name: "chdir not searchable", in: Input{Program: "bot.py", Chdir: "/root"}, edit: setFile("/root", dir(0o700, 0)), flag: "--chdir", msg: "not searchable"},

		// The environment: --env and --env-file.
		{name: "--env", in: Input{Program: "bot.py", Env: []string{"LANG=C.UTF-8", "WIKI=en wiki"}}, check: func(t *testing.T, r *Resolved) {
			if strings.Join(r.Spec.Env, "|") != "LANG=C.UTF-8|WIKI=en wiki" {
				t.Errorf("env %q", r.Spec.Env)
			}
		}},
		{name: "--env without =", in: Input{Program: "bot.py", Env: []string{"LANG"}}, flag: "--env", msg: "is not NAME=VALUE"},
		{name: "--env with a bad name", in: Input{Program: "bot.py", Env: []string{"1X=y"}}, flag: "--env", msg: "not a variable name"},
		{name: "--env with a dash in the name", in: Input{Program: "bot.py", Env: []string{"A-B=y"}}, flag: "--env", msg: "not a variable name"},
		{name: "--env given twice", in: Input{Program: "bot.py", Env: []string{"A=1", "A=2"}}, flag: "--env", msg: "given twice"},
		{name: "--env with a newline", in: Input{Program: "bot.py", Env: []string{"A=1\nB=2"}}, flag: "--env", msg: "a newline"},
		{name: "--env of a secret warns", in: Input{Program: "bot.py", Env: []string{"BOT_TOKEN=abc"}}, msg: "--env BOT_TOKEN looks like a secret"},
		{name: "--env of an API key warns", in: Input{Program: "bot.py", Env: []string{"api_key=abc"}}, msg: "--env-file"},
		{name: "--env-file", in: Input{Program: "bot.py", EnvFile: "bot.env"}, edit: setFile("/home/me/bot.env", File{Mode: 0o600, UID: 1000, GID: 1000}),
			check: func(t *testing.T, r *Resolved) {
				if r.Spec.EnvFile != "/home/me/bot.env" {
					t.Errorf("env file %q", r.Spec.EnvFile)
				}
			}},
		{name: "--env-file missing", in: Input{Program: "bot.py", EnvFile: "bot.env"}, flag: "--env-file", msg: "does not exist"},
		{name: "--env-file a directory", in: Input{Program: "bot.py", EnvFile: "logs"}, flag: "--env-file", msg: "not a regular file"},
		{name: "--env-file readable by others", in: Input{Program: "bot.py", EnvFile: "bot.env"}, edit: setFile("/home/me/bot.env", File{Mode: 0o644, UID: 1000, GID: 1000}),
			flag: "--env-file", msg: "can be read by every user"},
		{name: "--env-file readable by its group", in: Input{Program: "bot.py", EnvFile: "bot.env"}, edit: setFile("/home/me/bot.env", File{Mode: 0o640, UID: 1000, GID: 50}),
			flag: "--env-file", msg: "can be read by its group"},
		{name: "--env-file of another user", in: Input{Program: "bot.py", EnvFile: "/home/other/bot.env"}, edit: setFile("/home/other/bot.env", File{Mode: 0o600, UID: 1001, GID: 1001}),
			flag: "--env-file", msg: "not readable by me"},
		{name: "--env-file in a directory others can replace it in", in: Input{Program: "bot.py", EnvFile: "/srv/bot.env"},
			edit: func(f *Facts) {
				f.Files["/srv"] = dir(0o777, 0)
				f.Files["/srv/bot.env"] = File{Mode: 0o600, UID: 1000, GID: 1000}
			},
			flag: "--env-file", msg: "no sticky bit"},

		// The interpreter cron runs against the one the user's shell runs.
		{name: "env python3 is a venv's in the shell", in: Input{Program: "envbot.py"}, edit: loginPath("/home/me/venv/bin:/usr/bin:/bin", "/home/me/venv/bin/python3"),
			msg: "runs /usr/bin/python3, but your shell's PATH gives /home/me/venv/bin/python3"},
		{name: "env python3 is a pyenv shim in the shell", in: Input{Program: "envbot.py"}, edit: loginPath("/home/me/.pyenv/shims:/usr/bin", "/home/me/.pyenv/shims/python3"),
			msg: "pyenv which python3"},
		{name: "env node from nvm", in: Input{Program: "envbot.py"},
			edit: func(f *Facts) {
				loginPath("/home/me/.nvm/versions/node/v20/bin:/usr/bin", "/home/me/.nvm/versions/node/v20/bin/node", "/usr/bin/node")(f)
				f.Files["/home/me/envbot.py"] = exe("#!/usr/bin/env node\n", 1000)
			}, msg: "gives /home/me/.nvm/versions/node/v20/bin/node"},
		{name: "env python3 from ~/.local/bin", in: Input{Program: "envbot.py"}, edit: loginPath("/home/me/.local/bin:/usr/bin", "/home/me/.local/bin/python3"),
			msg: "--program /home/me/.local/bin/python3 -- /home/me/envbot.py"},
		{name: "the same python3 in both PATHs", in: Input{Program: "envbot.py"}, edit: loginPath("/usr/local/bin:/usr/bin:/bin"),
			check: func(t *testing.T, r *Resolved) {
				if strings.Contains(strings.Join(r.Warnings, "\n"), "your shell") {
					t.Errorf("warnings %q", r.Warnings)
				}
			}, msg: "`#!/usr/bin/env python3`"},
		{name: "/bin and /usr/bin are one file", in: Input{Program: "envbot.py"},
			edit: func(f *Facts) {
				loginPath("/bin:/usr/bin")(f)
				f.Files["/usr/bin"] = File{Mode: fs.ModeDir | 0o755, Dev: 1, Ino: 42}
				f.Files["/bin"] = File{Mode: fs.ModeDir | 0o755, Dev: 1, Ino: 42}
				f.Files["/bin/python3"] = exe("", 0)
			},
			check: func(t *testing.T, r *Resolved) {
				if strings.Contains(strings.Join(r.Warnings, "\n"), "your shell") {
					t.Errorf("warnings %q", r.Warnings)
				}
			}, msg: "`#!/usr/bin/env python3`"},
		{name: "a venv's python3 links to the system's: still another interpreter", in: Input{Program: "envbot.py"},
			edit: func(f *Facts) {
				loginPath("/home/me/venv/bin:/usr/bin", "/home/me/venv/bin/python3")(f)
				f.Files["/usr/bin/python3"] = File{Mode: 0o755, Dev: 1, Ino: 7}
				f.Files["/home/me/venv/bin/python3"] = File{Mode: 0o755, UID: 1000, GID: 1000, Dev: 1, Ino: 7}
			}, msg: "your shell's PATH gives /home/me/venv/bin/python3"},
		{name: "a venv's python by its absolute path is fine", in: Input{Program: "/home/me/venv/bin/python3", Args: []string{"bot.py"}},
			edit: loginPath("/home/me/venv/bin:/usr/bin", "/home/me/venv/bin/python3")},
		{name: "a venv's python on the #! line is fine", in: Input{Program: "bot.py"},
			edit: func(f *Facts) {
				loginPath("/home/me/venv/bin:/usr/bin", "/home/me/venv/bin/python3")(f)
				f.Files["/home/me/bot.py"] = exe("#!/home/me/venv/bin/python3\n", 1000)
			}},
		{name: "a pyenv shim on the #! line", in: Input{Program: "bot.py"},
			edit: func(f *Facts) {
				f.Files["/home/me/.pyenv/shims"] = dir(0o755, 1000)
				f.Files["/home/me/.pyenv/shims/python3"] = exe("#!/usr/bin/env bash\n", 1000)
				f.Files["/home/me/bot.py"] = exe("#!/home/me/.pyenv/shims/python3\n", 1000)
			}, msg: "runs through the pyenv shim"},
		{name: "no login PATH (another account): no comparison", in: Input{Program: "envbot.py"}, msg: "`#!/usr/bin/env python3`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := machine()
			if tt.edit != nil {
				tt.edit(&f)
			}
			r, err := Resolve(tt.in, f)
			if tt.flag != "" {
				var se *Error
				if !errors.As(err, &se) {
					t.Fatalf("Resolve = %v; want an error naming %s", err, tt.flag)
				}
				if se.Flag != tt.flag || !strings.Contains(se.Error(), tt.msg) {
					t.Errorf("error %q (flag %s); want flag %s and %q", se.Error(), se.Flag, tt.flag, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if tt.msg != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), tt.msg) {
				t.Errorf("warnings %q; want one with %q", r.Warnings, tt.msg)
			}
			if tt.msg == "" && len(r.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", r.Warnings)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// loginPath sets the user's shell PATH and makes each of exes an
// executable of the user's.
func loginPath(path string, exes ...string) func(*Facts) {
	return func(f *Facts) {
		f.LoginPath = path
		for _, e := range exes {
			f.Files[filepath.Dir(e)] = dir(0o755, 1000)
			f.Files[e] = exe("", 1000)
		}
	}
}

func asRoot(f *Facts) { f.Current = root; f.Cwd = "/root" }

func setFile(path string, fi File) func(*Facts) {
	return func(f *Facts) { f.Files[path] = fi }
}

func wantMode(m Mode) func(*testing.T, *Resolved) {
	return func(t *testing.T, r *Resolved) {
		if r.Spec.Mode != m {
			t.Errorf("mode %s, want %s", r.Spec.Mode, m)
		}
	}
}

func TestMay(t *testing.T) {
	u := Account{Name: "u", UID: 10, GID: 20, Groups: []int{20, 30}}
	tests := []struct {
		a          Account
		uid, gid   int
		mode, perm uint32
		want       bool
	}{
		{u, 10, 99, 0o700, 1, true},
		{u, 11, 30, 0o750, 5, true},
		{u, 11, 31, 0o750, 1, false},
		{u, 11, 31, 0o755, 1, true},
		{u, 10, 20, 0o077, 4, false}, // the owner bits decide for the owner
		{root, 10, 20, 0o600, 2, true},
		{root, 10, 20, 0o600, 1, false},
		{root, 10, 20, 0o100, 1, true},
	}
	for _, tt := range tests {
		if got := tt.a.may(tt.uid, tt.gid, tt.mode, tt.perm); got != tt.want {
			t.Errorf("%s may %o on %d:%d %o = %v", tt.a.Name, tt.perm, tt.uid, tt.gid, tt.mode, got)
		}
	}
}
