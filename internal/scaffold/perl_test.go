package scaffold

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The Perl skeleton makes its few system calls by number on x86_64 Linux,
// and loads POSIX, Time::HiRes and IO for them anywhere else (POSIX alone
// would cost its daemon 1.3 MB, BENCHMARKS.md). TestSkeletonDaemons runs
// both ways: "perl" as generated, "perl-posix" with the x86_64 test defeated
// by forcePOSIX. The tests below hold the numbers to Linux's own and the
// skeleton's own time formatting to strftime.

// perlFastArch is the test in the Perl skeleton that chooses system calls
// by number; forcePOSIX makes it fail.
const perlFastArch = `=~ /\Ax86_64-linux(?!-gnux32)/`

// forcePOSIX makes the Perl skeleton at prog load POSIX, Time::HiRes and IO
// as it does on machines other than x86_64 Linux.
func forcePOSIX(t testing.TB, prog string) {
	t.Helper()
	b, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), perlFastArch); n != 1 {
		t.Fatalf("%s holds %q %d times, want once", prog, perlFastArch, n)
	}
	b = []byte(strings.Replace(string(b), perlFastArch, `=~ /\Ano-such-machine\z/`, 1))
	if err := os.WriteFile(prog, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// perlEval runs code with the subs and file-scope variables of the Perl
// skeleton at prog (all of it but its last line, exit main()), with args in
// @ARGV, and returns what it prints.
func perlEval(t *testing.T, env []string, prog, code string, args ...string) (string, error) {
	t.Helper()
	const prelude = `
		my ($prog, $code) = splice @ARGV, 0, 2;
		my $src = do { local $/; open my $f, '<', $prog or die "$prog: $!"; <$f> };
		$src =~ s/^exit main\(\);\s*\z//m or die "no exit main() in $prog";
		eval "no warnings; $src;\n$code;\n1" or die $@;
	`
	cmd := exec.Command("perl", append([]string{"-e", prelude, prog, code}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func perlSkeleton(t *testing.T) string {
	t.Helper()
	res, err := Create(params(Perl, t.TempDir()), false)
	if err != nil {
		t.Fatal(err)
	}
	return res.Params.Program
}

// TestPerlSystemCallNumbers holds the skeleton's table to x/sys/unix, which
// is generated from the kernel's headers: a wrong number would make some
// other system call. Off x86_64 the table must be empty.
func TestPerlSystemCallNumbers(t *testing.T) {
	prog := perlSkeleton(t)
	out, err := perlEval(t, nil, prog, `
		print "$_ $NR{$_}\n" for sort keys %NR;
		print "SIG_BLOCK $SIG_BLOCK\nSIG_UNBLOCK $SIG_UNBLOCK\nSIG_SETMASK $SIG_SETMASK\n";
		print "EWOULDBLOCK $EWOULDBLOCK\nCLOCK_MONOTONIC $CLOCK_MONOTONIC\n";
		print "WATCHED ", (%NR ? unpack('Q', $WATCHED) : 'SigSet'), "\n";
		print "modules ", join(' ', sort grep { m{\A(POSIX|Time/HiRes|IO)\.pm\z} } keys %INC), "\n";
	`)
	if err != nil {
		t.Fatalf("perl: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(line, " ")
		got[k] = v
	}
	var want map[string]string
	if runtime.GOARCH == "amd64" {
		want = map[string]string{
			"close": strconv.Itoa(unix.SYS_CLOSE), "rt_sigprocmask": strconv.Itoa(unix.SYS_RT_SIGPROCMASK),
			"fsync": strconv.Itoa(unix.SYS_FSYNC), "setsid": strconv.Itoa(unix.SYS_SETSID),
			"clock_gettime": strconv.Itoa(unix.SYS_CLOCK_GETTIME), "exit_group": strconv.Itoa(unix.SYS_EXIT_GROUP),
			"ppoll": strconv.Itoa(unix.SYS_PPOLL), "modules": "",
			"WATCHED": strconv.FormatUint(1<<(unix.SIGTERM-1)|1<<(unix.SIGINT-1)|1<<(unix.SIGHUP-1), 10),
		}
	} else {
		want = map[string]string{"modules": "IO.pm POSIX.pm Time/HiRes.pm", "WATCHED": "SigSet"}
	}
	want["SIG_BLOCK"] = strconv.Itoa(unix.SIG_BLOCK)
	want["SIG_UNBLOCK"] = strconv.Itoa(unix.SIG_UNBLOCK)
	want["SIG_SETMASK"] = strconv.Itoa(unix.SIG_SETMASK)
	want["EWOULDBLOCK"] = strconv.Itoa(int(unix.EWOULDBLOCK))
	want["CLOCK_MONOTONIC"] = strconv.Itoa(unix.CLOCK_MONOTONIC)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s = %q is not checked against Linux: add it to this test", k, got[k])
		}
	}
}

// TestPerlSystemCalls runs each call the skeleton makes, both ways, and
// compares with what the kernel reports.
func TestPerlSystemCalls(t *testing.T) {
	for _, posix := range []bool{false, true} {
		t.Run(map[bool]string{false: "by-number", true: "posix"}[posix], func(t *testing.T) {
			prog := perlSkeleton(t)
			if posix {
				forcePOSIX(t, prog)
			}
			dir := t.TempDir()
			out, err := perlEval(t, nil, prog, `
				my ($dir) = @ARGV;
				chdir $dir or die;
				print "cwd ", cwd(), "\n";
				my $t0 = now();
				my $old = signal_mask($SIG_BLOCK, $WATCHED);
				kill 'HUP', $$;    # stays pending: blocked
				print "pending-hup ", ($reopen ? 'handled' : 'held'), "\n";
				$SIG{HUP} = sub { $reopen = 1 };
				wait_for_signal($old, 5);    # unblocks it: handled at once
				signal_mask($SIG_SETMASK, $old);
				print "woken-by-hup $reopen\n";
				wait_for_signal($old, 0.25);
				printf "timeout %.2f\n", now() - $t0;
				open my $fh, '>', "$dir/f" or die;
				print "sync ", (sync_to_disk($fh) ? 1 : "0 $!"), "\n";
				my $fd = fileno $fh;
				print "close ", (close_fd($fd) ? 1 : "0 $!"), "\n";
				print "close-again ", (close_fd($fd) ? 1 : 0 + $!), "\n";
				defined(my $pid = fork) or die;
				if (!$pid) { new_session() or quit(3); quit(getpgrp(0) == $$ ? 7 : 4) }
				waitpid($pid, 0);
				print "child-session-exit ", $? >> 8, "\n";
				END { print "END ran in $$\n" }
			`, dir)
			if err != nil {
				t.Fatalf("perl: %v\n%s", err, out)
			}
			real, _ := filepath.EvalSymlinks(dir)
			for _, want := range []string{
				"cwd " + real + "\n", "pending-hup held\n", "woken-by-hup 1\n",
				"sync 1\n", "close 1\n", fmt.Sprintf("close-again %d\n", unix.EBADF),
				"child-session-exit 7\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("want %q in:\n%s", want, out)
				}
			}
			if n := strings.Count(out, "END ran"); n != 1 {
				t.Errorf("END blocks ran %d times, want once (not in the child that quit):\n%s", n, out)
			}
			var waited float64
			if _, err := fmt.Sscanf(out[strings.Index(out, "timeout "):], "timeout %f", &waited); err != nil || waited < 0.25 || waited > 4 {
				t.Errorf("wait_for_signal(0.25) took %v s by now() (%v): want 0.25 s, and no more than a few seconds", waited, err)
			}
		})
	}
}

// TestPerlTimestampIsStrftime compares the skeleton's timestamp(), which
// does without POSIX and gmtime, with POSIX::strftime('%Y-%m-%dT%H:%M:%S%z')
// in zones east and west up to 14 hours, with half and quarter hours, across
// the turn of a year, daylight saving changes and before 1970.
func TestPerlTimestampIsStrftime(t *testing.T) {
	prog := perlSkeleton(t)
	var times []string
	for _, s := range []string{
		"2025-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "2024-12-31T10:30:00Z", "2025-12-31T14:00:00Z",
		"2025-03-30T00:59:59Z", "2025-03-30T01:00:00Z", "2025-10-26T00:59:59Z", "2025-10-26T01:00:00Z",
		"2024-02-29T12:00:00Z", "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z", "2100-03-01T00:00:00Z",
		"1969-12-31T23:59:59Z", "1969-12-31T12:00:00Z", "1950-06-15T12:34:56Z", "2025-06-15T23:30:00Z", "2025-06-15T00:30:00Z",
	} {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		times = append(times, strconv.FormatInt(tm.Unix(), 10))
	}
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "America/St_Johns", "Asia/Kolkata",
		"Asia/Kathmandu", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe"}
	for _, zone := range zones {
		if _, err := os.Stat(filepath.Join("/usr/share/zoneinfo", zone)); err != nil {
			t.Fatalf("time zone %s: %v (Debian package tzdata)", zone, err)
		}
		out, err := perlEval(t, []string{"TZ=" + zone}, prog, `
			require POSIX;
			for my $t (@ARGV) {
				my ($got, $want) = (timestamp($t), POSIX::strftime('%Y-%m-%dT%H:%M:%S%z', localtime $t));
				print "$t: got $got, want $want\n" if $got ne $want;
			}
			print "now ", timestamp(), "\n";
		`, times...)
		if err != nil {
			t.Fatalf("%s: perl: %v\n%s", zone, err, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "now ") {
			t.Errorf("TZ=%s:\n%s", zone, out)
		}
	}
}

// perlXS lists the compiled modules (auto/*/*.so) mapped into pid, sorted.
func perlXS(t *testing.T, pid int) []string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 6 && strings.Contains(f[5], "/auto/") && strings.HasSuffix(f[5], ".so") {
			seen[strings.TrimSuffix(filepath.Base(f[5]), ".so")] = true
		}
	}
	var mods []string
	for m := range seen {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	return mods
}

// checkPerlModules: the daemon holds only the compiled modules its way of
// making system calls needs. On x86_64, a `use POSIX` creeping back into the
// skeleton fails here rather than only in BENCHMARKS.md.
func (d *daemon) checkPerlModules(t *testing.T) {
	t.Helper()
	got := strings.Join(perlXS(t, d.pid), " ")
	want := "Fcntl"
	if d.posix || runtime.GOARCH != "amd64" {
		want = "Fcntl HiRes IO POSIX"
	}
	if got != want {
		t.Errorf("the daemon has loaded the compiled modules %q, want %q", got, want)
	}
}
