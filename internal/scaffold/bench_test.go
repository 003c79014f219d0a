package scaffold

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// The benchmarks compare the four skeletons with the same minimal daemon
// written with the usual libraries: python3-daemon's DaemonContext and Perl's
// Proc::Daemon (testdata/bench). BENCHMARKS.md records the figures:
//
//	go test -run '^$' -bench . ./internal/scaffold
//
// BenchmarkStart: ns/op is the time from starting the program to a pidfile
// that names a live process with the right name.
// BenchmarkIdle: one run per daemon (ns/op is meaningless), reporting the
// resident memory after 2 s idle and the CPU time used over the next 10 s.

type benchDaemon struct {
	name    string
	argv    []string
	pidfile string
	comm    string
}

func benchDaemons(b *testing.B) []benchDaemon {
	b.Helper()
	dir := b.TempDir()
	var ds []benchDaemon
	skeleton := func(name string, lang Lang, base string) Params {
		p := Params{
			Lang:    lang,
			Program: filepath.Join(dir, base+extension[lang]),
			Pidfile: filepath.Join(dir, name+".pid"),
			Log:     filepath.Join(dir, name+".log"),
		}
		if lang == Go {
			p.Program = filepath.Join(dir, "go", base)
		}
		res, err := Create(p, false, homefs.Self)
		if err != nil || (lang == Go && !res.Built) {
			b.Fatalf("%s: %v %s", name, err, res.NotBuilt)
		}
		ds = append(ds, benchDaemon{"skeleton-" + name, []string{p.Program}, p.Pidfile, res.Params.Name})
		return res.Params
	}
	for _, lang := range Langs {
		skeleton(string(lang), lang, "skel")
	}
	lib, err := filepath.Abs("testdata/bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range []struct{ name, script string }{
		{"python3-daemon", "pydaemon.py"},
		{"Proc::Daemon", "procdaemon.pl"},
	} {
		pidfile := filepath.Join(dir, l.script+".pid")
		ds = append(ds, benchDaemon{l.name,
			[]string{filepath.Join(lib, l.script), pidfile, filepath.Join(dir, l.script+".log")},
			pidfile, l.script})
	}
	return ds
}

// start runs d and waits for its pidfile to name it.
func (d benchDaemon) start(b *testing.B) (int, time.Duration) {
	os.Remove(d.pidfile)
	t0 := time.Now()
	cmd := exec.Command(d.argv[0], d.argv[1:]...)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go cmd.Wait()
	for {
		st := proc.Inspect(d.pidfile, d.comm)
		if st.State == proc.Running {
			return st.PID, time.Since(t0)
		}
		if time.Since(t0) > 10*time.Second {
			b.Fatalf("%s: no valid pidfile after 10 s: %+v", d.name, st)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func (d benchDaemon) stop(b *testing.B, pid int) {
	syscall.Kill(pid, syscall.SIGTERM)
	if _, ok := waitExit(pid, 10*time.Second); !ok {
		syscall.Kill(pid, syscall.SIGKILL)
		waitExit(pid, 5*time.Second)
		b.Fatalf("%s: still running 10 s after SIGTERM", d.name)
	}
}

func BenchmarkStart(b *testing.B) {
	for _, d := range benchDaemons(b) {
		b.Run(d.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StartTimer()
				pid, _ := d.start(b)
				b.StopTimer()
				d.stop(b, pid)
			}
		})
	}
}

func BenchmarkIdle(b *testing.B) {
	for _, d := range benchDaemons(b) {
		b.Run(d.name, func(b *testing.B) {
			var rss, cpu float64
			for i := 0; i < b.N; i++ {
				pid, _ := d.start(b)
				time.Sleep(2 * time.Second)
				kb := rssKiB(b, pid)
				before := cpuTime(b, pid)
				time.Sleep(10 * time.Second)
				used := cpuTime(b, pid) - before
				d.stop(b, pid)
				rss += float64(kb)
				cpu += float64(used.Microseconds()) / 1000
			}
			b.ReportMetric(rss/float64(b.N), "RSS-KiB")
			b.ReportMetric(cpu/float64(b.N), "CPU-ms/10s")
		})
	}
}

func rssKiB(b *testing.B, pid int) int {
	v, err := proc.Status(pid, "VmRSS")
	if err != nil {
		b.Fatal(err)
	}
	kb, err := strconv.Atoi(strings.Fields(v)[0])
	if err != nil {
		b.Fatal(err)
	}
	return kb
}

// cpuTime sums the time every thread of pid spent on a CPU, from
// /proc/PID/task/*/schedstat (nanoseconds, finer than the clock ticks of
// /proc/PID/stat).
func cpuTime(b *testing.B, pid int) time.Duration {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		b.Fatalf("no schedstat for PID %d: %v", pid, err)
	}
	var sum time.Duration
	for _, f := range tasks {
		s, err := os.ReadFile(f)
		if err != nil {
			continue // a thread that just exited
		}
		ns, _ := strconv.ParseInt(strings.Fields(string(s))[0], 10, 64)
		sum += time.Duration(ns)
	}
	return sum
}
