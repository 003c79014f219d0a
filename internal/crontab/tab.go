package crontab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Tab is a user's crontab as the crontab command shows it. The Installer
// needs nothing more, so tests can put a fault behind it.
type Tab interface {
	// Read returns the crontab as `crontab -l` lists it (the real one
	// with its carriage returns restored, see RestoreCR), "" when the
	// user has none. Any other failure is an error, and then the caller must
	// not write: an unreadable crontab is not an empty one.
	Read(ctx context.Context) (string, error)
	// Write replaces the whole crontab with text.
	Write(ctx context.Context, text string) error
}

// DefaultTimeout bounds each run of the crontab command. crontab reads or
// writes one small file; a run that takes this long is stuck (on NSS, PAM,
// a dead NFS home) and waiting longer would only keep the lock.
const DefaultTimeout = 15 * time.Second

// Command is the real crontab binary.
type Command struct {
	// Path is the program to run; "" means "crontab" looked up in PATH.
	Path string
	// User is passed with -u. Leave it empty for the current user: some
	// crons refuse -u even for oneself, so it is given only for another
	// user (see ForTarget).
	User string
	// Timeout bounds each run; 0 means DefaultTimeout.
	Timeout time.Duration
}

// CommandError is a crontab run that failed, with what it printed.
type CommandError struct {
	Args     []string // as run, without the program
	ExitCode int      // -1 when it did not exit normally
	Stderr   string
	Err      error // the underlying error, e.g. context.DeadlineExceeded
}

func (e *CommandError) Error() string {
	cmd := "crontab " + strings.Join(e.Args, " ")
	msg := strings.TrimSpace(e.Stderr)
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		return fmt.Sprintf("`%s` did not finish in time and was killed", cmd)
	case msg != "":
		return fmt.Sprintf("`%s` failed (exit %d): %s", cmd, e.ExitCode, msg)
	case e.ExitCode >= 0:
		return fmt.Sprintf("`%s` failed with exit %d and printed nothing", cmd, e.ExitCode)
	}
	return fmt.Sprintf("`%s` failed: %v", cmd, e.Err)
}

func (e *CommandError) Unwrap() error { return e.Err }

func (c *Command) args(op ...string) []string {
	if c.User != "" {
		return append([]string{"-u", c.User}, op...)
	}
	return op
}

// Read runs `LC_ALL=C crontab -l`. Exit 0 gives the crontab; a failure
// whose message says "no crontab for" means there is none; every other
// failure (not allowed, not privileged, I/O error, timeout) is an error.
func (c *Command) Read(ctx context.Context) (string, error) {
	// crontab writes the listing into an anonymous file rather than a
	// pipe: no goroutine copying and no switching back and forth every
	// 64 KiB, which on a large crontab costs more than the copy.
	out, err := textFile("")
	if err != nil {
		return "", fmt.Errorf("preparing to read the crontab: %w", err)
	}
	defer out.Close()
	err = c.run(ctx, nil, out, "-l")
	if err == nil {
		text, err := readAll(out)
		return RestoreCR(text), err
	}
	var ce *CommandError
	if errors.As(err, &ce) && ce.ExitCode > 0 && strings.Contains(ce.Stderr, "no crontab for") {
		return "", nil
	}
	return "", err
}

// Write runs `crontab -` with text on its standard input. crontab installs
// by renaming a complete file into its spool, so the crontab is replaced as
// a whole or not at all. The text is handed over in an anonymous file
// rather than a pipe: if mkdaemon dies half way (even by SIGKILL), crontab
// still reads the whole text and never sees an early end of file, which it
// would install as a truncated, possibly empty, crontab.
func (c *Command) Write(ctx context.Context, text string) error {
	if err := CheckLimits(text); err != nil {
		return err
	}
	in, err := textFile(text)
	if err != nil {
		return fmt.Errorf("preparing the new crontab: %w", err)
	}
	defer in.Close()
	return c.run(ctx, in, nil, "-")
}

// RestoreCR undoes what Debian's `crontab -l` does to a carriage return:
// it lists a stored CR as the two characters `\r`, and a typed backslash-r
// the same way, so that a read-modify-write would turn every CRLF line of
// the crontab (one edited on Windows) into a line ending in a literal
// `\r`, and crontab refuses an environment line such as MAILTO=""
// followed by one (`bad minute`). A `\r` just before the end of a line
// is, in practice, a CR: nobody ends a cron line with a typed backslash-r,
// and there /bin/sh would read it as a plain r. RestoreCR turns that one
// back into a CR, so that the lines mkdaemon does not touch are written
// back byte for byte. A `\r` anywhere else in a line is left as listed:
// there it is as likely typed (printf 'a\r\n') as a stored CR, which is
// then written back as the two characters.
func RestoreCR(text string) string {
	if !strings.Contains(text, `\r`) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	eachLine(text, func(_, from, to int, line string) bool {
		if l, ok := strings.CutSuffix(line, `\r`); ok {
			b.WriteString(l)
			b.WriteByte('\r')
			b.WriteString(text[from+len(line) : to])
		} else {
			b.WriteString(text[from:to])
		}
		return true
	})
	return b.String()
}

// textFile returns a file holding text, positioned at its start, that
// exists nowhere in the file system and is gone when closed.
func textFile(text string) (*os.File, error) {
	var f *os.File
	if fd, err := unix.MemfdCreate("mkdaemon-crontab", unix.MFD_CLOEXEC); err == nil {
		f = os.NewFile(uintptr(fd), "memfd:mkdaemon-crontab")
	} else {
		// Kernels without memfd: an unlinked temporary file.
		if f, err = os.CreateTemp("", "mkdaemon-crontab-*"); err != nil {
			return nil, err
		}
		os.Remove(f.Name())
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readAll returns the whole content of f, which the child wrote through
// its own descriptor.
func readAll(f *os.File) (string, error) {
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading what crontab -l printed: %w", err)
	}
	return string(b), nil
}

func (c *Command) run(ctx context.Context, stdin, stdout *os.File, op ...string) error {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	path := c.Path
	if path == "" {
		path = "crontab"
	}
	args := c.args(op...)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	if stdout != nil {
		cmd.Stdout = stdout
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// Its own process group: a Ctrl-C on the terminal reaches mkdaemon,
	// which decides when to stop, and not crontab in the middle of its
	// work. On timeout the whole group is killed, with anything it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second

	err := cmd.Run()
	if err == nil {
		return nil
	}
	ce := &CommandError{Args: args, ExitCode: -1, Stderr: stderr.String(), Err: err}
	if ctx.Err() != nil {
		ce.Err = ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		ce.ExitCode = ee.ExitCode()
	}
	return ce
}
