package crontab

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// The install benchmark: installing into a crontab of 9,000 lines (each
// time a changed block, so every run writes, backs up and verifies)
// against the floor any tool pays, a bare `crontab -l | crontab -` round
// trip of the same crontab in sh. The two alternate within one loop, so
// that load from elsewhere on the machine weighs on both alike; the
// medians and their ratio are reported. Run with
//
//	go test -run '^$' -bench Crontab9000 -benchtime 200x ./internal/crontab
//
// and see BENCHMARKS.md, "Crontab install".

// bigCrontab returns 8,997 lines, leaving 3 for the block. With mixed
// set, a third of them are comments, which cost crontab's parser nothing;
// otherwise all but the environment lines are jobs.
func bigCrontab(mixed bool) string {
	var b strings.Builder
	b.WriteString("MAILTO=\"\"\nPATH=/usr/local/bin:/usr/bin:/bin\n")
	for i := 0; i < 9000-2-3; i++ {
		kind := i % 3
		if !mixed && kind == 0 {
			kind = 2
		}
		switch kind {
		case 0:
			fmt.Fprintf(&b, "# job %d: nightly report for team %d\n", i, i%17)
		case 1:
			fmt.Fprintf(&b, "%d %d * * * /usr/local/bin/report --team %d --out /srv/reports/%d.csv >/dev/null 2>&1\n", i%60, i%24, i%17, i)
		default:
			fmt.Fprintf(&b, "*/%d * * * * /usr/bin/test -e /srv/flags/%d && /usr/local/bin/sync-%d\n", 1+i%30, i, i%9)
		}
	}
	return b.String()
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func BenchmarkCrontab9000(b *testing.B) {
	b.Run("jobs", func(b *testing.B) { benchInstall(b, false) })
	b.Run("mixed", func(b *testing.B) { benchInstall(b, true) })
}

func benchInstall(b *testing.B, mixed bool) {
	u := throwaway(b)
	setCrontab(b, u, bigCrontab(mixed)+block("bot", ssdLine("*/2 * * * *", "bot")))
	in := NewInstaller(u, 0)
	ctx := context.Background()
	pipeline := fmt.Sprintf("crontab -u %s -l | crontab -u %s -", u.User, u.User)
	var ours, floor []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := in.Install(ctx, "bot", []string{ssdLine(fmt.Sprintf("*/%d * * * *", 1+i%2), "bot")})
		ours = append(ours, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if res.Action != Updated {
			b.Fatalf("run %d: %v, want updated", i, res.Action)
		}
		start = time.Now()
		out, err := exec.Command("/bin/sh", "-c", pipeline).CombinedOutput()
		floor = append(floor, time.Since(start))
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
	b.StopTimer()
	if n := strings.Count(listing(b, u), "\n"); n != 9000 {
		b.Fatalf("the crontab has %d lines, want 9000", n)
	}
	mo, mf := median(ours), median(floor)
	b.ReportMetric(float64(mo.Microseconds())/1000, "ms/install")
	b.ReportMetric(float64(mf.Microseconds())/1000, "ms/roundtrip")
	b.ReportMetric(float64(mo)/float64(mf), "ratio")
}

// BenchmarkDiff9000 is the diff shown after (with --yes) or before an
// install: one block changed at the end of a crontab of 9,000 lines.
func BenchmarkDiff9000(b *testing.B) {
	old := bigCrontab(true) + block("bot", "*/10 * * * * old")
	p, err := plan(old, Change{Name: "bot", Lines: []string{"*/5 * * * * new"}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p.Diff() == "" {
			b.Fatal("no diff")
		}
	}
}
