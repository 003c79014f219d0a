#!/usr/bin/perl
# Forks, calls setsid, forks again, works in /, stdio on /dev/null, writes
# its pidfile from the final process; SIGTERM ends it and removes it.
use strict;
use warnings;
use POSIX ();
my (undef, $pidfile) = @ARGV;
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
open(my $fh, '>', "$pidfile.$$") or die;
print $fh "$$\n";
close $fh;
rename("$pidfile.$$", $pidfile) or die;
$SIG{TERM} = sub { unlink $pidfile; POSIX::_exit(0) };
sleep 1 while 1;
