#!/usr/bin/python3
# sloppy.py --pidfile FILE: starts and keeps running, so cron is content,
# but detaches sloppily: one fork and setsid without the second fork (it
# leads its session), then it opens a terminal, which becomes its
# controlling terminal; it moves to its own directory and keeps every
# descriptor it was given.
import os
import sys
import time

pidfile = sys.argv[2]
if os.fork():
    os._exit(0)
os.setsid()
os.chdir(os.path.dirname(os.path.abspath(__file__)))
master, slave = os.openpty()
tty = os.open(os.ttyname(slave), os.O_RDWR)  # no O_NOCTTY: acquires it
with open(pidfile + ".tmp", "w") as f:
    f.write(f"{os.getpid()}\n")
os.rename(pidfile + ".tmp", pidfile)
while True:
    time.sleep(1)
