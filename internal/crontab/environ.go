package crontab

import "strings"

// EnvSetting reads an environment line the way Debian cron's load_env
// does: NAME, optional blanks, `=`, optional blanks, and the value up to
// the end of the line without trailing blanks; a value wrapped in a pair of
// matching quotes (' or ") loses them. ok is false for job lines, comments
// and blank lines.
func EnvSetting(line string) (name, value string, ok bool) {
	s := strings.TrimLeft(line, " \t")
	if s == "" || s[0] == '#' || !isEnvLine(s) {
		return "", "", false
	}
	i := strings.IndexAny(s, "= \t")
	name = s[:i]
	rest := strings.TrimLeft(s[i:], " \t")
	value = strings.TrimRight(strings.TrimLeft(rest[1:], " \t"), " \t\r")
	if len(value) >= 2 && (value[0] == '\'' || value[0] == '"') && value[len(value)-1] == value[0] {
		value = value[1 : len(value)-1]
	}
	if len(name) >= 2 && (name[0] == '\'' || name[0] == '"') && name[len(name)-1] == name[0] {
		name = name[1 : len(name)-1]
	}
	return name, value, true
}

// EnvBefore returns the NAME=value settings of the lines of text before
// line number `before` (1-based; 0 or past the end means every line), in
// order: what cron adds to the environment of a job on that line. A later
// setting of a name replaces an earlier one when cron builds the
// environment; both are returned here.
func EnvBefore(text string, before int) []string {
	var env []string
	eachLine(text, func(n, _, _ int, line string) bool {
		if before > 0 && n >= before {
			return false
		}
		if name, value, ok := EnvSetting(line); ok {
			env = append(env, name+"="+value)
		}
		return true
	})
	return env
}

// EnvOfBlock returns the environment settings above the managed block
// name, or above the end of text when there is no such block (where a new
// block is appended).
func EnvOfBlock(text, name string) []string {
	blocks, err := Blocks(text)
	if err == nil {
		for _, b := range blocks {
			if b.Name == name {
				return EnvBefore(text, b.Start)
			}
		}
	}
	return EnvBefore(text, 0)
}
