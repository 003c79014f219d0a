package spec

// AbsPath is a path as Resolve reads it: a leading ~ is the current user's
// home, and a relative path is taken from the working directory. The
// wizard needs it to tell a program that does not exist yet (and could be
// scaffolded there) from one that Resolve refuses for another reason.
func AbsPath(p string, env Env) string { return absPath(p, env) }
