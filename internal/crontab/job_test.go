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
