package installed

import (
	"slices"
	"testing"
	"time"
)

func TestCrashLooping(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("15:04:05", s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return time.Date(2026, 3, 2, tm.Hour(), tm.Minute(), tm.Second(), 0, time.Local)
	}
	for _, tc := range []struct {
		name   string
		sched  string
		starts []string
		now    string
		want   bool
	}{
		{"three ticks in a row", "* * * * *", []string{"10:00:01", "10:01:01", "10:02:02"}, "10:02:30", true},
		{"still, before the next tick has run", "* * * * *", []string{"10:00:01", "10:01:01", "10:02:02"}, "10:03:30", true},
		{"a later tick found it running", "* * * * *", []string{"10:00:01", "10:01:01", "10:02:02"}, "10:05:00", false},
		{"a tick between found it running", "* * * * *", []string{"10:00:01", "10:01:01", "10:03:01"}, "10:03:30", false},
		{"two starts only", "* * * * *", []string{"10:01:01", "10:02:02"}, "10:02:30", false},
		{"every five minutes", "*/5 * * * *", []string{"10:00:01", "10:05:01", "10:10:01"}, "10:12:00", true},
		{"a start by hand between ticks", "*/5 * * * *", []string{"10:00:01", "10:03:20", "10:05:01"}, "10:06:00", false},
		{"at boot only", "@reboot", []string{"10:00:01", "10:01:01", "10:02:02"}, "10:02:30", false},
	} {
		var starts []time.Time
		for _, s := range tc.starts {
			starts = append(starts, at(s).UTC())
		}
		if got := CrashLooping(tc.sched, starts, at(tc.now)); got != tc.want {
			t.Errorf("%s: CrashLooping = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPauseRoundTrip(t *testing.T) {
	lines := []string{"*/5 * * * * /usr/sbin/start-stop-daemon --start x", "@hourly /usr/sbin/logrotate -s s c"}
	p := Pause(lines)
	for _, l := range p {
		if l[0] != '#' {
			t.Errorf("a paused line cron would run: %q", l)
		}
	}
	if !slices.Equal(Pause(p), p) || !slices.Equal(Unpause(p), lines) {
		t.Errorf("Pause/Unpause do not round-trip: %q", p)
	}
}
