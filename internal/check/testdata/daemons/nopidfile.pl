#!/usr/bin/perl
# nopidfile.pl --pidfile FILE: daemonizes correctly but never writes the
# pidfile it was given (say it writes another one, or none at all).
use strict;
use warnings;
use POSIX ();

defined(my $pid = fork) or die "fork: $!\n";
POSIX::_exit(0) if $pid;
POSIX::setsid() or die "setsid: $!\n";
defined($pid = fork) or die "fork: $!\n";
POSIX::_exit(0) if $pid;
chdir '/';
open(STDIN, '<', '/dev/null');
open(STDOUT, '>', '/dev/null');
open(STDERR, '>&', \*STDOUT);
POSIX::close($_) for 3 .. 1023;
sleep 1 while 1;
