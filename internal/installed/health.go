package installed

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/entry"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/schedule"
)

// PausedPrefix starts every line of a paused block: a comment, which
// crontab accepts and cron ignores, and which keeps the line as it was
// behind it so that un-pausing restores it byte for byte.
const PausedPrefix = "#paused: "

// Pause disables every line of a block's content.
func Pause(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.HasPrefix(l, PausedPrefix) {
			out[i] = l
		} else {
			out[i] = PausedPrefix + l
		}
	}
	return out
}

// Unpause restores the lines Pause disabled.
func Unpause(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, PausedPrefix)
	}
	return out
}

// Status is the one-word state of an entry that list and status show.
type Status string

const (
	StatusRunning      Status = "running"
	StatusStopped      Status = "stopped"
	StatusPaused       Status = "paused"        // mkdaemon stop: cron does not start it
	StatusCrashLooping Status = "crash-looping" // started on each of the last CrashTicks ticks
	StatusStale        Status = "stale"
)

// CrashTicks is how many consecutive ticks that each had to start the
// daemon make it crash-looping.
const CrashTicks = 3

// Health is what list and status say beyond the pidfile's verdict.
type Health struct {
	Status Status `json:"status,omitempty"`
	// StartedAt is when the running process started; Uptime counts from it.
	StartedAt     *time.Time `json:"started_at,omitempty"`
	UptimeSeconds int64      `json:"uptime_seconds,omitempty"`
	// Starts24h counts the starts recorded in the last 24 hours;
	// LastStart is the latest recorded one.
	Starts24h  int        `json:"starts_24h"`
	LastStart  *time.Time `json:"last_start,omitempty"`
	StartsFile string     `json:"starts_file,omitempty"`
	// Log is the daemon's output file and LogSize its size in bytes (-1
	// when it does not exist or cannot be read).
	Log     string `json:"log,omitempty"`
	LogSize int64  `json:"log_size"`
}

// health gathers d's Health at now, reading its files as the account a.
func health(d Daemon, a proc.Account, stateDir string, now time.Time) Health {
	h := Health{LogSize: -1, Log: LogOf(d)}
	if d.State == proc.Running {
		if t, err := proc.StartTime(d.PID); err == nil {
			h.StartedAt = &t
			h.UptimeSeconds = int64(now.Sub(t).Seconds())
		}
	}
	h.StartsFile = entry.StartsOf(d.Command)
	if h.StartsFile == "" && stateDir != "" {
		h.StartsFile = entry.StartsFile(stateDir, d.Name)
	}
	starts := ReadStarts(h.StartsFile, a)
	for _, t := range starts {
		if now.Sub(t) <= 24*time.Hour {
			h.Starts24h++
		}
	}
	if len(starts) > 0 {
		last := starts[len(starts)-1]
		h.LastStart = &last
	}
	if h.Log != "" {
		if f, err := proc.OpenAs(h.Log, a); err == nil {
			if fi, err := f.Stat(); err == nil {
				h.LogSize = fi.Size()
			}
			f.Close()
		}
	}
	switch {
	case d.Paused:
		h.Status = StatusPaused
	case CrashLooping(d.Schedule, starts, now):
		h.Status = StatusCrashLooping
	case d.State == proc.Running:
		h.Status = StatusRunning
	case d.State == proc.Stale:
		h.Status = StatusStale
	default:
		h.Status = StatusStopped
	}
	return h
}

// LogOf is the daemon's log: start-stop-daemon's --output for a program
// it runs in the background, otherwise the default of mkdaemon's
// skeletons, NAME.log beside the pidfile, when that exists.
func LogOf(d Daemon) string {
	if d.call.Log != "" {
		return d.call.Log
	}
	if d.call.Background || d.Pidfile == "" {
		return ""
	}
	p := filepath.Join(filepath.Dir(d.Pidfile), d.Process+".log")
	if _, err := os.Lstat(p); err == nil {
		return p
	}
	return ""
}

// startsTail is how much of the end of the record is read: a day of
// starts every minute is about 30 KiB.
const startsTail = 64 << 10

// ReadStarts returns the starts recorded in path, oldest first, reading
// it as the account a. A missing or unreadable record has none.
func ReadStarts(path string, a proc.Account) []time.Time {
	if path == "" {
		return nil
	}
	f, err := proc.OpenAs(path, a)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	off := max(fi.Size()-startsTail, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, off, fi.Size()-off))
	if err != nil {
		return nil
	}
	if off > 0 {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	var out []time.Time
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if t, err := time.Parse(entry.TimeLayout, strings.TrimSpace(sc.Text())); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// CrashLooping reports whether the last CrashTicks ticks of the schedule
// sched before now each started the daemon, according to starts (oldest
// first): a daemon that dies between ticks. A tick that found it running
// since then ends the loop, as does a start between ticks (by hand).
func CrashLooping(sched string, starts []time.Time, now time.Time) bool {
	if len(starts) < CrashTicks {
		return false
	}
	s, err := schedule.Parse(sched)
	if err != nil || s.Reboot() {
		return false
	}
	last := starts[len(starts)-CrashTicks:]
	// Ticks in the system's local time, as cron fires them; a start is
	// recorded within the minute of its tick.
	from := last[0].Local().Truncate(time.Minute).Add(-time.Second)
	ticks := s.Next(from, CrashTicks+1)
	if len(ticks) < CrashTicks+1 {
		return false
	}
	for i, t := range last {
		if !t.Truncate(time.Minute).Equal(ticks[i]) {
			return false
		}
	}
	// The next tick has not yet come (with a minute for it to run and
	// record): nothing has found the daemon running since.
	return now.Before(ticks[CrashTicks].Add(time.Minute))
}
