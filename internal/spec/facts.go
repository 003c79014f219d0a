package spec

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Facts is everything the rules need to know about the machine, gathered
// once at the edge (Gather) so that Resolve is a pure function of the input
// and the facts. Tests build Facts by hand.
type Facts struct {
	Cwd     string
	Current Account // the user running mkdaemon, with $HOME as the shell has it
	// XDGStateHome is the current user's $XDG_STATE_HOME ("" when unset).
	XDGStateHome string
	// Accounts are the accounts --user may name, as looked up; a name
	// missing here does not exist.
	Accounts map[string]Account
	// Files are the paths the rules look at; a path missing here does not
	// exist.
	Files map[string]File
	// SSD is the start-stop-daemon executable found in $PATH, /usr/sbin or
	// /sbin; "" when there is none.
	SSD string
	// Logrotate is /usr/sbin/logrotate when it is installed, else "".
	Logrotate string

	// LoginPath is the PATH of the shell mkdaemon runs in when the
	// crontab is the current user's own ("" otherwise): the interpreter
	// a `#!/usr/bin/env` script finds there is compared with the one
	// cron's PATH finds.
	LoginPath string
}

// File is what the rules know of one path. Stat follows symlinks, as exec
// and open do.
type File struct {
	Mode     fs.FileMode
	UID, GID int
	// Dev and Ino identify the file, so that two paths to one file (a
	// symlinked /bin and /usr/bin) count as the same; 0 when unknown.
	Dev, Ino uint64
	// FirstLine is the first line of a program (at most 256 bytes, with
	// its newline), read to see a #! line.
	FirstLine string
	// Skeleton is true when a program carries SkeletonMarker.
	Skeleton bool
	// EnvNames are the variable names an --env-file sets, read from its
	// NAME=value lines (values are never kept).
	EnvNames []string
}

func (f Facts) file(path string) (File, bool) {
	fi, ok := f.Files[path]
	return fi, ok
}

// SkeletonMarker is written into every program `mkdaemon scaffold` makes:
// as a comment near the top of a script, and as a string kept in a Go
// binary. Finding it tells mkdaemon that the program daemonizes itself and
// understands --foreground.
const SkeletonMarker = "mkdaemon:skeleton:v1"

// Gather reads what the rules will ask about in: the program and its
// interpreter, the directories they are in, the pidfile, log and working
// directory, the state directory, the account --user names and
// start-stop-daemon. It only reads, and never fails: what it cannot read
// is missing, and the rules say why that is wrong.
func Gather(in Input, env Env) Facts {
	g := NewGatherer(env)
	g.Add(in)
	return g.Facts()
}

// GatherPlanned is Gather for a program that is about to be written (by
// mkdaemon scaffold): the program is taken to be planned, owned by the
// account, instead of read from the disk.
func GatherPlanned(in Input, env Env, planned File) Facts {
	g := NewGatherer(env)
	g.add(in, &planned)
	return g.Facts()
}

// A Gatherer is Gather for many inputs (a crontab's lines): each path is
// read once.
type Gatherer struct {
	f    Facts
	env  Env
	seen map[string]bool // stat'ed
	read map[string]bool // files whose contents were read too
}

// NewGatherer starts gathering, on the machine env describes.
func NewGatherer(env Env) *Gatherer {
	return &Gatherer{env: env, seen: map[string]bool{}, read: map[string]bool{}, f: Facts{
		Cwd: env.Cwd, Current: env.Current, XDGStateHome: env.Getenv("XDG_STATE_HOME"),
		Accounts: map[string]Account{}, Files: map[string]File{},
		SSD: LookupSSD(env.Getenv("PATH")), Logrotate: LookupLogrotate(),
	}}
}

// Add reads what the rules will ask about in.
func (g *Gatherer) Add(in Input) { g.add(in, nil) }

// Stat reads the file at the absolute path p, which no input need name
// (a command a crontab line runs, say).
func (g *Gatherer) Stat(p string) { g.stat(p) }

// EnvFile reads the names an environment file of NAME=value lines sets
// (Files[p].EnvNames), without their values.
func (g *Gatherer) EnvFile(p string) {
	g.statWithDir(p)
	if g.readOnce(p) {
		fi := g.f.Files[p]
		fi.EnvNames = readEnvNames(p)
		g.f.Files[p] = fi
	}
}

// Facts is what was gathered.
func (g *Gatherer) Facts() Facts { return g.f }

// readOnce reports whether p is a regular file whose contents are still
// to be read, and marks them read.
func (g *Gatherer) readOnce(p string) bool {
	if fi, ok := g.f.Files[p]; !ok || !fi.Mode.IsRegular() || g.read[p] {
		return false
	}
	g.read[p] = true
	return true
}

func (g *Gatherer) stat(p string) {
	if p == "" || g.seen[p] {
		return
	}
	g.seen[p] = true
	if fi, ok := statFile(p); ok {
		g.f.Files[p] = fi
	}
}

func (g *Gatherer) statWithDir(p string) { g.stat(p); g.stat(filepath.Dir(p)) }

func (g *Gatherer) add(in Input, planned *File) {
	f := &g.f
	acct := g.env.Current
	if in.User != "" && in.User != g.env.Current.Name && g.env.Lookup != nil {
		if a, ok := f.Accounts[in.User]; ok {
			acct = a
		} else if a, err := g.env.Lookup(in.User); err == nil {
			f.Accounts[in.User] = a
			acct = a
		}
	}
	var name string
	if in.Program != "" {
		prog := f.absPath(in.Program)
		g.statWithDir(prog)
		if planned != nil {
			p := *planned
			p.UID, p.GID = acct.UID, acct.GID
			f.Files[prog] = p
		} else if g.readOnce(prog) {
			fi := f.Files[prog]
			fi.FirstLine, fi.Skeleton = readProgram(prog)
			f.Files[prog] = fi
		}
		if fi, ok := f.Files[prog]; ok && fi.Mode.IsRegular() {
			if sb, ok := parseShebang(fi.FirstLine); ok && sb.interp != "" {
				g.statWithDir(sb.interp)
				if sb.envCommand != "" {
					for _, d := range cronPath {
						g.statWithDir(filepath.Join(d, sb.envCommand))
					}
				}
			}
			name = expectedName(prog, fi.FirstLine).Name
		}
	}
	if in.Name != "" {
		name = in.Name
	}
	stateDir := f.stateDir(acct)
	g.stat(f.XDGStateHome)
	g.statWithDir(stateDir)
	if in.Pidfile != "" {
		g.statWithDir(f.absPath(in.Pidfile))
	} else if name != "" {
		g.statWithDir(filepath.Join(stateDir, name+".pid"))
	}
	if in.Log != "" {
		g.statWithDir(f.absPath(in.Log))
	}
	if in.Chdir != "" {
		g.stat(f.absPath(in.Chdir))
	}
	if in.EnvFile != "" {
		g.EnvFile(f.absPath(in.EnvFile))
	}
	if acct.UID == g.env.Current.UID {
		f.LoginPath = g.env.Getenv("PATH")
	}
	if in.Program != "" {
		if fi, ok := f.Files[f.absPath(in.Program)]; ok && fi.Mode.IsRegular() {
			if sb, ok := parseShebang(fi.FirstLine); ok && sb.envCommand != "" && !strings.Contains(sb.envCommand, "/") {
				for _, d := range filepath.SplitList(f.LoginPath) {
					if filepath.IsAbs(d) {
						g.statWithDir(filepath.Join(d, sb.envCommand))
					}
				}
			}
		}
	}
}

// What Debian cron gives every job of an account before the crontab's own
// NAME=value lines: HOME and LOGNAME from the account, PATH and SHELL as
// below. Those lines may replace HOME, PATH and SHELL, not LOGNAME.
const (
	CronPath  = "/usr/bin:/bin"
	CronShell = "/bin/sh"
)

// CronEnv is that environment for the account a.
func CronEnv(a Account) []string {
	return []string{"HOME=" + a.Home, "LOGNAME=" + a.Name, "PATH=" + CronPath, "SHELL=" + CronShell}
}

// cronPath is CronPath's directories.
var cronPath = filepath.SplitList(CronPath)

// Stat is what the rules know of path, read at the edge.
func Stat(path string) (File, bool) { return statFile(path) }

func statFile(p string) (File, bool) {
	fi, err := os.Stat(p)
	if err != nil {
		return File{}, false
	}
	st, _ := fi.Sys().(*syscall.Stat_t)
	if st == nil {
		return File{Mode: fi.Mode()}, true
	}
	return File{Mode: fi.Mode(), UID: int(st.Uid), GID: int(st.Gid), Dev: uint64(st.Dev), Ino: st.Ino}, true
}

// readProgram returns a program's first line and whether it carries
// SkeletonMarker. It reads at most the first 64 MiB, enough for any script
// or small binary, a block at a time.
func readProgram(path string) (firstLine string, skeleton bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	r := bufio.NewReaderSize(io.LimitReader(f, 64<<20), 64<<10)
	head, _ := r.Peek(256)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	firstLine = string(head)
	marker := []byte(SkeletonMarker)
	var tail []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		chunk := append(tail, buf[:n]...)
		if bytes.Contains(chunk, marker) {
			return firstLine, true
		}
		if k := len(marker) - 1; len(chunk) > k {
			tail = append(tail[:0], chunk[len(chunk)-k:]...)
		}
		if err != nil {
			return firstLine, false
		}
	}
}

// LookupSSD finds start-stop-daemon in the directories of pathEnv and then
// in /usr/sbin and /sbin, which a user's PATH often lacks. cron's own PATH
// (/usr/bin:/bin) never has it, so the crontab line must carry the full
// path found here.
func LookupSSD(pathEnv string) string {
	for _, d := range append(filepath.SplitList(pathEnv), "/usr/sbin", "/sbin") {
		if d == "" || !filepath.IsAbs(d) {
			continue // a relative PATH entry means nothing under cron
		}
		p := filepath.Join(d, "start-stop-daemon")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// ErrNoSSD means no start-stop-daemon executable was found.
var ErrNoSSD = errors.New("start-stop-daemon not found in PATH, /usr/sbin or /sbin (on Debian it is in the dpkg package: apt-get install dpkg)")

// shebang is a parsed #! line.
type shebang struct {
	interp string // the interpreter's path as written
	// envCommand is COMMAND of `#!/usr/bin/env [-S] COMMAND ...`: env
	// execs it, so the process takes its name, and env looks it up in the
	// PATH the program runs with.
	envCommand string
	cr         bool // the line ends in a carriage return
}

func parseShebang(line string) (shebang, bool) {
	if !strings.HasPrefix(line, "#!") {
		return shebang{}, false
	}
	line = strings.TrimSuffix(line[2:], "\n")
	var sb shebang
	if strings.HasSuffix(line, "\r") {
		sb.cr = true
		line = strings.TrimSuffix(line, "\r")
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return sb, true
	}
	sb.interp = fields[0]
	if filepath.Base(fields[0]) == "env" {
		for _, w := range fields[1:] {
			// Skip env's options (-S, -i) and VAR=value assignments:
			// the first plain word is the command.
			if strings.HasPrefix(w, "-") || strings.Contains(w, "=") {
				continue
			}
			sb.envCommand = w
			break
		}
	}
	return sb, true
}

// MadeByScaffold reports whether the file at path carries SkeletonMarker,
// reading it as Gather does.
func MadeByScaffold(path string) bool {
	_, skeleton := readProgram(path)
	return skeleton
}
