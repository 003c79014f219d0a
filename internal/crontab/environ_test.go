package crontab

import (
	"reflect"
	"testing"
)

func TestEnvSetting(t *testing.T) {
	for _, tt := range []struct {
		line, name, value string
		ok                bool
	}{
		{"BOT_TOKEN=abc", "BOT_TOKEN", "abc", true},
		{"  PATH = /home/u/bin:/usr/bin:/bin  ", "PATH", "/home/u/bin:/usr/bin:/bin", true},
		{`MAILTO=""`, "MAILTO", "", true},
		{`A='x y'`, "A", "x y", true},
		{`A="x y'`, "A", `"x y'`, true},
		{"A=b c", "A", "b c", true},
		{"SHELL=/bin/bash", "SHELL", "/bin/bash", true},
		{"* * * * * A=b cmd", "", "", false},
		{"# A=b", "", "", false},
		{"", "", "", false},
		{"@reboot cmd", "", "", false},
	} {
		name, value, ok := EnvSetting(tt.line)
		if name != tt.name || value != tt.value || ok != tt.ok {
			t.Errorf("EnvSetting(%q) = %q, %q, %v; want %q, %q, %v", tt.line, name, value, ok, tt.name, tt.value, tt.ok)
		}
	}
}

func TestEnvOfBlock(t *testing.T) {
	text := "A=1\n* * * * * x\nPATH=/opt/bin:/usr/bin:/bin\n# BEGIN mkdaemon bot\n*/5 * * * * y\n# END mkdaemon bot\nLATE=1\n"
	if got, want := EnvOfBlock(text, "bot"), []string{"A=1", "PATH=/opt/bin:/usr/bin:/bin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("above bot: %q, want %q", got, want)
	}
	if got, want := EnvOfBlock(text, "new"), []string{"A=1", "PATH=/opt/bin:/usr/bin:/bin", "LATE=1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("a new block: %q, want %q", got, want)
	}
}
