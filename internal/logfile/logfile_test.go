package logfile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/realtest"
)

func TestTail(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	os.WriteFile(p, []byte("a\nb\nc\n"), 0o644)
	for n, want := range map[int]string{0: "", 1: "c\n", 2: "b\nc\n", 5: "a\nb\nc\n"} {
		if got, err := Tail(p, proc.Self(), n); err != nil || got != want {
			t.Errorf("Tail %d = %q, %v; want %q", n, got, err, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for Follow's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFollowAcrossRotation follows a log that an appending writer keeps
// writing while the real logrotate rotates it, first with copytruncate,
// then by moving it: every line appears once, in order.
func TestFollowAcrossRotation(t *testing.T) {
	realtest.Need(t)
	if _, err := exec.LookPath("/usr/sbin/logrotate"); err != nil {
		t.Skip("logrotate is not installed (apt-get install logrotate)")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "bot.log")
	w, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { w.Close() }()
	fmt.Fprintln(w, "line 0")

	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Follow(ctx, log, proc.Self(), 1, &out, 20*time.Millisecond) }()

	for deadline := time.Now().Add(5 * time.Second); out.String() != "line 0\n"; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Follow did not print the last line first: %q", out.String())
		}
	}
	n := 1
	write := func(k int) {
		for i := 0; i < k; i++ {
			fmt.Fprintf(w, "line %d\n", n)
			n++
		}
		time.Sleep(100 * time.Millisecond)
	}
	rotate := func(how string) {
		conf := filepath.Join(dir, how+".conf")
		os.WriteFile(conf, []byte(fmt.Sprintf("%q {\n\trotate 2\n\t%s\n}\n", log, how)), 0o644)
		if b, err := exec.Command("/usr/sbin/logrotate", "-f", "-s", filepath.Join(dir, "state"), conf).CombinedOutput(); err != nil {
			t.Fatalf("logrotate (%s): %v\n%s", how, err, b)
		}
	}
	write(3)
	rotate("copytruncate")
	write(3)
	rotate("create")
	// A writer that reopens its log after the move, as the skeletons do.
	w.Close()
	if w, err = os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0o644); err != nil {
		t.Fatal(err)
	}
	write(3)
	time.Sleep(200 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	if got := out.String(); got != want.String() {
		t.Errorf("followed:\n%s\nwant:\n%s", got, want.String())
	}
}
