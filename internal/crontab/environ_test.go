package crontab

import (
	"reflect"
	"testing"
)

func TestEnvOfBlock(t *testing.T) {
	text := "A=1\n* * * * * x\nPATH=/opt/bin:/usr/bin:/bin\n# BEGIN mkdaemon bot\n*/5 * * * * y\n# END mkdaemon bot\nLATE=1\n"
	if got, want := EnvOfBlock(text, "bot"), []string{"A=1", "PATH=/opt/bin:/usr/bin:/bin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("above bot: %q, want %q", got, want)
	}
	if got, want := EnvOfBlock(text, "new"), []string{"A=1", "PATH=/opt/bin:/usr/bin:/bin", "LATE=1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("a new block: %q, want %q", got, want)
	}
}
