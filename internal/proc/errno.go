package proc

import "syscall"

// Reading /proc/PID/... of a process that exits mid-read fails with ESRCH.
var errESRCH error = syscall.ESRCH
