package check

import (
	"context"
	"testing"
)

// BenchmarkCheck is the whole procedure on a well-behaved daemon, with
// --stop: how long `mkdaemon check` keeps a user waiting. The test process
// is a subreaper here, so nothing waits for PID 1; run the CLI to see the
// time on a machine whose PID 1 reaps late.
func BenchmarkCheck(b *testing.B) {
	for _, bc := range []struct {
		name, script, base string
		background         bool
	}{
		{"self/good.pl", "good.pl", "bgood", false},
		{"background/foreground.sh", "foreground.sh", "bfg", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := newDaemon(b, "", bc.script, bc.base)
			argv := d.selfArgv()
			if bc.background {
				argv = d.backgroundArgv()
			}
			for b.Loop() {
				r, err := Run(context.Background(), d.target(argv), Options{Stop: true})
				if err != nil || !r.Passed() {
					b.Fatalf("%v %+v", err, r.Steps)
				}
			}
		})
	}
}
