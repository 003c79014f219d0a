package check

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// launch is one run of the crontab command, started the way Debian cron
// starts a job (checked against cron 3.0pl1-162): /bin/sh -c COMMAND as the
// crontab's user, with only cron's four variables, in HOME, as the leader of
// a new session without a controlling terminal, stdin an empty pipe, and
// stdout and stderr an unlinked temporary file that cron mails once the job
// has exited. A file rather than a pipe matters: a daemon that keeps stdout
// open does not block the job.
//
// One addition: fd 3 is the write end of a pipe that nothing else uses. A
// daemon that still holds it has kept descriptors it inherited, which under
// cron means cron's own descriptors.
type launch struct {
	pid     int
	started time.Time
	done    chan struct{} // closed once the shell has exited and been reaped
	state   *os.ProcessState
	err     error
	out     *os.File // stdout and stderr of the job
	stdin   *os.File // read end of the job's stdin pipe
	marker  *os.File // write end of the marker pipe, passed as fd 3
}

// start runs command as cron would.
func startLaunch(command string, acct spec.Account, j job, cred *syscall.Credential) (*launch, error) {
	if fi, err := os.Stat(j.dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("the home directory of %s, %s, is not a directory: cron runs the job there and cannot start it (%v)", acct.Name, j.dir, err)
	}
	out, err := os.CreateTemp("", "mkdaemon-check-*")
	if err != nil {
		return nil, fmt.Errorf("creating the job's output file: %w", err)
	}
	os.Remove(out.Name()) // like cron's: it lives only as an open file
	stdin, stdinW, err := os.Pipe()
	if err != nil {
		out.Close()
		return nil, err
	}
	stdinW.Close() // cron writes the text after a % here, then closes it
	markerR, marker, err := os.Pipe()
	if err != nil {
		out.Close()
		stdin.Close()
		return nil, err
	}
	markerR.Close()

	cmd := &exec.Cmd{
		Path:       j.shell,
		Args:       []string{filepath.Base(j.shell), "-c", command},
		Env:        j.env,
		Dir:        j.dir,
		Stdin:      stdin,
		Stdout:     out,
		Stderr:     out,
		ExtraFiles: []*os.File{marker},
		SysProcAttr: &syscall.SysProcAttr{
			Setsid:     true,
			Credential: cred,
		},
	}
	l := &launch{started: time.Now(), done: make(chan struct{}), out: out, stdin: stdin, marker: marker}
	if err := cmd.Start(); err != nil {
		l.close()
		return nil, fmt.Errorf("running %s -c as %s: %w", j.shell, acct.Name, err)
	}
	l.pid = cmd.Process.Pid
	go func() {
		// Wait only reaps the shell: stdout is a file, so no copying
		// goroutine waits for a daemon to close it.
		l.err = cmd.Wait()
		l.state = cmd.ProcessState
		close(l.done)
	}()
	return l, nil
}

// exited reports whether the shell has exited.
func (l *launch) exited() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// wait waits up to d for the shell to exit.
func (l *launch) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.done:
		return true
	case <-t.C:
		return false
	}
}

// status describes how the shell exited: "status 1", "signal killed".
func (l *launch) status() string {
	if !l.exited() {
		return "still running"
	}
	if l.state == nil {
		return fmt.Sprintf("unknown (%v)", l.err)
	}
	if ws, ok := l.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return "signal " + ws.Signal().String()
	}
	return fmt.Sprintf("status %d", l.state.ExitCode())
}

// ok reports whether the shell exited with status 0.
func (l *launch) ok() bool { return l.exited() && l.state != nil && l.state.Success() }

// exitCode is the shell's exit status, or -1 while it runs or after a signal.
func (l *launch) exitCode() int {
	if !l.exited() || l.state == nil {
		return -1
	}
	return l.state.ExitCode()
}

// output returns what the job printed so far, at most the last 2 KiB.
func (l *launch) output() string {
	return tailOf(l.out, 2048)
}

// close releases the check's ends of the job's files. A daemon that holds
// them keeps them alive; that is its business (and step 6's).
func (l *launch) close() {
	l.out.Close()
	l.stdin.Close()
	l.marker.Close()
}

// tailOf returns at most the last max bytes of an open file, cut at a line
// start, without trailing whitespace.
func tailOf(f *os.File, max int64) string {
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	off := fi.Size() - max
	if off < 0 {
		off = 0
	}
	b, err := io.ReadAll(io.NewSectionReader(f, off, fi.Size()-off))
	if err != nil {
		return ""
	}
	s := string(b)
	if off > 0 {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	return strings.TrimRight(s, " \t\r\n")
}

// daemonLog is the daemon's log file and the account it is read as: the
// entry names it, so root checking another account's entry reads it as that
// account, or a log path aimed at a file only root may read would print it.
type daemonLog struct {
	path string
	as   proc.Account
	// captured is true for the file the check sent the program's output
	// to because the entry has no log of its own.
	captured bool
}

// log is the entry's log ("" when it has none).
func (c *checker) log() daemonLog {
	if c.output != "" {
		return daemonLog{path: c.output, as: c.acct(), captured: true}
	}
	return daemonLog{path: c.t.Log, as: c.acct()}
}

// tail returns the last lines of the daemon's log file, "" when there is
// none or it cannot be read (or is no regular file).
func (d daemonLog) tail() string {
	if d.path == "" {
		return ""
	}
	f, err := proc.OpenAs(d.path, d.as)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := tailOf(f, 2048)
	lines := strings.Split(s, "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return strings.Join(lines, "\n")
}
