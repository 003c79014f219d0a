#!/usr/bin/perl
# The minimal daemon the Perl skeleton is compared with in BENCHMARKS.md,
# written with Proc::Daemon the way its documentation shows: pidfile, log,
# and a loop that logs and sleeps until SIGTERM.
#
# usage: procdaemon.pl PIDFILE LOG
use strict;
use warnings;
use POSIX ();
use Proc::Daemon;

my ($pidfile, $log) = @ARGV;
my $d = Proc::Daemon->new(
    work_dir     => '/',
    pid_file     => $pidfile,
    child_STDOUT => "+>>$log",
    child_STDERR => "+>>$log",
);
exit 0 if $d->Init;

my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
$| = 1;
while (!$stop) {
    print POSIX::strftime('%Y-%m-%dT%H:%M:%S%z', localtime), " run\n";
    sleep 60;
}
unlink $pidfile;
