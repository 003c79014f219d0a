package spec

import (
	"bufio"
	"io"
	"os"
	"strings"
	"syscall"
)

// readEnvNames returns the variable names an env file sets, for Gather. It
// opens the file without blocking (a FIFO cannot hang it) and reads at most
// 64 KiB; the values are not kept.
func readEnvNames(path string) []string {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	var names []string
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		if name, ok := EnvFileLine(sc.Text()); ok {
			names = append(names, name)
		}
	}
	return names
}

// EnvFileLine returns the name a line of an env file sets. The file holds
// NAME=value lines that both sh (`. FILE`, which the crontab line runs) and
// systemd's EnvironmentFile= read alike; blank lines and lines starting
// with # are skipped.
func EnvFileLine(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return "", false
	}
	name, _, ok := strings.Cut(line, "=")
	if !ok || !ValidEnvName(name) {
		return "", false
	}
	return name, true
}

// ValidEnvName reports whether name can be a variable of sh and systemd:
// a letter or _, then letters, digits and _.
func ValidEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
