#!/usr/bin/python3
# noreap.py PROGRAM ARGS...: a child subreaper that never reaps orphans,
# like PID 1 of a container started without an init. It runs PROGRAM and
# waits for that one child only; every orphan handed to it stays a zombie
# until noreap.py itself exits.
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("noreap.py: prctl: " + os.strerror(ctypes.get_errno()))
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
