package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func mustToolforge(t *testing.T, s spec.Spec, o ToolforgeOptions) Job {
	t.Helper()
	j, err := Toolforge(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJobsYAMLHasTheDocumentedKeys(t *testing.T) {
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot.py", "#!/usr/bin/python3\n")
	for _, c := range []struct {
		name string
		s    spec.Spec
		keys []string
	}{
		{"no log", spec.Spec{Program: prog, Name: "bot.py", Mode: spec.ModeForeground},
			[]string{"name", "command", "image", "continuous", "emails"}},
		{"log", spec.Spec{Program: prog, Name: "bot.py", Mode: spec.ModeForeground, Log: "/data/project/t/bot.log"},
			[]string{"name", "command", "image", "continuous", "emails", "filelog-stdout", "filelog-stderr"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := mustToolforge(t, c.s, ToolforgeOptions{})
			out, err := JobsYAML(j)
			if err != nil {
				t.Fatal(err)
			}
			var jobs []map[string]any
			if err := yaml.Unmarshal(out, &jobs); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(jobs) != 1 {
				t.Fatalf("want one job, got %d:\n%s", len(jobs), out)
			}
			var keys []string
			for k := range jobs[0] {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			want := append([]string(nil), c.keys...)
			sort.Strings(want)
			if !reflect.DeepEqual(keys, want) {
				t.Errorf("keys %q, want %q:\n%s", keys, want, out)
			}
			if !reflect.DeepEqual(j.Keys(), c.keys) {
				t.Errorf("Keys() = %q, want %q", j.Keys(), c.keys)
			}
			if !reflect.DeepEqual(jobs[0], j.Value()) {
				t.Errorf("parsed %v, want %v", jobs[0], j.Value())
			}
			wantVals := map[string]any{"name": "bot-py", "command": prog, "image": ImagePython, "continuous": true, "emails": "onfailure"}
			for k, v := range wantVals {
				if jobs[0][k] != v {
					t.Errorf("%s: %v, want %v", k, jobs[0][k], v)
				}
			}
			if c.s.Log != "" && (jobs[0]["filelog-stdout"] != c.s.Log || jobs[0]["filelog-stderr"] != c.s.Log) {
				t.Errorf("filelog keys %v %v, want %s", jobs[0]["filelog-stdout"], jobs[0]["filelog-stderr"], c.s.Log)
			}
		})
	}
}

// The toolforge command reads jobs.yaml with PyYAML, a YAML 1.1 parser
// that takes yes, on, 0x1f, 1:30 or 2024-01-01 for booleans, numbers and
// dates. Every value must come back as the string it is.
func TestJobsYAMLReadsTheSameInPyYAML(t *testing.T) {
	// Debian's python3, where python3-yaml installs: a python3 earlier in
	// PATH (pyenv, a venv) may lack the module.
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Fatal("python3 is needed (Debian package python3)")
	}
	if err := exec.Command(py, "-c", "import yaml").Run(); err != nil {
		t.Fatal("python3's yaml module is needed (Debian package python3-yaml)")
	}
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot", "#!/bin/sh\n")
	var jobs []Job
	for _, name := range []string{"on", "off", "yes", "no", "y", "n", "true", "null", "123", "0x1f", "0o17", "0b101", "1e3", "1-30", "2024-01-01", "0", "plain-bot"} {
		jobs = append(jobs, mustToolforge(t, spec.Spec{Program: prog, Name: "bot", Mode: spec.ModeForeground}, ToolforgeOptions{JobName: name}))
	}
	for i, img := range []string{"3.11", "tool-x/tool-x:latest", "yes", "python3.11", "1:30"} {
		jobs = append(jobs, mustToolforge(t, spec.Spec{Program: prog, Args: []string{img, "# not a comment", "a: b", "'q'", `"dq"`, "- x"}, Name: "bot", Mode: spec.ModeForeground},
			ToolforgeOptions{JobName: "img" + string(rune('a'+i)), Image: img, Emails: EmailsValues[i%len(EmailsValues)]}))
	}
	out, err := JobsYAML(jobs...)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)")
	cmd.Stdin = bytes.NewReader(out)
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("PyYAML: %v\n%s", err, out)
	}
	var got []map[string]any
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(jobs) {
		t.Fatalf("PyYAML read %d jobs, want %d", len(got), len(jobs))
	}
	for i, j := range jobs {
		if !reflect.DeepEqual(got[i], j.Value()) {
			t.Errorf("PyYAML reads\n%v\nwant\n%v", got[i], j.Value())
		}
	}
}

// The command is run the way the jobs framework runs it: /bin/sh -c with
// its log redirections in front. The program records its arguments and
// working directory, which must be exactly the Spec's.
func TestToolforgeCommandRunsInSh(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "record")
	prog := writeProgram(t, dir, "my bot's 100%.sh", "#!/bin/sh\n{ pwd; printf '%s\\0' \"$@\"; } > "+record+"\n")
	chdir := filepath.Join(dir, "work dir $x")
	if err := os.Mkdir(chdir, 0o755); err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, a := range trickyArgs {
		if utf8.ValidString(a) {
			args = append(args, a)
		}
	}
	for _, c := range []struct {
		name  string
		chdir string
	}{{"home", ""}, {"chdir", chdir}} {
		t.Run(c.name, func(t *testing.T) {
			s := spec.Spec{Program: prog, Args: args, Name: "bot", Mode: spec.ModeForeground, Chdir: c.chdir, Log: filepath.Join(dir, "job.log")}
			j := mustToolforge(t, s, ToolforgeOptions{})
			os.Remove(record)
			sh := exec.Command("/bin/sh", "-c", "--", "exec 1>>"+j.FilelogStdout+";exec 2>>"+j.FilelogStderr+";"+j.Command)
			sh.Dir = dir // the tool's home
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("sh -c %s: %v\n%s", j.Command, err, out)
			}
			b, err := os.ReadFile(record)
			if err != nil {
				t.Fatal(err)
			}
			pwd, rest, _ := strings.Cut(string(b), "\n")
			got := strings.Split(strings.TrimSuffix(rest, "\x00"), "\x00")
			if !reflect.DeepEqual(got, args) {
				t.Errorf("command %s\npassed %q\nwant %q", j.Command, got, args)
			}
			wantDir := dir
			if c.chdir != "" {
				wantDir = c.chdir
			}
			if pwd != wantDir {
				t.Errorf("ran in %q, want %q", pwd, wantDir)
			}

			// mvdan.cc/sh reads the same words.
			f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(j.Command), "")
			if err != nil {
				t.Fatal(err)
			}
			var call *syntax.CallExpr
			syntax.Walk(f, func(n syntax.Node) bool {
				if ce, ok := n.(*syntax.CallExpr); ok {
					call = ce // the last call: the program
				}
				return true
			})
			var words []string
			for _, w := range call.Args {
				// Fields, not Literal: Literal keeps the backslash of \'.
				fields, err := expand.Fields(nil, w)
				if err != nil || len(fields) != 1 {
					t.Fatalf("word %d: %q, %v", len(words), fields, err)
				}
				words = append(words, fields[0])
			}
			if want := append([]string{prog}, args...); !reflect.DeepEqual(words, want) {
				t.Errorf("mvdan.cc/sh reads %q\nwant %q", words, want)
			}
		})
	}
}

func TestToolforgeSkeletonRunsInTheForeground(t *testing.T) {
	dir := t.TempDir()
	skel := writeProgram(t, dir, "skel.py", skeletonText())
	for _, mode := range []spec.Mode{spec.ModeDaemonizes, spec.ModeForeground} {
		j := mustToolforge(t, spec.Spec{Program: skel, Args: []string{"--wiki", "en"}, Name: "skel.py", Mode: mode, Skeleton: true}, ToolforgeOptions{})
		if want := skel + " --foreground --wiki en"; j.Command != want {
			t.Errorf("%s: command %q, want %q", mode, j.Command, want)
		}
		if j.Image != ImagePython {
			t.Errorf("image %s, want %s", j.Image, ImagePython)
		}
	}
	j := mustToolforge(t, spec.Spec{Program: skel, Args: []string{"-f"}, Name: "skel.py", Mode: spec.ModeForeground, Skeleton: true}, ToolforgeOptions{})
	if want := skel + " -f"; j.Command != want {
		t.Errorf("command %q, want %q (no second --foreground)", j.Command, want)
	}
}

func TestJobNames(t *testing.T) {
	long := strings.Repeat("abcdefghij", 6)
	for in, want := range map[string]string{
		"bot":                          "bot",
		"My_Bot.py":                    "my-bot-py",
		"__init__":                     "init",
		"wiki bot (v2)!":               "wikibotv2",
		"-x-":                          "x",
		"Ünïcode":                      "ncode",
		"a..b":                         "a--b",
		long:                           long[:52],
		strings.Repeat("a", 51) + "_b": strings.Repeat("a", 51),
		"123":                          "123",
	} {
		got := JobNameFrom(in)
		if got != want {
			t.Errorf("JobNameFrom(%q) = %q, want %q", in, got, want)
		}
		if err := CheckJobName(got); err != nil {
			t.Errorf("JobNameFrom(%q) = %q is not valid: %v", in, got, err)
		}
	}
	if got := DefaultJobName(spec.Spec{Name: "___", Program: "/x/Wiki_Bot.pl"}); got != "wiki-bot-pl" {
		t.Errorf("DefaultJobName falls back to %q, want wiki-bot-pl", got)
	}

	for _, bad := range []string{"", "My-Bot", "bot_1", "-bot", "bot-", "b.t", "bøt", strings.Repeat("a", 53)} {
		if CheckJobName(bad) == nil {
			t.Errorf("CheckJobName(%q) accepts it", bad)
		}
	}
	for _, good := range []string{"a", "0", "bot-1", strings.Repeat("a", 52)} {
		if err := CheckJobName(good); err != nil {
			t.Errorf("CheckJobName(%q): %v", good, err)
		}
	}
}

func TestToolforgeRefuses(t *testing.T) {
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot", "#!/bin/sh\n")
	bg := spec.Spec{Program: prog, Name: "bot", Mode: spec.ModeForeground}
	with := func(f func(*spec.Spec)) spec.Spec { s := bg; f(&s); return s }
	for _, c := range []struct {
		name, flag, hint string
		s                spec.Spec
		o                ToolforgeOptions
	}{
		{"bad job name", "--job-name", "--job-name my-bot", bg, ToolforgeOptions{JobName: "My_Bot"}},
		{"long job name", "--job-name", "", bg, ToolforgeOptions{JobName: strings.Repeat("a", 53)}},
		{"nothing to derive", "--job-name", "--job-name", with(func(s *spec.Spec) { s.Name, s.Program = "___", "/x/__" }), ToolforgeOptions{}},
		{"daemonizes itself", "--program", "leave out --daemonizes", with(func(s *spec.Spec) { s.Mode = spec.ModeDaemonizes }), ToolforgeOptions{}},
		{"log needs quoting", "--log", "", with(func(s *spec.Spec) { s.Log = "/data/my log.txt" }), ToolforgeOptions{}},
		{"not utf-8", "program argument 1", "", with(func(s *spec.Spec) { s.Args = []string{"\xff"} }), ToolforgeOptions{}},
		{"image with space", "--image", "", bg, ToolforgeOptions{Image: "python 3"}},
		{"bad emails", "", "", bg, ToolforgeOptions{Emails: "always"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			j, err := Toolforge(c.s, c.o)
			var se *spec.Error
			if !errors.As(err, &se) {
				t.Fatalf("Toolforge = %+v, %v; want a *spec.Error", j, err)
			}
			if se.Flag != c.flag {
				t.Errorf("error names %q, want %q: %v", se.Flag, c.flag, se)
			}
			if !strings.Contains(se.Hint, c.hint) {
				t.Errorf("hint %q lacks %q", se.Hint, c.hint)
			}
		})
	}
}

func TestDefaultImage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, text, want string }{
		{"a.py", "print(1)\n", ImagePython},
		{"a", "#!/usr/bin/python3\n", ImagePython},
		{"b", "#!/usr/bin/env python3\n", ImagePython},
		{"c", "#!/usr/bin/env -S python3 -u\n", ImagePython},
		{"d", "#!/usr/bin/env PYTHONUNBUFFERED=1 python3.11\n", ImagePython},
		{"e", "#!/usr/bin/perl -w\n", ImagePerl},
		{"f.pl", "", ImagePerl},
		{"g", "#! /usr/bin/php\n", ImagePHP},
		{"h.php", "<?php\n", ImagePHP},
		{"i.sh", "#!/bin/sh\n", ImageBase},
		{"j", "\x7fELF\x02\x01\x01", ImageBase},
		{"k.py", "#!/usr/bin/perl\n", ImagePerl}, // the #! line wins
		{"l.PY", "", ImagePython},
	} {
		p := writeProgram(t, dir, c.name, c.text)
		if got := DefaultImage(p); got != c.want {
			t.Errorf("DefaultImage(%s with %q) = %s, want %s", c.name, c.text, got, c.want)
		}
	}
	if got := DefaultImage(filepath.Join(dir, "missing.php")); got != ImagePHP {
		t.Errorf("DefaultImage of a missing .php file = %s, want %s", got, ImagePHP)
	}
}
