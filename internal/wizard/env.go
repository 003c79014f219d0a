package wizard

import (
	"strings"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// askEnv asks for the variables the program needs beyond cron's few, as
// --env gives them: they are written into the crontab, so a secret is
// better kept in the env file asked for next.
func (s *session) askEnv() error {
	if s.given("env") {
		return nil
	}
	home := s.w.Env.Current.Home
	ans, err := s.w.Prompter.Input(Input{
		Name:    "env",
		Message: "Variables the program needs, as NAME=value (cron gives it only HOME, LOGNAME, PATH and SHELL; Enter for none):",
		Help: "Quote as in a shell: LANG=C.UTF-8 WIKI='en wiki'. These go into the crontab, where `crontab -l` shows them: " +
			"put tokens and passwords in an env file instead (the next question).",
		Validate: func(a string) error {
			in := s.in
			env, err := SplitArgs(a, home)
			if err != nil {
				return err
			}
			in.Env = env
			return s.problem(in, "env")
		},
	})
	if err != nil {
		return err
	}
	if s.in.Env, err = SplitArgs(ans, home); err != nil {
		return err
	}
	for _, e := range s.in.Env {
		if name, _, _ := strings.Cut(e, "="); spec.LooksSecret(name) {
			s.say("  %s looks like a secret: it will be readable in the crontab; an env file keeps it out", name)
		}
	}
	return s.settle()
}

// askEnvFile offers a file of NAME=value lines, read at every start and
// never copied into the crontab: the place for secrets.
func (s *session) askEnvFile() error {
	if s.given("env-file") {
		return nil
	}
	ans, err := s.w.Prompter.Input(Input{
		Name:     "env-file",
		Message:  "Env file with its secrets, NAME=value lines read at every start (Enter for none):",
		Help:     "The file stays out of the crontab; only you may read it (chmod 600). Create it with: install -m 600 /dev/null ~/bots/mybot.env",
		Complete: s.completePath,
		Validate: func(a string) error {
			in := s.in
			in.EnvFile = strings.TrimSpace(a)
			return s.problem(in, "env-file")
		},
	})
	if err != nil {
		return err
	}
	s.in.EnvFile = strings.TrimSpace(ans)
	return s.settle()
}
