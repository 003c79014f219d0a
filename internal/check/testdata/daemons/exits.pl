#!/usr/bin/perl
# exits.pl: gives up at once, before daemonizing, as a bot does whose
# configuration is missing. Its message goes to stderr: under cron, the
# job's output.
print STDERR "exits.pl: cannot read /nonexistent/bot.conf: No such file or directory\n";
exit 3;
