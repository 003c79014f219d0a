#!/usr/bin/perl
# A well-behaved daemon for the tests: it forks twice, writes its pidfile
# after the last fork, and removes it on SIGTERM. Usage: PROG PIDFILE
use strict;
use warnings;
use POSIX qw(setsid);

my $pidfile = shift or die "usage: $0 PIDFILE\n";
defined(my $pid = fork) or die "fork: $!\n";
exit 0 if $pid;
setsid() or die "setsid: $!\n";
defined($pid = fork) or die "fork: $!\n";
exit 0 if $pid;
chdir '/';
open STDIN, '<', '/dev/null';
open STDOUT, '>', '/dev/null';
open STDERR, '>&', \*STDOUT;
open my $fh, '>', "$pidfile.tmp" or die;
print $fh "$$\n";
close $fh;
rename "$pidfile.tmp", $pidfile or die;
my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
sleep 1 until $stop;
unlink $pidfile;
exit 0;
