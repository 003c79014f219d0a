package wizard

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxSuggestions keeps a Tab on a huge directory from flooding the screen.
const maxSuggestions = 50

// CompletePath returns the files and directories whose path starts with
// typed, written the way the user typed it (a leading ~/ stays), with a
// trailing / on directories so that the next Tab goes inside. Hidden files
// are offered only once their leading dot has been typed.
func CompletePath(typed, home, cwd string) []string {
	dirPart, base := filepath.Split(typed)
	dir := dirPart
	switch {
	case typed == "~":
		return []string{"~/"}
	case strings.HasPrefix(dir, "~/"):
		dir = filepath.Join(home, dir[2:])
	case dir == "":
		dir = cwd
	case !filepath.IsAbs(dir):
		dir = filepath.Join(cwd, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		s := dirPart + name
		if isDir(filepath.Join(dir, name), e) {
			s += "/"
		}
		out = append(out, s)
		if len(out) == maxSuggestions {
			break
		}
	}
	sort.Strings(out)
	return out
}

// isDir follows symbolic links, so a link to a directory completes like one.
func isDir(path string, e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&os.ModeSymlink == 0 {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
