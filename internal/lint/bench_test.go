package lint

import (
	"os"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// BenchmarkLint9000 gathers the facts for and checks a 9,000-line crontab
// of keeper lines (MKDAEMON_LINT_BENCH names the file; scripts/bench makes
// one). The whole-process figure is scripts/bench's.
func BenchmarkLint9000(b *testing.B) {
	p := os.Getenv("MKDAEMON_LINT_BENCH")
	if p == "" {
		b.Skip("set MKDAEMON_LINT_BENCH to a crontab file (scripts/bench lint)")
	}
	text, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	env, err := spec.EnvOf(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := Parse(string(text), env.Current.Home)
		f, err := Gather(c, "", env)
		if err != nil {
			b.Fatal(err)
		}
		Check(c, f)
	}
}
