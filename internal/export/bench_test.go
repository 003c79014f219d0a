package export

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// bigJobsYAML is a jobs.yaml of n jobs, each with a comment above it.
func bigJobsYAML(n int) []byte {
	var b strings.Builder
	b.WriteString("# jobs of a busy tool\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n# job %d\n- name: job-%d\n  command: ./run.sh --job %d 'a b'\n  image: python3.11\n  continuous: true\n  mem: 512Mi\n", i, i, i)
	}
	return []byte(b.String())
}

func BenchmarkMergeJobs(b *testing.B) {
	for _, n := range []int{10, 500} {
		data := bigJobsYAML(n)
		b.Run(fmt.Sprintf("replace-middle-of-%d", n), func(b *testing.B) {
			job := testJob(fmt.Sprintf("job-%d", n/2))
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := MergeJobs(data, job); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("append-to-%d", n), func(b *testing.B) {
			job := testJob("new-job")
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := MergeJobs(data, job); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A job followed by thousands of comment lines: the end of the job is
	// found by binary search, not one parse per line.
	var tail strings.Builder
	tail.WriteString("- name: bot\n  command: |\n    x\n")
	for i := 0; i < 5000; i++ {
		tail.WriteString("    # still the block scalar\n")
	}
	for i := 0; i < 5000; i++ {
		tail.WriteString("# a comment\n")
	}
	tail.WriteString("- name: z\n")
	data := []byte(tail.String())
	b.Run("replace-before-10000-comment-lines", func(b *testing.B) {
		job := testJob("bot")
		for b.Loop() {
			if _, err := MergeJobs(data, job); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSystemd(b *testing.B) {
	s := spec.Spec{Program: "/home/u/bots/bot.py", Args: trickyArgs, Name: "bot.py", Pidfile: "/home/u/.local/state/mkdaemon/bot.py.pid",
		Mode: spec.ModeForeground, Log: "/home/u/bot.log"}
	for b.Loop() {
		if _, err := Systemd(s, SystemdOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseExecStart(b *testing.B) {
	line, err := ExecStart(append([]string{"/usr/bin/bot"}, trickyArgs...))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := ParseExecStart(line); err != nil {
			b.Fatal(err)
		}
	}
}
