package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckNameComparesTheInterpreter: `mkdaemon check NAME` on an
// installed `#!/usr/bin/env python3` bot, run by its owner from a shell
// whose PATH starts with a virtualenv, warns that cron runs another python.
func TestCheckNameComparesTheInterpreter(t *testing.T) {
	bin := wizBinary(t)
	u := newWizUser(t)
	venv := filepath.Join(u.Home, "venv")
	if out, err := exec.Command("/usr/bin/python3", "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Fatalf("python3 -m venv (Debian package python3-venv): %v\n%s", err, out)
	}
	if out, err := exec.Command("chown", "-R", u.Name+":", venv).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v\n%s", err, out)
	}
	prog := u.file(t, "envbot.py", "#!/usr/bin/env python3\nimport time\nwhile True:\n    time.sleep(60)\n", 0o755)
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = u.Home
		cmd.Env = []string{"HOME=" + u.Home, "USER=" + u.Name, "LOGNAME=" + u.Name,
			"PATH=" + filepath.Join(venv, "bin") + ":/usr/bin:/bin:/usr/sbin:/sbin"}
		cmd.SysProcAttr = u.Credential()
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := run("--program", prog, "--no-start", "--yes"); code != 0 {
		t.Fatalf("install: exit %d\n%s", code, out)
	}
	_, out := run("check", "python3", "--stop")
	if want := "runs /usr/bin/python3, but your shell's PATH gives " + filepath.Join(venv, "bin", "python3"); !strings.Contains(out, want) {
		t.Errorf("check NAME does not warn %q:\n%s", want, out)
	}
}
