package check

import (
	"reflect"
	"strings"
	"testing"
)

func TestTargetFromCommand(t *testing.T) {
	for _, tc := range []struct {
		command string
		want    Target
	}{
		{"/usr/sbin/start-stop-daemon --start --quiet --oknodo --pidfile '/home/a b/bot.pid' --name bot.py --startas /home/a/bot.py -- --pidfile /other --name x",
			Target{Pidfile: "/home/a b/bot.pid", Name: "bot.py", Program: "/home/a/bot.py"}},
		{"/usr/sbin/start-stop-daemon -S -p /p -n fg -a /x -b -m -O /var/log/fg.log -d /srv",
			Target{Pidfile: "/p", Name: "fg", Program: "/x", Log: "/var/log/fg.log", Chdir: "/srv"}},
		{"cd /tmp && start-stop-daemon --start --pidfile=/p --name=n --exec /usr/bin/x",
			Target{Pidfile: "/p", Name: "n", Program: "/usr/bin/x"}},
	} {
		got, err := TargetFromCommand(tc.command)
		if err != nil {
			t.Errorf("%q: %v", tc.command, err)
			continue
		}
		tc.want.Command = tc.command
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("TargetFromCommand(%q)\n got %+v\nwant %+v", tc.command, got, tc.want)
		}
	}
	// The refusals are ssd.Parse's, tested there; one shows they reach the
	// check.
	if _, err := TargetFromCommand("/bin/true"); err == nil || !strings.Contains(err.Error(), "no start-stop-daemon call") {
		t.Errorf("TargetFromCommand(/bin/true) error %v", err)
	}
}
