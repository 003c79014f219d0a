package scaffold

import (
	"bytes"
	"go/format"
	"strings"
	"testing"
	"time"
)

// maxLines bounds each rendered skeleton, comments included: a bot author
// reads the whole file before changing it, so it has to stay short enough
// to read at one sitting.
const maxLines = 250

func TestSkeletonLength(t *testing.T) {
	for _, lang := range Langs {
		for _, shape := range Shapes {
			p := params(lang, "/srv/bots")
			p.Shape = shape
			files, err := Render(p)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, shape, err)
			}
			main := files[0].Data
			n := bytes.Count(main, []byte("\n"))
			if len(main) > 0 && main[len(main)-1] != '\n' {
				n++
			}
			t.Logf("%s/%s: %d lines", lang, shape, n)
			if n > maxLines {
				t.Errorf("%s/%s renders to %d lines, more than %d", lang, shape, n, maxLines)
			}
		}
	}
}

// TestRenderGoIsFormatted wants the Go skeleton as gofmt writes it, so that
// an editor that formats on save changes nothing.
func TestRenderGoIsFormatted(t *testing.T) {
	for _, shape := range Shapes {
		p := params(Go, "/srv/bots")
		p.Shape = shape
		p.Interval = 90 * time.Second
		files, err := Render(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".go") {
				continue
			}
			formatted, err := format.Source(f.Data)
			if err != nil {
				t.Fatalf("%s/%s: %v", shape, f.Path, err)
			}
			if !bytes.Equal(formatted, f.Data) {
				t.Errorf("%s: %s is not gofmt-formatted; gofmt writes:\n%s", shape, f.Path, formatted)
			}
		}
	}
}
