package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testEnv(t *testing.T, uid int) (Env, string) {
	t.Helper()
	home := t.TempDir()
	prog := filepath.Join(home, "bot.py")
	if err := os.WriteFile(prog, []byte("#!/usr/bin/python3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return Env{
		Getenv:  func(k string) string { return map[string]string{"XDG_STATE_HOME": "/xdg"}[k] },
		Cwd:     home,
		Current: Account{Name: "me", UID: uid, GID: uid, Home: home, Groups: []int{uid}},
		Lookup: func(name string) (Account, error) {
			if name == "other" {
				return Account{Name: "other", UID: 4242, GID: 4242, Home: "/home/other", Groups: []int{4242}}, nil
			}
			return Account{}, errors.New("unknown user")
		},
	}, prog
}

func specErr(t *testing.T, err error) *Error {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *spec.Error", err)
	}
	return se
}

func TestUserNeedsRoot(t *testing.T) {
	env, prog := testEnv(t, 1000)
	_, err := Resolve(Input{Program: prog, User: "other"}, env)
	if se := specErr(t, err); se.Flag != "--user" || !strings.Contains(se.Msg, "only root") {
		t.Errorf("non-root --user other: %v", err)
	}
	// Naming oneself is no escalation.
	if _, err := Resolve(Input{Program: prog, User: "me"}, env); err != nil {
		t.Errorf("--user me as me: %v", err)
	}
}

func TestUserDefaultsUseTheirHome(t *testing.T) {
	env, prog := testEnv(t, 0)
	r, err := Resolve(Input{Program: prog, User: "other"}, env)
	if err != nil {
		t.Fatal(err)
	}
	// Root's XDG_STATE_HOME is not the other user's.
	if r.StateDir != "/home/other/.local/state/mkdaemon" || r.Spec.Pidfile != "/home/other/.local/state/mkdaemon/bot.py.pid" {
		t.Errorf("state dir %q, pidfile %q", r.StateDir, r.Spec.Pidfile)
	}
	r, err = Resolve(Input{Program: prog}, env)
	if err != nil {
		t.Fatal(err)
	}
	if r.StateDir != "/xdg/mkdaemon" || !r.DefaultPidfile {
		t.Errorf("own state dir %q (default pidfile %v), want XDG_STATE_HOME's", r.StateDir, r.DefaultPidfile)
	}
}

func TestNULRefused(t *testing.T) {
	env, prog := testEnv(t, 0)
	for _, in := range []Input{{Program: prog, Args: []string{"a\x00b"}}, {Program: prog + "\x00"}, {Program: prog, Pidfile: "x\x00"}} {
		_, err := Resolve(in, env)
		if se := specErr(t, err); !strings.Contains(se.Msg, "a NUL byte") {
			t.Errorf("%+v: %v", in, err)
		}
	}
}

func TestProgramExecutableByTheTargetUser(t *testing.T) {
	env, prog := testEnv(t, 0)
	if err := os.Chmod(prog, 0o700); err != nil { // root's only
		t.Fatal(err)
	}
	_, err := Resolve(Input{Program: prog, User: "other"}, env)
	if se := specErr(t, err); se.Flag != "--program" || !strings.Contains(se.Msg, "not executable by other") {
		t.Errorf("a root-only program for another user: %v", err)
	}
}

func TestMay(t *testing.T) {
	u := Account{Name: "u", UID: 10, GID: 20, Groups: []int{20, 30}}
	root := Account{Name: "root"}
	tests := []struct {
		a          Account
		uid, gid   int
		mode, perm uint32
		want       bool
	}{
		{u, 10, 99, 0o700, 1, true},
		{u, 11, 30, 0o750, 5, true},
		{u, 11, 31, 0o750, 1, false},
		{u, 11, 31, 0o755, 1, true},
		{u, 10, 20, 0o077, 4, false}, // the owner bits decide for the owner
		{root, 10, 20, 0o600, 2, true},
		{root, 10, 20, 0o600, 1, false},
		{root, 10, 20, 0o100, 1, true},
	}
	for _, tt := range tests {
		if got := tt.a.may(tt.uid, tt.gid, tt.mode, tt.perm); got != tt.want {
			t.Errorf("%s may %o on %d:%d %o = %v", tt.a.Name, tt.perm, tt.uid, tt.gid, tt.mode, got)
		}
	}
}
