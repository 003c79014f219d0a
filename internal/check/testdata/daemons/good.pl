#!/usr/bin/perl
# good.pl --pidfile FILE [--log FILE] [--envout FILE]
#
# A daemon that does everything right: it forks, calls setsid, forks
# again, works in /, points its standard streams at /dev/null and its log,
# closes every descriptor it inherited, and writes its pidfile from the
# final process, atomically. SIGTERM ends it and removes the pidfile.
# --envout records the environment and directory it was started with.
use strict;
use warnings;
use Cwd ();
use POSIX ();

my %opt = (log => '/dev/null');
while (my $k = shift @ARGV) {
    $k =~ s/^--// or die "good.pl: unexpected argument $k\n";
    $opt{$k} = shift @ARGV;
}
die "usage: good.pl --pidfile FILE [--log FILE]\n" unless $opt{pidfile};

if ($opt{envout}) {
    open(my $e, '>', $opt{envout}) or die "$opt{envout}: $!\n";
    print $e 'cwd=', Cwd::getcwd(), "\n";
    print $e "$_=$ENV{$_}\n" for sort keys %ENV;
    close $e;
}

defined(my $pid = fork) or die "fork: $!\n";
POSIX::_exit(0) if $pid;
POSIX::setsid() or die "setsid: $!\n";
defined($pid = fork) or die "fork: $!\n";
POSIX::_exit(0) if $pid;
chdir '/' or die "chdir /: $!\n";
umask 022;
open(STDIN, '<', '/dev/null') or die;
open(STDOUT, '>>', $opt{log}) or die "$opt{log}: $!\n";
open(STDERR, '>&', \*STDOUT) or die;
$| = 1;
POSIX::close($_) for 3 .. 1023;

my $tmp = "$opt{pidfile}.$$";
open(my $fh, '>', $tmp) or die "$tmp: $!\n";
print $fh "$$\n";
close $fh or die "$tmp: $!\n";
rename($tmp, $opt{pidfile}) or die "$opt{pidfile}: $!\n";

$SIG{TERM} = sub {
    open(my $p, '<', $opt{pidfile});
    unlink $opt{pidfile} if $p && (<$p> // '') =~ /^$$\b/;
    print "stopping on SIGTERM\n";
    POSIX::_exit(0);
};
print "started as PID $$\n";
sleep 1 while 1;
