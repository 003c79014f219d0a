package export

import (
	"fmt"
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// systemdEnvironment writes the program's environment as unit settings:
// one Environment= per --env variable, and EnvironmentFile= for --env-file,
// which systemd reads at every start as cron's sh does. A missing file
// fails the start under both (no "-" prefix). Environment= takes quotes,
// C escapes and specifiers but expands no $, so a value is written as one
// quoted word with % doubled and $ as it is.
func systemdEnvironment(s spec.Spec) (string, error) {
	var b strings.Builder
	for _, e := range s.Env {
		if strings.IndexByte(e, 0) >= 0 {
			return "", &spec.Error{Flag: "--env", Value: e, Msg: "contains a NUL byte, which no unit file can carry"}
		}
		fmt.Fprintf(&b, "Environment=%s\n", quoteExecWord(e, false))
	}
	if s.EnvFile != "" {
		p, err := unitPath("--env-file", s.EnvFile)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "EnvironmentFile=%s\n", p)
	}
	return b.String(), nil
}

// ToolforgeEnvNames are the variables a Toolforge tool must create with
// `toolforge envvars create NAME` for the job to get the daemon's
// environment: every --env name and every name the env file sets
// (fileNames, read by the caller). jobs.yaml has no place for them, and a
// secret does not belong in it anyway: Toolforge keeps envvars as
// Kubernetes secrets and gives them to every job of the tool.
func ToolforgeEnvNames(s spec.Spec, fileNames []string) []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range fileNames {
		add(n)
	}
	for _, e := range s.Env {
		n, _, _ := strings.Cut(e, "=")
		add(n)
	}
	return names
}

// ToolforgeEnvInstructions says how to create the variables on Toolforge:
// `toolforge envvars create NAME` asks for the value, so it never lands in
// the shell's history.
func ToolforgeEnvInstructions(names []string, envFile string) string {
	if len(names) == 0 && envFile == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("The job gets its environment from the tool's envvars, not from jobs.yaml (the values stay out of it). Create them once, as the tool; each command asks for the value:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  toolforge envvars create %s\n", n)
	}
	if envFile != "" && len(names) == 0 {
		fmt.Fprintf(&b, "  (%s sets no NAME=value line mkdaemon could read: create one envvar for each variable it sets)\n", envFile)
	}
	return b.String()
}
