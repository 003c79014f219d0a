package check

import (
	"strings"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// A zombie left to PID 1 is the container trap: the text must say so and
// name the way out. (Real zombies of PID 1 cannot be made to order here:
// PID 1 reaps them, late; TestWithoutSubreaper meets them for real.)
func TestExplainZombieOfPID1(t *testing.T) {
	s := explainZombie(proc.Process{PID: 4242, Comm: "bot.py", State: 'Z', PPID: 1}, 10*time.Second)
	for _, want := range []string{"PID 4242 (bot.py) is a zombie", "has not reaped it in 10s", `"process already running."`,
		"container started without an init", "docker run --init", "tini"} {
		if !strings.Contains(s, want) {
			t.Errorf("lacks %q:\n%s", want, s)
		}
	}
}

func TestExplainName(t *testing.T) {
	for _, tc := range []struct {
		actual, want string
		has          []string
	}{
		{"python3", "bot.py", []string{`named "python3", not "bot.py"`, "#!/usr/bin/python3", "--name python3"}},
		{"perl5.36.0", "bot.pl", []string{"#!/usr/bin/perl5.36.0", "interpreter"}},
		{"wikipedia-archi", "wikiarchiver", []string{"cut to 15 characters", "use --name wikipedia-archi"}},
		{"mybot", "bot", []string{`named "mybot", not "bot"`, "use --name mybot"}},
	} {
		s := explainName(7, tc.actual, tc.want)
		for _, h := range tc.has {
			if !strings.Contains(s, h) {
				t.Errorf("explainName(%q, %q) lacks %q:\n%s", tc.actual, tc.want, h, s)
			}
		}
	}
}

func TestTTYName(t *testing.T) {
	for nr, want := range map[int]string{
		136<<8 | 3:                           "/dev/pts/3",
		136<<8 | 255:                         "/dev/pts/255",
		136<<8 | (300 & 0xff) | (300>>8)<<20: "/dev/pts/300",
		137<<8 | 1:                           "/dev/pts/257",
		4<<8 | 2:                             "/dev/tty2",
	} {
		if got := ttyName(nr); got != want {
			t.Errorf("ttyName(%#x) = %q, want %q", nr, got, want)
		}
	}
}
