package check

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestDiffering(t *testing.T) {
	cron := []string{"HOME=/home/u", "LOGNAME=u", "PATH=/usr/bin:/bin", "SHELL=/bin/sh"}
	login := []string{"HOME=/home/u", "LOGNAME=u", "PATH=/home/u/venv/bin:/usr/bin:/bin", "SHELL=/bin/bash", "PWD=/x", "SHLVL=2", "_=/usr/bin/mkdaemon",
		"BOT_TOKEN=abc", "OLDPWD=/", "LANG=C.UTF-8", "BOT_TOKEN=again"}
	got := differing(cron, login)
	want := []string{"BOT_TOKEN=abc", "LANG=C.UTF-8", "PATH=/home/u/venv/bin:/usr/bin:/bin", "SHELL=/bin/bash"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("differing = %q, want %q", got, want)
	}
}

// minimalSet must find the variables that matter among dozens in a few
// runs, not one run per variable.
func TestMinimalSet(t *testing.T) {
	var vars []string
	for i := 0; i < 40; i++ {
		vars = append(vars, fmt.Sprintf("UNRELATED_%02d=x", i))
	}
	withAll := func(need ...string) func([]string) bool {
		return func(s []string) bool {
			for _, n := range need {
				found := false
				for _, v := range s {
					found = found || strings.HasPrefix(v, n+"=")
				}
				if !found {
					return false
				}
			}
			return true
		}
	}
	for _, tt := range []struct {
		name    string
		extra   []string
		need    []string
		maxRuns int
	}{
		{"one among 41", []string{"BOT_TOKEN=abc"}, []string{"BOT_TOKEN"}, 14},
		{"two among 42", []string{"API_KEY=k", "BOT_TOKEN=abc"}, []string{"API_KEY", "BOT_TOKEN"}, maxTrials},
		{"one alone", nil, []string{"UNRELATED_07"}, 14},
	} {
		t.Run(tt.name, func(t *testing.T) {
			all := append(append([]string(nil), vars[:20]...), append(tt.extra, vars[20:]...)...)
			runs := 0
			works := withAll(tt.need...)
			got, complete := minimalSet(all, func(s []string) bool { runs++; return works(s) }, maxTrials)
			if !complete || !reflect.DeepEqual(names(got), tt.need) {
				t.Fatalf("minimalSet = %q (complete %v) after %d runs, want %q", got, complete, runs, tt.need)
			}
			if runs > tt.maxRuns {
				t.Errorf("%d runs, want at most %d", runs, tt.maxRuns)
			}
		})
	}
	// The budget is kept; the set found so far still works.
	runs := 0
	got, complete := minimalSet(vars, func(s []string) bool { runs++; return withAll("UNRELATED_03", "UNRELATED_31")(s) }, 3)
	if complete || runs > 3 || !withAll("UNRELATED_03", "UNRELATED_31")(got) {
		t.Errorf("with a budget of 3: %d runs, complete %v, set %q", runs, complete, got)
	}
}

func TestCronJob(t *testing.T) {
	a := spec.Account{Name: "u", Home: "/home/u"}
	j := cronJob(a, nil)
	if j.shell != "/bin/sh" || j.dir != "/home/u" || strings.Join(j.env, " ") != "HOME=/home/u LOGNAME=u PATH=/usr/bin:/bin SHELL=/bin/sh" {
		t.Errorf("plain: %+v", j)
	}
	j = cronJob(a, []string{"PATH=/home/u/bin:/usr/bin:/bin", "SHELL=/bin/bash", "LOGNAME=root", "BOT_TOKEN=abc", "HOME=/srv/u", "BOT_TOKEN=def"})
	want := "HOME=/srv/u LOGNAME=u PATH=/home/u/bin:/usr/bin:/bin SHELL=/bin/bash BOT_TOKEN=def"
	if j.shell != "/bin/bash" || j.dir != "/srv/u" || strings.Join(j.env, " ") != want {
		t.Errorf("with settings: %+v, want env %s", j, want)
	}
}

func TestWithCapture(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/usr/sbin/start-stop-daemon --start --quiet --pidfile /p --name b --background --make-pidfile --startas /b",
			"/usr/sbin/start-stop-daemon --start --output /tmp/o --quiet --pidfile /p --name b --background --make-pidfile --startas /b"},
		{"set -a && . /e && A=1 /usr/sbin/start-stop-daemon --start -b -m --pidfile /p --name b --startas /b -- --start",
			"set -a && . /e && A=1 /usr/sbin/start-stop-daemon --start --output /tmp/o -b -m --pidfile /p --name b --startas /b -- --start"},
		{"/usr/sbin/start-stop-daemon --start --pidfile /p --name b --background --output /l --startas /b", ""},
		{"/usr/sbin/start-stop-daemon --start --pidfile /p --name b --startas /b", ""},
		{"/usr/sbin/start-stop-daemon --start --pidfile /p --name b --startas /b -- --background", ""},
	} {
		got, ok := withCapture(tt.in, "/tmp/o")
		if tt.want == "" {
			if ok || got != tt.in {
				t.Errorf("withCapture(%q) = %q, %v; want it unchanged", tt.in, got, ok)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("withCapture(%q) =\n%q, want\n%q", tt.in, got, tt.want)
		}
	}
}
