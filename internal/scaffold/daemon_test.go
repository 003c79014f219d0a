package scaffold

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/mkdaemon/mkdaemon/internal/realtest"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
	"github.com/mkdaemon/mkdaemon/internal/proc"
	"github.com/mkdaemon/mkdaemon/internal/spec"
	"github.com/mkdaemon/mkdaemon/internal/ssd"
)

// These tests generate each skeleton, start it the way cron would, with a
// start-stop-daemon line under cron's environment, and check the daemon from
// the outside, through /proc, as `mkdaemon check` and an administrator would.

func TestMain(m *testing.M) {
	// Daemons whose launcher exits are adopted by this process instead of
	// PID 1, which reaps late (1 to 2 s on these machines): the tests reap them themselves,
	// see their exit status, and catch any zombie a launch leaves.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "cannot become a child subreaper:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// variant is a set of names for one run of the checks.
type variant struct {
	name string // subtest name
	dir  string // folder holding the program and its files
	base string // program name without its extension
	log  string // file names inside dir
	pid  string
	st   string
}

var variants = []variant{
	{"plain", "bots", "bot", "bot.log", "bot.pid", "bot.state"},
	// Quotes, backslashes, $ and spaces in every name and path, as the
	// issue asks, and a non-ASCII letter. Not a backslash in the program's
	// own name: start-stop-daemon could never match it (Render refuses it).
	{"awkward", `it's "odd" \ $HOME é`, `a'b"c$ d`, `l"o'g \$x.log`, `p i'd "$1".pid`, `st\ate' $.json`},
}

var extension = map[Lang]string{Go: "", Perl: ".pl", PHP: ".php", Python: ".py"}

func TestSkeletonDaemons(t *testing.T) {
	realtest.Need(t)
	for _, tool := range []string{"/usr/sbin/start-stop-daemon", "/usr/bin/perl", "/usr/bin/php", "/usr/bin/python3"} {
		if _, err := os.Stat(tool); err != nil {
			t.Fatalf("%s is needed (Debian packages dpkg, perl, php-cli, python3): %v", tool, err)
		}
	}
	for _, lang := range Langs {
		for _, v := range variants {
			t.Run(string(lang)+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				d := generate(t, lang, v, Periodic)
				d.checkLaunchedByCron(t)
				d.checkSecondStart(t)
				d.checkHangupReopensLog(t)
				d.checkTermStops(t)
				d.checkStartedByHand(t)
				d.checkCheckpointSurvivesKill(t)
			})
		}
	}
}

// daemon is one generated skeleton and what the checks learn about it.
type daemon struct {
	lang Lang
	p    Params
	dir  string
	pid  int      // of the running daemon, 0 when none
	env  []string // added to cron's environment by startAsCron
}

func generate(t *testing.T, lang Lang, v variant, shape Shape) *daemon {
	dir := filepath.Join(t.TempDir(), v.dir)
	prog := filepath.Join(dir, v.base+extension[lang])
	if lang == Go {
		prog = filepath.Join(dir, v.base, v.base)
	}
	p := Params{
		Lang:    lang,
		Shape:   shape,
		Program: prog,
		Pidfile: filepath.Join(dir, v.pid),
		Log:     filepath.Join(dir, v.log),
		State:   filepath.Join(dir, v.st),
	}
	res, err := Create(p, false, homefs.Self)
	if err != nil {
		t.Fatal(err)
	}
	if lang == Go && !res.Built {
		t.Fatalf("Go skeleton not built: %s", res.NotBuilt)
	}
	d := &daemon{lang: lang, p: res.Params, dir: dir}
	t.Cleanup(func() { d.kill(t) })

	// The language's own checker accepts the code.
	var lint *exec.Cmd
	switch lang {
	case Go:
		lint = exec.Command("go", "vet", ".")
		lint.Dir = filepath.Dir(prog)
		lint.Env = append(os.Environ(), "GOWORK=off")
	case Perl:
		lint = exec.Command("perl", "-c", prog)
	case PHP:
		lint = exec.Command("php", "-l", prog)
	case Python:
		lint = exec.Command("/usr/bin/python3", "-m", "py_compile", prog)
	}
	if out, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", lint, err, out)
	}
	if !spec.MadeByScaffold(prog) {
		t.Errorf("spec.MadeByScaffold(%s) = false", prog)
	}
	return d
}

// ssdLine is the command a crontab line runs, from internal/ssd.
func (d *daemon) ssdLine() string {
	return ssd.Command(ssd.Argv("/usr/sbin/start-stop-daemon",
		spec.Spec{Program: d.p.Program, Name: d.p.Name, Pidfile: d.p.Pidfile, Mode: spec.ModeDaemonizes}))
}

// startAsCron runs the start-stop-daemon line with exactly cron's
// environment, through /bin/sh -c as cron does. It passes an extra open
// file, as a careless shell would, which the daemon must not keep.
func (d *daemon) startAsCron(t *testing.T) (launcher int, output string) {
	t.Helper()
	launcher, output, code := d.runAsCron(t)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", d.ssdLine(), code, output)
	}
	return launcher, output
}

// runAsCron is startAsCron that returns start-stop-daemon's exit status:
// without --oknodo, 1 means a copy was running and nothing was started.
func (d *daemon) runAsCron(t *testing.T) (launcher int, output string, code int) {
	t.Helper()
	leak, err := os.Create(filepath.Join(d.dir, "leaked-fd"))
	if err != nil {
		t.Fatal(err)
	}
	defer leak.Close()
	home := t.TempDir()
	// A launcher that never returns (waiting for its daemon) fails the test
	// instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	argv := append([]string{"-i", "HOME=" + home, "LOGNAME=root", "PATH=/usr/bin:/bin", "SHELL=/bin/sh"}, d.env...)
	cmd := exec.CommandContext(ctx, "/usr/bin/env", append(argv, "/bin/sh", "-c", d.ssdLine())...)
	cmd.Dir = home
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.ExtraFiles = []*os.File{leak}
	// A daemon that kept stdout open would make Wait hang: bound it.
	cmd.WaitDelay = 10 * time.Second
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.Exited():
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v\n%s", d.ssdLine(), err, out.String())
	}
	return cmd.Process.Pid, out.String(), code
}

func (d *daemon) checkLaunchedByCron(t *testing.T) {
	launcher, out := d.startAsCron(t)
	if out != "" {
		t.Errorf("the launch printed %q; want nothing", out)
	}
	// exec.Cmd starts the launcher in this process's session.
	session, _ := unix.Getsid(0)
	d.checkProcess(t, launcher, session)
	logged := d.waitLog(t, "started")
	line := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} ` + regexp.QuoteMeta(d.p.Name) +
		`\[` + strconv.Itoa(d.pid) + `\]: (INFO )?started$`)
	if !line.MatchString(logged) {
		t.Errorf("no timestamped start line in the log:\n%s", logged)
	}
}

// checkProcess checks the daemon a launch left in the pidfile, from /proc.
// launcher is the PID that was started, session the session it ran in.
func (d *daemon) checkProcess(t *testing.T, launcher, session int) {
	t.Helper()
	pid, err := proc.ReadPidfile(d.p.Pidfile)
	if err != nil {
		t.Fatalf("after the launch: %v", err)
	}
	d.pid = pid
	p, err := proc.Stat(pid)
	if err != nil {
		t.Fatalf("the pidfile's PID %d: %v", pid, err)
	}
	if p.Zombie() {
		t.Fatalf("PID %d is a zombie; log:\n%s", pid, d.readLog(t))
	}
	if p.Comm != d.p.Name {
		t.Errorf("process name %q, want %q (start-stop-daemon --name would never match)", p.Comm, d.p.Name)
	}
	if p.PPID == launcher {
		t.Errorf("parent is the launching process %d", launcher)
	}
	if p.SessionLeader() {
		t.Errorf("the daemon leads its session %d: it could acquire a terminal", p.Session)
	}
	// Needed besides tty_nr: when a terminal's session leader exits, the
	// kernel takes the terminal from the whole session, setsid or not.
	if p.Session == session {
		t.Errorf("the daemon is still in the launcher's session %d", session)
	}
	if p.TTY != 0 {
		t.Errorf("tty_nr %d, want 0", p.TTY)
	}
	if cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); cwd != "/" {
		t.Errorf("cwd %q, want /", cwd)
	}
	if umask, _ := proc.Status(pid, "Umask"); umask != "0027" {
		t.Errorf("Umask %q, want 0027", umask)
	}
	d.checkDescriptors(t)
	d.checkPidfileLocked(t)

	// The middle process was reaped by the launcher. Had it not been, it
	// would now be a zombie adopted by this process.
	ps, _ := proc.All()
	for _, z := range ps {
		if z.Zombie() && z.PPID == os.Getpid() && z.Comm == d.p.Name {
			t.Errorf("the launch left zombie PID %d", z.PID)
		}
	}
}

// checkDescriptors wants 0 on /dev/null, 1 and 2 on the log, the pidfile,
// and nothing else: in particular not the file the launcher leaked. It looks
// after the first checkpoint, when the daemon idles; a descriptor seen only
// in one of two looks 100 ms apart is a transient one, not a kept one.
func (d *daemon) checkDescriptors(t *testing.T) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(d.p.State); err == nil {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no state file %s 5 s after the start", d.p.State)
		}
	}
	first := d.descriptors(t)
	time.Sleep(100 * time.Millisecond)
	pidfiles := 0
	for fd, target := range d.descriptors(t) {
		switch {
		case fd == 0 && target == "/dev/null":
		case (fd == 1 || fd == 2) && target == d.p.Log:
		case fd > 2 && target == d.p.Pidfile:
			pidfiles++
		case fd > 2 && d.lang == Python && target == d.p.Log:
			// logging's WatchedFileHandler, which reopens a moved log by itself.
		case fd > 2 && d.lang == Go && goRuntimeFD(target):
			// The Go runtime's own: its poller, and cgroup CPU limits it rereads.
		case first[fd] != target:
			// Opened and closed between the two looks.
		default:
			t.Errorf("unexpected descriptor %d -> %s", fd, target)
		}
	}
	if pidfiles != 1 {
		t.Errorf("%d descriptors on the pidfile, want 1", pidfiles)
	}
}

// descriptors maps the daemon's open fds to what they refer to.
func (d *daemon) descriptors(t *testing.T) map[int]string {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", d.pid)
	ents, err := os.ReadDir(fdDir)
	if err != nil {
		t.Fatal(err)
	}
	fds := map[int]string{}
	for _, e := range ents {
		fd, _ := strconv.Atoi(e.Name())
		if target, err := os.Readlink(filepath.Join(fdDir, e.Name())); err == nil {
			fds[fd] = target
		}
	}
	return fds
}

func goRuntimeFD(target string) bool {
	return target == "anon_inode:[eventpoll]" || target == "anon_inode:[eventfd]" ||
		strings.HasPrefix(target, "/sys/fs/cgroup/")
}

func (d *daemon) checkPidfileLocked(t *testing.T) {
	t.Helper()
	f, err := os.Open(d.p.Pidfile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); !errors.Is(err, unix.EWOULDBLOCK) {
		t.Errorf("flock on the pidfile: %v; want EWOULDBLOCK, the daemon holding the lock", err)
	}
}

func (d *daemon) checkSecondStart(t *testing.T) {
	before, _ := os.ReadFile(d.p.Pidfile)

	// As cron would, every few minutes: start-stop-daemon finds it running
	// and exits 1, starting nothing.
	if _, out, code := d.runAsCron(t); code != 1 {
		t.Errorf("a second start-stop-daemon --start exited %d, want 1 (already running)\n%s", code, out)
	}
	if n := d.instances(t); n != 1 {
		t.Errorf("%d instances after a second start-stop-daemon --start, want 1", n)
	}

	// Bypassing start-stop-daemon: the skeleton itself must refuse.
	cmd := exec.Command(d.p.Program)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	want := fmt.Sprintf("already running (PID %d)", d.pid)
	if err == nil || !strings.Contains(stderr.String(), want) {
		t.Errorf("second copy: %v, stderr %q; want a failure saying %q", err, stderr.String(), want)
	}
	d.reapStrays(t)
	if after, _ := os.ReadFile(d.p.Pidfile); !bytes.Equal(before, after) {
		t.Errorf("pidfile changed from %q to %q by a second copy", before, after)
	}
	if n := d.instances(t); n != 1 || !proc.Alive(d.pid) {
		t.Errorf("%d instances after a second copy, first alive: %v", n, proc.Alive(d.pid))
	}
}

func (d *daemon) checkHangupReopensLog(t *testing.T) {
	rotated := d.p.Log + ".1"
	if err := os.Rename(d.p.Log, rotated); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(d.pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	d.waitLog(t, "reopened log")
	if old, _ := os.ReadFile(rotated); bytes.Contains(old, []byte("reopened log")) {
		t.Errorf("the rotated log still receives lines:\n%s", old)
	}
	if !proc.Alive(d.pid) {
		t.Fatalf("SIGHUP killed the daemon")
	}
}

func (d *daemon) checkTermStops(t *testing.T) {
	d.termStops(t)
	b, err := os.ReadFile(d.p.State)
	if err == nil {
		var runs int
		if runs, err = stateRuns(b); err == nil && runs < 1 {
			err = fmt.Errorf("%d runs", runs)
		}
	}
	if err != nil {
		t.Errorf("state after SIGTERM: %v, %q", err, b)
	}
}

// checkStartedByHand starts the skeleton as a user trying it out would:
// from an interactive terminal, in their own folder, with this process's
// umask (022 usually) and a descriptor their shell leaked. start-stop-daemon, which changes to / on
// its own, is not there to help: the daemon must still detach the same way.
func (d *daemon) checkStartedByHand(t *testing.T) {
	leak, err := os.Create(filepath.Join(d.dir, "leaked-by-hand"))
	if err != nil {
		t.Fatal(err)
	}
	defer leak.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.p.Program)
	cmd.Dir = d.dir
	cmd.ExtraFiles = []*os.File{leak}
	tty, err := pty.Start(cmd) // a new session with the pty as controlling terminal
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	go io.Copy(io.Discard, tty)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("started from a terminal: %v", err)
	}
	d.checkProcess(t, cmd.Process.Pid, cmd.Process.Pid)
	syscall.Kill(d.pid, syscall.SIGTERM)
	if _, ok := waitExit(d.pid, 5*time.Second); !ok {
		t.Fatalf("still running 5 s after SIGTERM")
	}
	d.pid = 0
}

// checkCheckpointSurvivesKill kills the program with SIGKILL while it writes
// its state, again and again, and wants a whole state file every time: the
// old one or the new one. It runs in the foreground, the same loop, with no
// pause between units of work. inotify tells when a checkpoint creates its
// temporary file and when it closes it; the kill follows one or the other,
// after 0, 0.5 or 1 ms, so that kills land all along the checkpoint. A kill
// counts as landing during a checkpoint when the temporary file is still
// there afterwards; the check fails if none did.
func (d *daemon) checkCheckpointSurvivesKill(t *testing.T) {
	dir := filepath.Join(d.dir, "checkpoint")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "fg.state")
	tmp := state + ".tmp"
	w := watch(t, dir)
	args := []string{"--foreground", "--every", "0", "--pidfile", filepath.Join(dir, "fg.pid"), "--state", state}

	last, during, attempt := -1, 0, 0
	for attempt < 12 || (during < 5 && attempt < 40) {
		attempt++
		os.Remove(tmp)
		w.drain()
		cmd := exec.Command(d.p.Program, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let a few checkpoints pass, so that the state moves on.
		ok := true
		for n := 0; n < attempt%4 && ok; n++ {
			ok = w.wait(filepath.Base(tmp), unix.IN_CREATE)
		}
		trigger := uint32(unix.IN_CREATE)
		if attempt%2 == 0 {
			trigger = unix.IN_CLOSE_WRITE
		}
		ok = ok && w.wait(filepath.Base(tmp), trigger)
		time.Sleep(time.Duration(attempt%3) * 500 * time.Microsecond)
		cmd.Process.Kill()
		cmd.Wait()
		if !ok {
			t.Fatalf("no checkpoint in 5 s")
		}
		if _, err := os.Lstat(tmp); err == nil {
			during++
		}
		b, err := os.ReadFile(state)
		if errors.Is(err, os.ErrNotExist) && last < 0 {
			continue // killed during its very first checkpoint: no old file to keep
		}
		var runs int
		if err == nil {
			runs, err = stateRuns(b)
		}
		if err != nil {
			t.Fatalf("kill %d left a torn state file (%v):\n%q", attempt, err, b)
		}
		if runs < last {
			t.Fatalf("kill %d: the state went back from %d to %d runs", attempt, last, runs)
		}
		last = runs
	}
	if during == 0 || last < 0 {
		t.Fatalf("in %d kills, %d landed during a checkpoint and the state reached %d runs: the check proved nothing",
			attempt, during, last)
	}
	t.Logf("%d of %d kills during a checkpoint; the state reached %d runs", during, attempt, last)
}

// watcher reports files created and closed after writing in one folder.
type watcher struct {
	t   *testing.T
	fd  int
	buf []byte
}

func watch(t *testing.T, dir string) *watcher {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_CLOSE_WRITE); err != nil {
		t.Fatal(err)
	}
	return &watcher{t: t, fd: fd, buf: make([]byte, 64<<10)}
}

// drain forgets the events so far.
func (w *watcher) drain() {
	for {
		if n, err := unix.Read(w.fd, w.buf); err != nil || n <= 0 {
			return
		}
	}
}

// wait waits up to 5 s for an event in mask on the file called name.
func (w *watcher) wait(name string, mask uint32) bool {
	for end := time.Now().Add(5 * time.Second); ; {
		n, err := unix.Read(w.fd, w.buf)
		for off := 0; err == nil && off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&w.buf[off]))
			evName := w.buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if ev.Mask&mask != 0 && string(bytes.TrimRight(evName, "\x00")) == name {
				return true // later events in this read are dropped: the caller kills now
			}
		}
		left := time.Until(end)
		if left <= 0 {
			return false
		}
		fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, int(left.Milliseconds())+1); err != nil && !errors.Is(err, unix.EINTR) {
			w.t.Fatal(err)
		}
	}
}

// instances counts live processes running d's program.
func (d *daemon) instances(t *testing.T) int {
	t.Helper()
	ps, err := proc.All()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps {
		if p.Comm != d.p.Name || p.Zombie() {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.PID))
		if bytes.Contains(cmdline, []byte(d.p.Program)) {
			n++
		}
	}
	return n
}

// reapStrays waits for the daemon stage of a refused second copy, adopted
// by this process, to exit, and reaps it.
func (d *daemon) reapStrays(t *testing.T) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		ps, _ := proc.All()
		strays := 0
		for _, p := range ps {
			if p.PPID != os.Getpid() || p.Comm != d.p.Name || p.PID == d.pid {
				continue
			}
			strays++
			if p.Zombie() {
				var ws unix.WaitStatus
				unix.Wait4(p.PID, &ws, unix.WNOHANG, nil)
			}
		}
		if strays == 0 {
			return
		}
	}
	t.Errorf("a refused second copy is still around after 5 s")
}

// waitExit waits until pid (a child of this process, by adoption) exits,
// reaps it and returns its status.
func waitExit(pid int, limit time.Duration) (unix.WaitStatus, bool) {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		var ws unix.WaitStatus
		got, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		if got == pid {
			return ws, true
		}
		if errors.Is(err, unix.ECHILD) && !proc.Alive(pid) {
			return 0, true // not ours to reap; gone all the same
		}
	}
	return 0, false
}

// kill stops whatever still runs d's program, the daemon or a launch that
// went wrong, and reaps it.
func (d *daemon) kill(t *testing.T) {
	ps, _ := proc.All()
	for _, p := range ps {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.PID))
		if !p.Zombie() && bytes.Contains(cmdline, []byte(d.p.Program)) {
			syscall.Kill(p.PID, syscall.SIGKILL)
			waitExit(p.PID, 5*time.Second)
		}
	}
}

func (d *daemon) readLog(t *testing.T) string {
	b, _ := os.ReadFile(d.p.Log)
	return string(b)
}

// waitLog waits up to 5 s for a log line ending in msg and returns the log.
func (d *daemon) waitLog(t *testing.T, msg string) string {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		log := d.readLog(t)
		if strings.Contains(log, "]: "+msg+"\n") || strings.Contains(log, "]: INFO "+msg+"\n") {
			return log
		}
		if time.Now().After(end) {
			t.Fatalf("no %q line in the log after 5 s:\n%s", msg, log)
		}
	}
}

// TestSkeletonFlags checks the skeletons' own command line: the marker in
// --version, and usage errors (exit 2, nothing started, no pidfile).
func TestSkeletonFlags(t *testing.T) {
	realtest.Need(t)
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			d := generate(t, lang, variants[0], Periodic)
			out, err := exec.Command(d.p.Program, "--version").CombinedOutput()
			if want := d.p.Name + " (" + spec.SkeletonMarker + ")\n"; err != nil || string(out) != want {
				t.Errorf("--version: %v, %q; want %q", err, out, want)
			}
			for _, args := range [][]string{
				{"--no-such-flag"},
				{"extra-argument"},
				{"--every", "-1"},
				{"--every=soon"},
				{"--pidfile="},
				{"--foreground", "--state"},
			} {
				cmd := exec.Command(d.p.Program, args...)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 2 || stderr.Len() == 0 {
					t.Errorf("%q: %v, stderr %q; want exit status 2 and a message", args, err, stderr.String())
				}
			}
			if _, err := os.Stat(d.p.Pidfile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a usage error left a pidfile: %v", err)
			}
		})
	}
}

// termStops sends SIGTERM and holds the daemon to a clean stop: exit 0
// within 5 s, its pidfile removed, "stopping" logged.
func (d *daemon) termStops(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(d.pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	status, ok := waitExit(d.pid, 5*time.Second)
	if !ok {
		t.Fatalf("still running 5 s after SIGTERM")
	}
	d.pid = 0
	if !status.Exited() || status.ExitStatus() != 0 {
		t.Errorf("after SIGTERM: wait status %#x, want exit 0", status)
	}
	if _, err := os.Stat(d.p.Pidfile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pidfile left after SIGTERM: %v", err)
	}
	d.waitLog(t, "stopping")
}
