package crontab

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// limitCases straddle each limit of Debian's crontab.
func limitCases() map[string]string {
	cmd := func(n int) string { return strings.Repeat("a", n) }
	lines := func(n int, last string) string { return strings.Repeat("# x\n", n) + last }
	return map[string]string{
		"command 998":                 "* * * * * " + cmd(998) + "\n",
		"command 999":                 "* * * * * " + cmd(999) + "\n",
		"command 997 + 2 blanks":      "* * * * *\t" + cmd(997) + "  \n",
		"descriptor command 998":      "@daily   " + cmd(998) + "\n",
		"descriptor command 999":      "@daily " + cmd(999) + "\n",
		"indented job 999":            "  0 0 * * *   " + cmd(999) + "\n",
		"long comment":                "# " + cmd(3000) + "\n",
		"long env line":               "X=" + cmd(990) + "\n",
		"10000 lines":                 lines(10000, ""),
		"10001 lines":                 lines(10001, ""),
		"job without final newline":   "0 0 * * * /bin/true",
		"10000 lines + unfinished":    lines(10000, "# unfinished"),
		"empty":                       "",
		"job then env-looking job":    "0 0 * * * A=b /bin/true\n",
		"env with blanks around =":    "  NAME = value\n",
		"job line with = in field 2+": "0 0 * * * x=" + cmd(997) + "\n",
	}
}

// TestLimitsAgreeWithCrontab runs Debian's `crontab -n`, which checks a file
// without installing it, on each case: CheckLimits must refuse exactly
// what crontab refuses (for these cases, where no field is bad), except
// the comment-only last line without newline, which crontab lets through
// and mkdaemon never writes.
func TestLimitsAgreeWithCrontab(t *testing.T) {
	bin, err := exec.LookPath("crontab")
	if err != nil {
		t.Skip("no crontab binary (apt-get install cron)")
	}
	dir := t.TempDir()
	for name, text := range limitCases() {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "-n", file).CombinedOutput()
			crontabOK := err == nil
			ours := CheckLimits(text)
			if name == "10000 lines + unfinished" {
				if !crontabOK || ours == nil {
					t.Fatalf("crontab ok=%v, CheckLimits=%v; want crontab to accept and mkdaemon to refuse the missing newline", crontabOK, ours)
				}
				return
			}
			if crontabOK != (ours == nil) {
				t.Fatalf("crontab -n: ok=%v %s; CheckLimits: %v", crontabOK, out, ours)
			}
			var le *LimitError
			if ours != nil && !errors.As(ours, &le) {
				t.Fatalf("CheckLimits returned %T, want *LimitError", ours)
			}
		})
	}
}

func TestCheckLimitsNamesTheLine(t *testing.T) {
	text := "# one\n@daily " + strings.Repeat("b", 1200) + "\n"
	err := CheckLimits(text)
	var le *LimitError
	if !errors.As(err, &le) || le.Line != 2 || !strings.Contains(err.Error(), "1200 bytes") {
		t.Fatalf("CheckLimits = %v, want line 2 and the length", err)
	}
}
