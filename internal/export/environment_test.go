package export

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/realtest"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestSystemdEnvironment(t *testing.T) {
	for _, tt := range []struct {
		name string
		s    spec.Spec
		want string
		err  string
	}{
		{"none", spec.Spec{}, "", ""},
		{"plain", spec.Spec{Env: []string{"LANG=C.UTF-8"}}, "Environment=LANG=C.UTF-8\n", ""},
		{"percent, dollar, quotes, space", spec.Spec{Env: []string{`W=50% $HOME "q" \`}}, `Environment="W=50%% $HOME \"q\" \\"` + "\n", ""},
		{"empty value", spec.Spec{Env: []string{"E="}}, "Environment=E=\n", ""},
		{"file", spec.Spec{EnvFile: "/home/me/bot 100%.env"}, "EnvironmentFile=/home/me/bot 100%%.env\n", ""},
		{"both, in order", spec.Spec{Env: []string{"A=1", "B=2"}, EnvFile: "/e"}, "Environment=A=1\nEnvironment=B=2\nEnvironmentFile=/e\n", ""},
		{"file ending in a space", spec.Spec{EnvFile: "/e "}, "", "ends with white space"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := systemdEnvironment(tt.s)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestToolforgeEnv(t *testing.T) {
	s := spec.Spec{Env: []string{"LANG=C", "BOT_TOKEN=x"}, EnvFile: "/e"}
	names := ToolforgeEnvNames(s, []string{"BOT_TOKEN", "DB_PASSWORD"})
	if want := []string{"BOT_TOKEN", "DB_PASSWORD", "LANG"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names %q, want %q", names, want)
	}
	text := ToolforgeEnvInstructions(names, "/e")
	for _, n := range names {
		if !strings.Contains(text, "toolforge envvars create "+n+"\n") {
			t.Errorf("no command for %s in\n%s", n, text)
		}
	}
	if strings.Contains(text, "=x") {
		t.Errorf("a value leaked into\n%s", text)
	}
	if ToolforgeEnvInstructions(nil, "") != "" {
		t.Error("instructions without an environment")
	}
	// The job itself carries no value.
	j, err := Toolforge(spec.Spec{Program: "/home/me/bot.py", Name: "bot.py", Mode: spec.ModeForeground, Env: s.Env, EnvFile: s.EnvFile}, ToolforgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	y, _ := JobsYAML(j)
	if strings.Contains(string(y), "BOT_TOKEN") || strings.Contains(string(y), "/e") {
		t.Errorf("jobs.yaml carries the environment:\n%s", y)
	}
}

// The unit with Environment= and EnvironmentFile= passes systemd-analyze
// verify (which does not read the env file itself: a missing one fails
// only when the unit starts).
func TestSystemdUnitWithEnvironmentVerifies(t *testing.T) {
	realtest.Need(t)
	dir := t.TempDir()
	prog := writeProgram(t, dir, "bot", "#!/bin/sh\nexec sleep 1000\n")
	envFile := filepath.Join(dir, "bot 100%.env")
	if err := os.WriteFile(envFile, []byte("BOT_TOKEN=abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := spec.Spec{Program: prog, Name: "bot", Pidfile: filepath.Join(dir, "bot.pid"), Mode: spec.ModeForeground,
		Env: []string{"LANG=C.UTF-8", `ODD=50% $HOME "q" \ ü`}, EnvFile: envFile}
	unit, err := Systemd(s, SystemdOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "EnvironmentFile=") {
		t.Fatalf("no EnvironmentFile= in\n%s", unit)
	}
	if msg := verifyUnit(t, dir, "bot.service", string(unit)); msg != "" {
		t.Fatal(msg)
	}
}
