package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/export"
	"github.com/mkdaemon/mkdaemon/internal/spec"
)

func TestExportRejectsBadInput(t *testing.T) {
	h := home(t)
	bots := filepath.Join(h, "bots")
	good := script(t, filepath.Join(bots, "bot.py"), "#!/usr/bin/python3\n", 0o755)
	units := filepath.Join(h, ".config", "systemd", "user")
	if err := os.MkdirAll(units, 0o755); err != nil {
		t.Fatal(err)
	}
	unit := script(t, filepath.Join(units, "bot.service"), "# the user's own unit\n", 0o644)
	jobs := script(t, filepath.Join(h, "jobs.yaml"), "- name: a\n- name: a\n", 0o644)
	quoted := script(t, filepath.Join(bots, `say "hi".py`), "#!/usr/bin/python3\n", 0o755)

	for _, tt := range []struct {
		name string
		args []string
		want string // in stderr, after "mkdaemon: error: "
	}{
		{"unknown format", []string{"--format", "docker", "--program", good}, "--format docker: is not a format mkdaemon exports to"},
		{"no format", []string{"--program", good}, "--format: is required"},
		{"invalid job name", []string{"--format", "toolforge", "--background", "--program", good, "--job-name", "Wiki_Bot"}, "--job-name Wiki_Bot: is not an RFC 1123 label"},
		{"job name too long", []string{"--format", "toolforge", "--background", "--program", good, "--job-name", strings.Repeat("a", 53)}, "is 53 characters; Toolforge allows at most 52"},
		{"out is a directory", []string{"--format", "systemd", "--program", good, "--out", units}, "--out " + units + ": is a directory"},
		{"out is a directory (toolforge)", []string{"--format", "toolforge", "--background", "--program", good, "--out", h}, "is a directory"},
		{"out in a missing directory", []string{"--format", "systemd", "--program", good, "--out", filepath.Join(h, "no", "bot.service")}, "does not exist"},
		{"existing unit without --force", []string{"--format", "systemd", "--program", good, "--out", unit}, "--out " + unit + ": already exists"},
		{"jobs.yaml that cannot be merged", []string{"--format", "toolforge", "--background", "--program", good, "--out", jobs}, "a second job named a"},
		{"daemonizing program on toolforge", []string{"--format", "toolforge", "--daemonizes", "--program", good}, "must stay in the foreground"},
		{"program systemd cannot run", []string{"--format", "systemd", "--program", quoted}, "systemd refuses quotes and backslashes"},
		{"--image with systemd", []string{"--format", "systemd", "--program", good, "--image", "bookworm"}, "--image only applies to --format toolforge"},
		{"--job-name with systemd", []string{"--format", "systemd", "--program", good, "--job-name", "x"}, "--job-name only applies to --format toolforge"},
		{"--force without --out", []string{"--format", "systemd", "--program", good, "--force"}, "--force only applies with --out"},
		{"--force with toolforge", []string{"--format", "toolforge", "--background", "--program", good, "--out", jobs, "--force"}, "--force does not apply to --format toolforge"},
		{"no program", []string{"--format", "systemd"}, "--program is required"},
		{"spec validation", []string{"--format", "systemd", "--program", good, "--name", "a-sixteen-chars!"}, "--name a-sixteen-chars!: is 16 bytes"},
		{"stray argument", []string{"--format", "systemd", "--program", good, "wiki"}, `unexpected argument "wiki"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			badInput(t, h, tt.want, append([]string{"export"}, tt.args...), [][]string{{}, {"--json"}})
		})
	}
}

// A failure to write is a runtime failure: exit 1.
func TestExportWriteFailureExits1(t *testing.T) {
	h := home(t)
	good := script(t, filepath.Join(h, "bots", "bot.py"), "#!/usr/bin/python3\n", 0o755)
	code, stdout, stderr := mkd(t, "export", "--format", "systemd", "--program", good, "--out", "/proc/mkdaemon-test.service")
	if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "mkdaemon: error: ") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, an error", code, stdout, stderr)
	}
}

func TestExportJSON(t *testing.T) {
	h := home(t)
	good := script(t, filepath.Join(h, "bots", "bot.py"), "#!/usr/bin/python3\n", 0o755)
	code, stdout, stderr := mkd(t, "export", "--json", "--format", "toolforge", "--background", "--program", good, "--", "--wiki", "en")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got struct {
		Format, Name, Path, Content, Instructions string
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if got.Format != "toolforge" || got.Name != "bot-py" || got.Path != "" ||
		!strings.Contains(got.Content, "command: "+good+" --wiki en\n") || !strings.Contains(got.Instructions, "toolforge jobs load") {
		t.Errorf("JSON: %+v", got)
	}

	out := filepath.Join(h, "jobs.yaml")
	code, stdout, _ = mkd(t, "export", "--json", "--format", "toolforge", "--background", "--program", good, "--out", out)
	if code != 0 || !strings.Contains(stdout, `"path": "`+out+`"`) {
		t.Errorf("exit %d, stdout %s", code, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "- name: bot-py\n") {
		t.Errorf("jobs.yaml: %q, %v", b, err)
	}
}

// The unit on stdout is exactly what export.Systemd renders for the
// resolved daemon: nothing else goes to stdout.
func TestExportStdoutIsPure(t *testing.T) {
	h := home(t)
	good := script(t, filepath.Join(h, "bots", "bot.py"), "#!/usr/bin/python3\n", 0o755)
	code, stdout, stderr := mkd(t, "export", "--format", "systemd", "--program", good, "--", "a b")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a := &app{getenv: os.Getenv}
	r, err := a.resolve(spec.Input{Program: good, Args: []string{"a b"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Spec.Log = "" // export leaves a default log to systemd
	want, err := export.Systemd(r.Spec, export.SystemdOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "systemctl --user enable --now bot.py.service") {
		t.Errorf("stderr lacks the instructions: %s", stderr)
	}
}
