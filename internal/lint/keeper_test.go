package lint

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadKeeper(t *testing.T) {
	tests := []struct {
		line string
		want Keeper
	}{
		{"*/5 * * * * /usr/sbin/start-stop-daemon --start --pidfile /tmp/b.pid --name bot --background --make-pidfile --output /home/me/b.log --startas /home/me/bot.py -- --wiki en",
			Keeper{Kind: "start-stop-daemon", Schedule: "*/5 * * * *", Program: "/home/me/bot.py", Args: []string{"--wiki", "en"}, Log: "/home/me/b.log", Foreground: true}},
		{"*/5 * * * * start-stop-daemon -S -p /tmp/b.pid -x /home/me/bot.py",
			Keeper{Kind: "start-stop-daemon", Schedule: "*/5 * * * *", Program: "/home/me/bot.py"}},
		{"*/10 * * * * pgrep -f bot.py || /home/me/bot.py --fast >> /home/me/bot.log 2>&1 &",
			Keeper{Kind: "pgrep", Schedule: "*/10 * * * *", Program: "/home/me/bot.py", Args: []string{"--fast"}, Log: "/home/me/bot.log", Foreground: true}},
		{"* * * * * pidof bot || nohup ./bot &",
			Keeper{Kind: "pidof", Schedule: "* * * * *", Program: "/home/me/bot", Args: []string{}, Foreground: true}},
		{"* * * * * ps aux | grep -q [b]ot || /home/me/bot",
			Keeper{Kind: "ps", Schedule: "* * * * *", Program: "/home/me/bot", Args: []string{}}},
		{"@reboot cd /srv/bot && nohup ./run.sh &",
			Keeper{Kind: "nohup", Schedule: "@reboot", Program: "/srv/bot/run.sh", Args: []string{}, Chdir: "/srv/bot", Foreground: true}},
		{"*/5 * * * * start-stop-daemon -S -p $HOME/run/b.pid -x ~/bot.py",
			Keeper{Kind: "start-stop-daemon", Schedule: "*/5 * * * *", Program: "/home/me/bot.py"}},
		{"@reboot cd ~/bots && nohup ./run.sh >> \"$HOME/logs/run.log\" 2>&1 &",
			Keeper{Kind: "nohup", Schedule: "@reboot", Program: "/home/me/bots/run.sh", Args: []string{}, Log: "/home/me/logs/run.log", Chdir: "/home/me/bots", Foreground: true}},
		{"*/5 * * * * flock -n /tmp/bot.lock /home/me/bot.py",
			Keeper{Kind: "flock", Schedule: "*/5 * * * *", Program: "/home/me/bot.py", Args: []string{}}},
		{"*/5 * * * * flock -w 10 /tmp/bot.lock /home/me/bot.py -v",
			Keeper{Kind: "flock", Schedule: "*/5 * * * *", Program: "/home/me/bot.py", Args: []string{"-v"}}},
	}
	for _, tt := range tests {
		got, err := ReadKeeper(tt.line, "/home/me")
		if err != nil {
			t.Errorf("ReadKeeper(%q): %v", tt.line, err)
			continue
		}
		if len(got.Args) == 0 && len(tt.want.Args) == 0 {
			got.Args, tt.want.Args = nil, nil
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadKeeper(%q)\n got %+v\nwant %+v", tt.line, got, tt.want)
		}
	}
	for line, why := range map[string]string{
		"MAILTO=me":                 "not a job line",
		"0 3 * * * /usr/bin/backup": "not a keeper",
		"* * * * * pgrep bot || /home/me/bot $BOTARG": "computed by the shell",
		"* * * * * pgrep bot || bot":                  "found through PATH",
		"* * * * * pgrep bot || /home/me/bot > $LOG":  "path the shell computes",
		"* * * * * date +%s":                          "bare %",
		"* * * * * true && false || /home/me/bot":     "not pgrep, pidof or ps | grep",
		"* * * * * flock -n /tmp/l -c /home/me/bot":   "no program follows",
		"* * * * * pgrep bot || nice /home/me/bot":    "found through PATH",
	} {
		if _, err := ReadKeeper(line, "/home/me"); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ReadKeeper(%q) error %v, want %q", line, err, why)
		}
	}
}
