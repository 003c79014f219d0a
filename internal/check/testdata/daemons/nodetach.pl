#!/usr/bin/perl
# nodetach.pl --pidfile FILE: writes its own pidfile but never forks, so it
# runs on as the child of the job's shell and the job never ends.
use strict;
use warnings;

my (undef, $pidfile) = @ARGV;
open(my $fh, '>', $pidfile) or die "$pidfile: $!\n";
print $fh "$$\n";
close $fh;
sleep 1 while 1;
