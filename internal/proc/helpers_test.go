package proc

import (
	"strconv"
	"time"
)

func itoa(i int) string { return strconv.Itoa(i) }

func sleepMs(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }
