package crontab

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
		if name, value, ok := Env(line); ok {
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
