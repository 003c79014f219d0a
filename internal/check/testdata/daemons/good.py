#!/usr/bin/python3
# good.py --pidfile FILE: the same well-behaved daemon as good.pl, in
# Python: fork, setsid, fork, chdir /, /dev/null for stdio, inherited
# descriptors closed, pidfile written atomically by the final process and
# removed on SIGTERM.
import os
import signal
import sys
import time

pidfile = sys.argv[2]
if os.fork():
    os._exit(0)
os.setsid()
if os.fork():
    os._exit(0)
os.chdir("/")
os.umask(0o022)
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
os.closerange(3, 1024)

with open(f"{pidfile}.{os.getpid()}", "w") as f:
    f.write(f"{os.getpid()}\n")
os.rename(f"{pidfile}.{os.getpid()}", pidfile)


def stop(signum, frame):
    try:
        with open(pidfile) as f:
            if f.read().split()[0] == str(os.getpid()):
                os.unlink(pidfile)
    except (OSError, IndexError):
        pass
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(1)
