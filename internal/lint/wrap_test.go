package lint

import (
	"slices"
	"strings"
	"testing"
)

func TestUnwrap(t *testing.T) {
	for in, want := range map[string]string{
		"bot.py --wiki en":                           "bot.py --wiki en",
		"nohup bot.py":                               "bot.py",
		"nice -n 10 bot.py -n 3":                     "bot.py -n 3",
		"nice -10 bot.py":                            "bot.py",
		"/usr/bin/nice --adjustment=5 bot.py":        "bot.py",
		"ionice -c 3 -n 7 nice bot.py":               "bot.py",
		"timeout -s INT 1h bot.py":                   "bot.py",
		"env -u HOME LANG=C.UTF-8 TZ=UTC bot.py":     "bot.py",
		"flock -n -w 5 /tmp/lock setsid bot.py":      "bot.py",
		"flock -E 0 -- /tmp/lock bot.py":             "bot.py",
		"flock /tmp/lock -c bot.py":                  "",
		"env -S bot.py":                              "",
		"timeout":                                    "",
		"exec nohup /usr/bin/python3 /home/bot.py x": "/usr/bin/python3 /home/bot.py x",
	} {
		if got := strings.Join(unwrap(strings.Fields(in)), " "); got != want {
			t.Errorf("unwrap(%q) = %q, want %q", in, got, want)
		}
	}
	if got := unwrap([]string{"nice", "-n", "", "bot"}); !slices.Equal(got, []string{"bot"}) {
		t.Errorf("a computed option value: %q", got)
	}
}
