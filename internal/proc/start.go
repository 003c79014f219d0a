package proc

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat's start time: 100 on
// every Linux architecture mkdaemon runs on.
const clockTicks = 100

// bootTime is the btime line of /proc/stat: when the system booted.
var bootTime = sync.OnceValues(func() (time.Time, error) {
	b, err := os.ReadFile(filepath.Join(Root, "stat"))
	if err != nil {
		return time.Time{}, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, err
			}
			return time.Unix(n, 0), nil
		}
	}
	return time.Time{}, errors.New("no btime line in /proc/stat")
})

// StartTime is when the process started (field 22 of /proc/PID/stat,
// counted from boot), to the hundredth of a second.
func StartTime(pid int) (time.Time, error) {
	boot, err := bootTime()
	if err != nil {
		return time.Time{}, err
	}
	b, err := os.ReadFile(filepath.Join(Root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return time.Time{}, ErrNoProcess
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return time.Time{}, errors.New("malformed stat line")
	}
	// After the comm, the fields start with field 3; starttime is 22.
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return time.Time{}, errors.New("malformed stat line")
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64)
	if err != nil {
		return time.Time{}, errors.New("malformed stat line")
	}
	return boot.Add(time.Duration(ticks) * time.Second / clockTicks), nil
}
