// Package ptytest drives programs through a real pseudo-terminal in tests:
// it types keys into the terminal and reads back the screen a terminal
// emulator (hinshun/vt10x) draws from the program's output, so a test sees
// what a person would see.
package ptytest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"golang.org/x/sys/unix"
)

// Keys a test types.
const (
	Enter     = "\r"
	Tab       = "\t"
	CtrlC     = "\x03"
	Backspace = "\x7f"
	Down      = "\x1b[B"
	Up        = "\x1b[A"
)

// WaitTimeout bounds every wait for the screen. It is generous on purpose:
// a wait ends as soon as the text shows, so only a broken program (or a
// very loaded machine) ever reaches it.
var WaitTimeout = 30 * time.Second

// Term is the controlling side of a pseudo-terminal, with an emulator
// drawing the screen.
type Term struct {
	t    testing.TB
	ptm  *os.File // the master side
	pts  *os.File // the program's side, kept open to watch its input queue
	vt   vt10x.Terminal
	mu   sync.Mutex
	raw  bytes.Buffer
	done chan struct{}
	cmd  *exec.Cmd
}

func newTerm(t testing.TB, ptm, pts *os.File, cols, rows int) *Term {
	tm := &Term{t: t, ptm: ptm, pts: pts, done: make(chan struct{})}
	// The emulator answers the program's queries (such as the cursor
	// position report survey asks for) by writing to the master side,
	// which the program reads as input.
	tm.vt = vt10x.New(vt10x.WithWriter(ptm), vt10x.WithSize(cols, rows))
	go tm.read()
	return tm
}

// openSized opens a pseudo-terminal pair of cols x rows.
func openSized(t testing.TB, cols, rows int) (ptm, pts *os.File) {
	t.Helper()
	ptm, pts, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	if err := pty.Setsize(ptm, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		t.Fatalf("sizing the pseudo-terminal: %v", err)
	}
	return ptm, pts
}

// Open makes a pseudo-terminal of cols x rows for code running in the test
// process: it returns the terminal and the program's side (give it as
// stdin and stdout). The program's side is closed at the end of the test.
func Open(t testing.TB, cols, rows int) (*Term, *os.File) {
	t.Helper()
	ptm, pts := openSized(t, cols, rows)
	tm := newTerm(t, ptm, pts, cols, rows)
	t.Cleanup(func() {
		pts.Close()
		ptm.Close()
	})
	return tm, pts
}

// Start runs cmd with a new pseudo-terminal of cols x rows as its stdin,
// stdout, stderr and controlling terminal. cmd.SysProcAttr may carry a
// Credential; the session settings are added here. The process is killed
// at the end of the test if it is still running.
func Start(t testing.TB, cmd *exec.Cmd, cols, rows int) *Term {
	t.Helper()
	ptm, pts := openSized(t, cols, rows)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setsid, cmd.SysProcAttr.Setctty, cmd.SysProcAttr.Ctty = true, true, 0
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s on a pseudo-terminal: %v", cmd.Path, err)
	}
	tm := newTerm(t, ptm, pts, cols, rows)
	tm.cmd = cmd
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		pts.Close()
		ptm.Close()
	})
	return tm
}

func (tm *Term) read() {
	defer close(tm.done)
	buf := make([]byte, 4096)
	var pending []byte
	for {
		n, err := tm.ptm.Read(buf)
		if n > 0 {
			pending = append(pending, buf[:n]...)
			// Hand the emulator whole characters only: it reads runes.
			cut := len(pending)
			for i := 1; i <= utf8.UTFMax && i <= len(pending); i++ {
				if utf8.RuneStart(pending[len(pending)-i]) {
					if !utf8.FullRune(pending[len(pending)-i:]) {
						cut = len(pending) - i
					}
					break
				}
			}
			tm.mu.Lock()
			tm.raw.Write(pending[:cut])
			tm.vt.Write(pending[:cut])
			tm.mu.Unlock()
			pending = append(pending[:0], pending[cut:]...)
		}
		if err != nil {
			return // EIO once the program's side is closed
		}
	}
}

// Type sends keys as if typed, once the program reads the terminal key by
// key (canonical mode off): keys typed before that would be echoed by the
// kernel and drawn on the screen a second time.
//
// It also waits until the program has read all its input. survey asks the
// terminal where the cursor is (ESC[6n) when a prompt starts, and when the
// answer and keys typed after it come in one read, it keeps the answer and
// drops the keys. The emulator writes its answers while holding tm.mu, so
// keys written under tm.mu to an empty input queue come before any answer
// still to be written, where survey keeps them.
func (tm *Term) Type(keys string) {
	tm.t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		tio, err := unix.IoctlGetTermios(int(tm.pts.Fd()), unix.TCGETS)
		if err != nil {
			tm.t.Fatalf("typing %q: %v", keys, err)
		}
		if tio.Lflag&unix.ICANON == 0 && tm.typeIfRead(keys) {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited %v for the program to read keys before typing %q; the screen:\n%s", WaitTimeout, keys, tm.Screen())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// typeIfRead writes keys if the program's input queue is empty.
func (tm *Term) typeIfRead(keys string) bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	unread, err := unix.IoctlGetInt(int(tm.pts.Fd()), unix.TIOCINQ)
	if err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
	if unread > 0 {
		return false
	}
	if _, err := tm.ptm.Write([]byte(keys)); err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
	return true
}

// Screen is what the terminal shows now, without trailing blanks.
func (tm *Term) Screen() string {
	tm.mu.Lock()
	s := tm.vt.String()
	tm.mu.Unlock()
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \x00")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// Raw is every byte the program wrote so far, escape sequences included.
func (tm *Term) Raw() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw.Bytes())
}

// WaitFor waits until the screen shows text and returns the screen. It
// fails the test, showing the screen, after WaitTimeout.
func (tm *Term) WaitFor(text string) string {
	tm.t.Helper()
	return tm.WaitUntil(fmt.Sprintf("the screen to show %q", text), func(screen string) bool {
		return strings.Contains(screen, text)
	})
}

// WaitUntil waits until ok holds for the screen and returns the screen.
func (tm *Term) WaitUntil(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		s := tm.Screen()
		if ok(s) {
			return s
		}
		select {
		case <-tm.done:
			if s = tm.Screen(); ok(s) {
				return s
			}
			tm.t.Fatalf("the program closed the terminal before %s; the screen:\n%s", what, s)
		default:
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited %v for %s; the screen:\n%s", WaitTimeout, what, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Wait waits for the program started by Start to exit, reads the rest of
// its output, and returns its exit status.
func (tm *Term) Wait() int {
	tm.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- tm.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(WaitTimeout):
		tm.cmd.Process.Kill()
		<-exited
		tm.t.Fatalf("%s did not exit within %v; the screen:\n%s\nthe output: %q", tm.cmd.Path, WaitTimeout, tm.Screen(), tm.Raw())
	}
	tm.pts.Close() // the last copy of the program's side: reading ends
	select {
	case <-tm.done:
	case <-time.After(WaitTimeout):
		tm.t.Fatalf("the terminal stayed open after the program exited")
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	tm.t.Fatalf("waiting for %s: %v", tm.cmd.Path, err)
	return -1
}
