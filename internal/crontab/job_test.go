package crontab

import "testing"

func TestJob(t *testing.T) {
	for _, tc := range []struct {
		line, schedule, command string
		ok                      bool
	}{
		{"*/5 * * * * /usr/sbin/start-stop-daemon --start -- 100\\%", "*/5 * * * *", "/usr/sbin/start-stop-daemon --start -- 100\\%", true},
		{"  @reboot\t/bin/x  a", "@reboot", "/bin/x  a", true},
		{"0  1 * * mon-fri /bin/x", "0  1 * * mon-fri", "/bin/x", true},
		{"# a comment", "", "", false},
		{"MAILTO=me", "", "", false},
		{"", "", "", false},
	} {
		s, c, ok := Job(tc.line)
		if s != tc.schedule || c != tc.command || ok != tc.ok {
			t.Errorf("Job(%q) = %q, %q, %v; want %q, %q, %v", tc.line, s, c, ok, tc.schedule, tc.command, tc.ok)
		}
	}
}

func TestEnv(t *testing.T) {
	for line, want := range map[string][2]string{
		`MAILTO=""`:                {"MAILTO", ""},
		`  TZ = Europe/Berlin  `:   {"TZ", "Europe/Berlin"},
		`PATH=/usr/local/bin:/bin`: {"PATH", "/usr/local/bin:/bin"},
		`SHELL='/bin/bash'`:        {"SHELL", "/bin/bash"},
		`A="mixed'`:                {"A", `"mixed'`},
		"MAILTO=me@example.org\r":  {"MAILTO", "me@example.org"},
		"A=b c":                    {"A", "b c"},
		`A='x y'`:                  {"A", "x y"},
		`"A"=1`:                    {"A", "1"},
	} {
		name, value, ok := Env(line)
		if !ok || name != want[0] || value != want[1] {
			t.Errorf("Env(%q) = %q, %q, %v; want %q", line, name, value, ok, want)
		}
	}
	for _, line := range []string{"", "# A=1", "* * * * * A=1 cmd", "@daily x=1", "0 3 * * * echo"} {
		if _, _, ok := Env(line); ok {
			t.Errorf("Env(%q) took it for a setting", line)
		}
	}
}
