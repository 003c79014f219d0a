package cli

import (
	"fmt"
	"os"
	"os/user"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/realtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run mkdaemon as a command inside its scripts,
// in a separate process, exactly as a user would.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mkdaemon": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI golden tests in testdata/script. Each script
// gets its own $WORK as HOME; no terminal is attached.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: updateGolden,
		Condition: func(cond string) (bool, error) {
			if cond == "real" {
				return realtest.Enabled(), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_STATE_HOME", "")
			env.Setenv("PATH", os.Getenv("PATH"))
			me, err := user.Current()
			if err != nil {
				return err
			}
			env.Setenv("USER", me.Username)
			return nil
		},
	})
}

// updateGolden rewrites the expected output in the scripts from what the
// commands print now (MKDAEMON_UPDATE_GOLDEN=1 go test ./internal/cli);
// review the diff before committing it.
var updateGolden = os.Getenv("MKDAEMON_UPDATE_GOLDEN") != ""
