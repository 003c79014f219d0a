#!/usr/bin/perl
# A program that stays in the foreground, for --background mode: it prints
# its arguments once and then waits for SIGTERM.
use strict;
use warnings;
$| = 1;
print join("|", @ARGV), "\n";
my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
sleep 1 until $stop;
exit 0;
