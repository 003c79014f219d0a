#!/usr/bin/python3
# The minimal daemon the Python skeleton is compared with in BENCHMARKS.md,
# written with python3-daemon's DaemonContext the way its documentation
# shows: pidfile, log, umask, and a loop that logs and sleeps.
#
# usage: pydaemon.py PIDFILE LOG
import sys
import time

import daemon
import daemon.pidfile

pidfile, logpath = sys.argv[1], sys.argv[2]
log = open(logpath, "a")
with daemon.DaemonContext(
    pidfile=daemon.pidfile.TimeoutPIDLockFile(pidfile),
    stdout=log,
    stderr=log,
    umask=0o027,
):
    while True:
        print(time.strftime("%Y-%m-%dT%H:%M:%S%z"), "run", flush=True)
        time.sleep(60)
