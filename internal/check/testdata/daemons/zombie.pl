#!/usr/bin/perl
# zombie.pl --pidfile FILE: a correct daemon, except that it starts a
# helper process and never waits for it: the helper stays <defunct>.
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

# The helper's end of the pipe closes when it exits; reading EOF tells the
# daemon the helper is gone before the pidfile says it is up.
pipe(my $r, my $w) or die "pipe: $!\n";
defined(my $helper = fork) or die "fork: $!\n";
POSIX::_exit(0) unless $helper;
close $w;
my $eof = <$r>;

open(my $fh, '>', "$pidfile.$$") or die "$pidfile: $!\n";
print $fh "$$\n";
close $fh;
rename("$pidfile.$$", $pidfile) or die "$pidfile: $!\n";
sleep 1 while 1;
