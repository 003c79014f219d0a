package spec

import "os"

// EnvOf is the Env of this process: the current account (with $HOME as its
// home, as the shell expands ~), the working directory and getenv.
func EnvOf(getenv func(string) string) (Env, error) {
	cur, err := CurrentAccount()
	if err != nil {
		return Env{}, err
	}
	if h := getenv("HOME"); h != "" {
		cur.Home = h
	}
	cwd, err := os.Getwd()
	if err != nil {
		return Env{}, err
	}
	return Env{Getenv: getenv, Cwd: cwd, Current: cur, Lookup: LookupAccount}, nil
}
