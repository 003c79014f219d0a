package crontab

import (
	"strings"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/schedule"
)

func TestUnescapeIsCronsReading(t *testing.T) {
	tests := []struct{ field, cmd, stdin string }{
		{`echo a`, `echo a`, ``},
		{`date +\%s`, `date +%s`, ``},
		{`cat%line1%line2`, `cat`, "line1\nline2\n"},
		{`a\b`, `a\b`, ``},
		{`a\\%b`, `a\\`, "b\n"},
		{`a\\\%b`, `a\\%b`, ``},
	}
	for _, tt := range tests {
		cmd, stdin := Unescape(tt.field)
		if cmd != tt.cmd || stdin != tt.stdin {
			t.Errorf("Unescape(%q) = %q, %q; want %q, %q", tt.field, cmd, stdin, tt.cmd, tt.stdin)
		}
	}
}

func TestLines(t *testing.T) {
	s, _ := schedule.Parse("30m")
	lines, err := Lines(s, true, `/x --start 'a%b'`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`*/30 * * * * /x --start 'a\%b'`, `@reboot /x --start 'a\%b'`}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("Lines = %q, want %q", lines, want)
	}
	r, _ := schedule.Parse("@reboot")
	if lines, _ := Lines(r, true, "/x"); len(lines) != 1 {
		t.Errorf("@reboot with at-boot gave %d lines, want 1", len(lines))
	}
	long := "/x " + strings.Repeat("%", 500) // 3 + 1000 bytes once escaped
	if _, err := Lines(s, false, long); err == nil {
		t.Errorf("a %d-byte command field was accepted", len(Escape(long)))
	} else if tl := err.(*CommandTooLongError); tl.Len != 1003 {
		t.Errorf("CommandTooLongError.Len = %d, want 1003", tl.Len)
	}
	if _, err := Lines(s, false, strings.Repeat("x", MaxCommand)); err != nil {
		t.Errorf("a command of exactly %d bytes was refused: %v", MaxCommand, err)
	}
}
