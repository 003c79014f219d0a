// Package logfile reads a daemon's log the way `tail -n` and `tail -F` do,
// with plain file reads: the last lines, and following the file across a
// rotation (a copytruncate that empties it, or a rename that replaces it).
// Files are opened as the entry's account (proc.OpenAs).
package logfile

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
)

// tailMax bounds how much of the end of a log is read for its last lines.
const tailMax = 1 << 20

// Tail returns the last n lines of the file, each with its newline.
func Tail(path string, a proc.Account, n int) (string, error) {
	f, err := proc.OpenAs(path, a)
	if err != nil {
		return "", err
	}
	defer f.Close()
	s, _, err := tailOf(f, n)
	return s, err
}

// tailOf returns the last n lines of f and the offset just past them.
func tailOf(f *os.File, n int) (string, int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return "", 0, err
	}
	size := fi.Size()
	off := max(size-tailMax, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, off, size-off))
	if err != nil {
		return "", 0, err
	}
	end := off + int64(len(b))
	if n <= 0 {
		return "", end, nil
	}
	// Count n newlines back from the end, not counting a final one.
	i := len(b)
	if i > 0 && b[i-1] == '\n' {
		i--
	}
	for k := 0; k < n; k++ {
		j := bytes.LastIndexByte(b[:i], '\n')
		if j < 0 {
			i = 0
			if off > 0 {
				// The cut made at tailMax is no line start.
				if s := bytes.IndexByte(b, '\n'); s >= 0 {
					i = s + 1
				}
			}
			break
		}
		i = j
		if k == n-1 {
			i = j + 1
		}
	}
	return string(b[i:]), end, nil
}

// Follow writes the last n lines of the file to w and then what is
// appended to it, until ctx is done. It keeps following when logrotate
// rotates the file: a copytruncate shrinks it (reading goes on from its
// start), a move replaces it (the rest of the old file is read, then the
// new one from its start). A file that does not exist yet is waited for.
func Follow(ctx context.Context, path string, a proc.Account, n int, w io.Writer, poll time.Duration) error {
	var f *os.File
	var off int64
	open := func(first bool) error {
		g, err := proc.OpenAs(path, a)
		if err != nil {
			return err
		}
		f = g
		if first {
			s, end, err := tailOf(f, n)
			if err != nil {
				return err
			}
			io.WriteString(w, s)
			off = end
		} else {
			off = 0
		}
		return nil
	}
	if err := open(true); err != nil && !os.IsNotExist(err) {
		return err
	}
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	buf := make([]byte, 32<<10)
	drain := func() {
		for {
			k, err := f.ReadAt(buf, off)
			if k > 0 {
				w.Write(buf[:k])
				off += int64(k)
			}
			if err != nil || k == 0 {
				return
			}
		}
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if f == nil {
			if err := open(false); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		if f != nil {
			if fi, err := f.Stat(); err == nil && fi.Size() < off {
				off = 0 // truncated in place: copytruncate
			}
			drain()
			if moved(f, path) {
				drain()
				f.Close()
				f = nil
				continue
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// moved reports whether path no longer names the open file f: the file
// was renamed (or removed) and perhaps a new one created in its place.
func moved(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return true
	}
	pi, err := os.Stat(path)
	if err != nil {
		return true
	}
	a, ok1 := fi.Sys().(*syscall.Stat_t)
	b, ok2 := pi.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && (a.Ino != b.Ino || a.Dev != b.Dev)
}

// Lines splits text into its lines, without the newlines.
func Lines(text string) []string {
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
