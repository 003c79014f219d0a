#!/usr/bin/perl
# ignoreterm.pl --pidfile FILE: a correct daemon that ignores SIGTERM, so
# only SIGKILL stops it.
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
$SIG{TERM} = 'IGNORE';

open(my $fh, '>', "$pidfile.$$") or die "$pidfile: $!\n";
print $fh "$$\n";
close $fh;
rename("$pidfile.$$", $pidfile) or die "$pidfile: $!\n";
sleep 1 while 1;
