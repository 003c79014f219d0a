#!/usr/bin/perl
# parentpid.pl --pidfile FILE: the classic write-before-fork bug. It writes
# its PID first and daemonizes afterwards, so the pidfile names a parent
# that exits at once while the real daemon runs on under another PID.
use strict;
use warnings;
use POSIX ();

my (undef, $pidfile) = @ARGV;
open(my $fh, '>', $pidfile) or die "$pidfile: $!\n";
print $fh "$$\n";
close $fh;

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
