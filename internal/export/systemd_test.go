package export

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// verifyUnit writes content as dir/name and runs `systemd-analyze --user
// verify --recursive-errors=yes` on it. It returns "" when systemd is
// content, else what it said. systemd 252 only warns, with exit status 0,
// about an unknown key or an unresolvable specifier unless
// --recursive-errors is given; anything at all on stdout or stderr counts
// as a failure too.
func verifyUnit(t *testing.T, dir, name, content string) string {
	t.Helper()
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("systemd-analyze is needed (Debian package systemd): %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	runtime := t.TempDir() // the user manager wants a runtime directory
	cmd := exec.Command(sa, "--user", "verify", "--recursive-errors=yes", "--man=no", path)
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtime, "SYSTEMD_COLORS=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if err != nil || out.Len() > 0 {
		return fmt.Sprintf("systemd-analyze verify: %v\n%s\n--- %s\n%s", err, out.String(), name, content)
	}
	return ""
}

// The harness itself must be able to fail: the mistakes an unescaped unit
// would make are caught.
func TestVerifyUnitCatchesMistakes(t *testing.T) {
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot", "#!/bin/sh\nexec sleep 1000\n")
	writeProgram(t, dir, "$bot", "#!/bin/sh\n") // a $$ in the path is not read as $
	good := "[Unit]\nDescription=x\n\n[Service]\nExecStart=" + prog + "\n"
	if msg := verifyUnit(t, dir, "good.service", good); msg != "" {
		t.Fatalf("a correct unit fails: %s", msg)
	}
	for name, unit := range map[string]string{
		"unknown-key":  good + "Bogus=1\n",
		"specifier":    good + "PIDFile=/tmp/100%z\n",
		"missing-prog": "[Service]\nExecStart=" + prog + "-missing\n",
		"dollar-path":  "[Service]\nExecStart=" + filepath.Join(dir, "$$bot") + "\n",
		"quote-in-arg": "[Service]\nExecStart=" + prog + " \"unbalanced\n",
		"bad-escape":   "[Service]\nExecStart=" + prog + " \\q\n",
	} {
		if msg := verifyUnit(t, dir, name+".service", unit); msg == "" {
			t.Errorf("%s: systemd-analyze verify accepted\n%s", name, unit)
		}
	}
}

func writeProgram(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// skeletonText stands for a program made by mkdaemon scaffold: what makes
// it one is the marker.
func skeletonText() string {
	return "#!/usr/bin/python3\n# " + spec.SkeletonMarker + "\nimport time\ntime.sleep(1000)\n"
}

type unitCase struct {
	name string
	s    spec.Spec
}

// unitCases are daemons with awkward names, paths and arguments, in every
// mode. Every path exists: verify checks the program.
func unitCases(t *testing.T) []unitCase {
	dir := t.TempDir()
	// %h would resolve to a wrong but harmless path; %z makes systemd
	// fail verify when a % is not escaped.
	odd := filepath.Join(dir, "my bots %h %z $HOME; #1 ünï")
	plain := writeProgram(t, dir, "bot", "#!/bin/sh\nexec sleep 1000\n")
	spaced := writeProgram(t, odd, "bot 100% $x.py", "#!/usr/bin/python3\nimport time\ntime.sleep(1000)\n")
	skel := writeProgram(t, dir, "skel.py", skeletonText())
	oddSkel := writeProgram(t, odd, "skel $1 %i.pl", "#!/usr/bin/perl\n# "+spec.SkeletonMarker+"\nsleep 1000;\n")
	logFile := filepath.Join(odd, "out 100%.log")
	var cases []unitCase
	add := func(name string, s spec.Spec) { cases = append(cases, unitCase{name, s}) }
	for _, mode := range []spec.Mode{spec.ModeDaemonizes, spec.ModeForeground} {
		m := string(mode)
		add(m+"/plain", spec.Spec{Program: plain, Name: "bot", Pidfile: filepath.Join(dir, "bot.pid"), Mode: mode})
		add(m+"/tricky-args", spec.Spec{Program: plain, Args: trickyArgs, Name: "bot", Pidfile: filepath.Join(dir, "bot.pid"), Mode: mode})
		add(m+"/odd-paths", spec.Spec{Program: spaced, Args: []string{"--wiki", "en", "100%", "$HOME"}, Name: "bot 100% $x.py",
			Pidfile: filepath.Join(odd, "pid 50% $$.pid"), Mode: mode, Log: logFile, Chdir: odd})
		add(m+"/skeleton", spec.Spec{Program: skel, Args: []string{"a b"}, Name: "skel.py", Pidfile: filepath.Join(dir, "skel.pid"), Mode: mode, Skeleton: true})
		add(m+"/odd-skeleton", spec.Spec{Program: oddSkel, Args: trickyArgs, Name: "skel $1 %i.pl", Pidfile: filepath.Join(odd, "s.pid"), Mode: mode, Log: logFile, Skeleton: true})
		add(m+"/skeleton-already-f", spec.Spec{Program: skel, Args: []string{"-f", "x"}, Name: "skel.py", Pidfile: filepath.Join(dir, "skel.pid"), Mode: mode, Skeleton: true})
		add(m+"/odd-name", spec.Spec{Program: plain, Name: `@a\b%c$d é`, Pidfile: filepath.Join(dir, "x.pid"), Mode: mode})
	}
	return cases
}

func TestSystemdUnitsVerify(t *testing.T) {
	dir := t.TempDir()
	for _, c := range unitCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, err := Systemd(c.s, SystemdOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if msg := verifyUnit(t, dir, UnitName(c.s)+".service", string(b)); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// The unit runs what the crontab entry runs: ExecStart, read back with
// systemd's rules, is the start-stop-daemon line's --startas program and
// arguments (with --foreground for a skeleton).
func TestSystemdExecStartMatchesSSD(t *testing.T) {
	for _, c := range unitCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, err := Systemd(c.s, SystemdOptions{})
			if err != nil {
				t.Fatal(err)
			}
			units := parseUnit(t, string(b))
			execs := units["Service"]["ExecStart"]
			if len(execs) != 1 {
				t.Fatalf("want one ExecStart=, got %q", execs)
			}
			got, err := ParseExecStart(execs[0])
			if err != nil {
				t.Fatal(err)
			}
			want := ssdProgramArgs(t, c.s)
			if c.s.Skeleton && !hasForegroundFlag(c.s.Args) {
				want = append([]string{want[0], "--foreground"}, want[1:]...)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ExecStart=%s\nruns %q\nthe crontab entry runs %q", execs[0], got, want)
			}
		})
	}
}

// PIDFile=, WorkingDirectory= and StandardOutput=append: take the value as
// it is, after specifiers: read back, they are the Spec's paths.
func TestSystemdPathsReadBack(t *testing.T) {
	for _, c := range unitCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b, err := Systemd(c.s, SystemdOptions{})
			if err != nil {
				t.Fatal(err)
			}
			svc := parseUnit(t, string(b))["Service"]
			want := map[string]string{"WorkingDirectory": "%h"}
			if c.s.Chdir != "" {
				want["WorkingDirectory"] = c.s.Chdir
			}
			if !ForegroundCommand(c.s).Foreground {
				want["PIDFile"] = c.s.Pidfile
			}
			if c.s.Log != "" {
				want["StandardOutput"] = "append:" + c.s.Log
				want["StandardError"] = "append:" + c.s.Log
			}
			for k, w := range want {
				v := svc[k]
				if len(v) != 1 {
					t.Fatalf("%s=%q, want one", k, v)
				}
				got := v[0]
				if w != "%h" {
					if got, err = resolveSpecifiers(got); err != nil {
						t.Fatalf("%s=%s: %v", k, v[0], err)
					}
				}
				if got != w {
					t.Errorf("%s=%s reads as %q, want %q", k, v[0], got, w)
				}
			}
		})
	}
}

// ssdProgramArgs takes the program and its arguments out of the
// start-stop-daemon argv: --startas PROGRAM [-- ARGS...].
func ssdProgramArgs(t *testing.T, s spec.Spec) []string {
	argv := ssd.Argv("/usr/sbin/start-stop-daemon", s)
	for i, a := range argv {
		if a == "--startas" {
			out := []string{argv[i+1]}
			if i+2 < len(argv) && argv[i+2] == "--" {
				out = append(out, argv[i+3:]...)
			}
			return out
		}
	}
	t.Fatalf("no --startas in %q", argv)
	return nil
}

// parseUnit reads a unit file into section -> key -> values, following
// systemd's line rules for what the generator writes (no continuations).
func parseUnit(t *testing.T, text string) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	section := ""
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || l[0] == '#' || l[0] == ';':
		case l[0] == '[' && l[len(l)-1] == ']':
			section = l[1 : len(l)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("line %d: %q is not KEY=VALUE in a section", i+1, l)
			}
			if strings.HasSuffix(v, `\`) {
				t.Fatalf("line %d: %q continues on the next line", i+1, l)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	return out
}

func TestSystemdSettings(t *testing.T) {
	dir := t.TempDir()
	plain := writeProgram(t, dir, "bot", "#!/bin/sh\n")
	skel := writeProgram(t, dir, "skel.py", skeletonText())
	one := func(u map[string]map[string][]string, sec, key string) string {
		v := u[sec][key]
		if len(v) != 1 {
			t.Fatalf("[%s] %s=%q, want exactly one", sec, key, v)
		}
		return v[0]
	}
	for _, c := range []struct {
		name     string
		s        spec.Spec
		typ, pid string
	}{
		{"self", spec.Spec{Program: plain, Name: "bot", Pidfile: "/run/user/1/b%t.pid", Mode: spec.ModeDaemonizes}, "forking", "/run/user/1/b%%t.pid"},
		{"background", spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/b.pid", Mode: spec.ModeForeground}, "exec", ""},
		{"skeleton-self", spec.Spec{Program: skel, Name: "skel.py", Pidfile: "/tmp/s.pid", Mode: spec.ModeDaemonizes, Skeleton: true}, "exec", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Systemd(c.s, SystemdOptions{})
			if err != nil {
				t.Fatal(err)
			}
			u := parseUnit(t, string(b))
			if got := one(u, "Service", "Type"); got != c.typ {
				t.Errorf("Type=%s, want %s", got, c.typ)
			}
			if c.pid == "" {
				if v, ok := u["Service"]["PIDFile"]; ok {
					t.Errorf("PIDFile=%q with Type=exec", v)
				}
			} else if got := one(u, "Service", "PIDFile"); got != c.pid {
				t.Errorf("PIDFile=%s, want %s", got, c.pid)
			}
			for sec, kv := range map[string]map[string]string{
				"Unit":    {"StartLimitIntervalSec": "600s", "StartLimitBurst": "5"},
				"Service": {"Restart": "always", "RestartSec": "30s", "WorkingDirectory": "%h"},
				"Install": {"WantedBy": "default.target"},
			} {
				for k, want := range kv {
					if got := one(u, sec, k); got != want {
						t.Errorf("[%s] %s=%s, want %s", sec, k, got, want)
					}
				}
			}
			if !strings.Contains(one(u, "Unit", "Description"), "bot") && !strings.Contains(one(u, "Unit", "Description"), "skel") {
				t.Errorf("Description=%s does not name the daemon", one(u, "Unit", "Description"))
			}
			for _, k := range []string{"StandardOutput", "StandardError"} {
				if v, ok := u["Service"][k]; ok {
					t.Errorf("%s=%q without a log file", k, v)
				}
			}
		})
	}

	s := spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/b.pid", Mode: spec.ModeForeground, Log: "/var/log/b%.log", Chdir: "/srv/bot 1"}
	b, err := Systemd(s, SystemdOptions{RestartSec: 1500 * time.Millisecond, StartLimitInterval: time.Hour, StartLimitBurst: 3, Unit: "custom"})
	if err != nil {
		t.Fatal(err)
	}
	u := parseUnit(t, string(b))
	for sec, kv := range map[string]map[string]string{
		"Unit":    {"StartLimitIntervalSec": "3600s", "StartLimitBurst": "3"},
		"Service": {"RestartSec": "2s", "WorkingDirectory": "/srv/bot 1", "StandardOutput": "append:/var/log/b%%.log", "StandardError": "append:/var/log/b%%.log"},
	} {
		for k, want := range kv {
			if got := one(u, sec, k); got != want {
				t.Errorf("[%s] %s=%s, want %s", sec, k, got, want)
			}
		}
	}
	if !strings.Contains(string(b), "custom.service") {
		t.Errorf("the unit's comment does not name custom.service:\n%s", b)
	}
}

func TestSystemdRefuses(t *testing.T) {
	dir := t.TempDir()
	plain := writeProgram(t, dir, "bot", "#!/bin/sh\n")
	quoted := writeProgram(t, dir, `it's "bot"`, "#!/bin/sh\n")
	for _, c := range []struct {
		name, flag string
		s          spec.Spec
		opts       SystemdOptions
	}{
		{"quote in program", "--program", spec.Spec{Program: quoted, Name: "bot", Pidfile: "/tmp/p", Mode: spec.ModeForeground}, SystemdOptions{}},
		{"relative program", "--program", spec.Spec{Program: "bot", Name: "bot", Pidfile: "/tmp/p", Mode: spec.ModeForeground}, SystemdOptions{}},
		{"pidfile ends in backslash", "--pidfile", spec.Spec{Program: plain, Name: "bot", Pidfile: `/tmp/p\`, Mode: spec.ModeDaemonizes}, SystemdOptions{}},
		{"pidfile with newline", "--pidfile", spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/p\nExecStartPre=/bin/evil", Mode: spec.ModeDaemonizes}, SystemdOptions{}},
		{"log ends in space", "--log", spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/p", Mode: spec.ModeForeground, Log: "/tmp/log "}, SystemdOptions{}},
		{"chdir with tab", "--chdir", spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/p", Mode: spec.ModeForeground, Chdir: "/tmp/a\tb"}, SystemdOptions{}},
		{"bad unit name", "", spec.Spec{Program: plain, Name: "bot", Pidfile: "/tmp/p", Mode: spec.ModeForeground}, SystemdOptions{Unit: "a b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Systemd(c.s, c.opts)
			var se *spec.Error
			if !errors.As(err, &se) {
				t.Fatalf("Systemd = %q, %v; want a *spec.Error", b, err)
			}
			if se.Flag != c.flag {
				t.Errorf("error names %q, want %q: %v", se.Flag, c.flag, se)
			}
		})
	}
}

func TestUnitName(t *testing.T) {
	for in, want := range map[string]string{
		"bot":            "bot",
		"my_bot.py":      "my_bot.py",
		"Bot 100%":       "Bot-100",
		`@a\b%c$d é`:     "a-b-c-d",
		"---":            "daemon",
		"..x..":          "x",
		"a:b":            "a:b",
		"wiki-bot.v2":    "wiki-bot.v2",
		"émoji😀":         "moji",
		"":               "prog", // from the program's file name
		"python3":        "python3",
		"tab\tsep\nline": "tab-sep-line",
	} {
		s := spec.Spec{Name: in, Program: "/x/prog"}
		got := UnitName(s)
		if got != want {
			t.Errorf("UnitName(%q) = %q, want %q", in, got, want)
		}
		if err := checkUnitName(got); err != nil {
			t.Errorf("UnitName(%q) = %q, which is not valid: %v", in, got, err)
		}
	}
}

func TestSystemdInstructions(t *testing.T) {
	out := SystemdInstructions("bot", "alice", "")
	for _, want := range []string{
		"~/.config/systemd/user/bot.service",
		"systemctl --user daemon-reload && systemctl --user enable --now bot.service",
		"loginctl enable-linger alice",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("instructions lack %q:\n%s", want, out)
		}
	}
	if out := SystemdInstructions("bot", "", "/home/a/.config/systemd/user/bot.service"); !strings.Contains(out, "Wrote /home/a/.config/systemd/user/bot.service") {
		t.Errorf("instructions after --out do not say where:\n%s", out)
	}
}
