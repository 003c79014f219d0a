package spec

import (
	"bytes"
	"io"
	"os"
)

// SkeletonMarker is written into every program `mkdaemon scaffold` makes:
// as a comment near the top of a script, and as a string kept in a Go
// binary. Finding it tells mkdaemon that the program daemonizes itself and
// understands --foreground.
const SkeletonMarker = "mkdaemon:skeleton:v1"

// MadeByScaffold reports whether the file at path carries SkeletonMarker.
// It reads at most the first 64 MiB, enough for any script or small binary.
func MadeByScaffold(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<20))
	if err != nil {
		return false
	}
	return bytes.Contains(b, []byte(SkeletonMarker))
}
