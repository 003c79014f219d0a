#!/bin/sh
# foreground.sh: a program that stays in the foreground, for
# start-stop-daemon --background --make-pidfile. It says hello on stdout
# (start-stop-daemon --output's log) and exits on SIGTERM.
echo "foreground.sh: started as PID $$"
trap 'echo "foreground.sh: stopping"; exit 0' TERM
while :; do
	sleep 1 &
	wait $!
done
