package crontab

// MakeDir creates dir and its missing parents with mode 0700, with the
// same care as the state directory: for another account (uid >= 0) every
// component below home must be a real directory owned by uid or root, and
// the ones created are given to uid:gid. mkdaemon check uses it for the
// default pidfile's directory, which install would otherwise create.
func MakeDir(dir, home string, uid, gid int) error {
	return makeDir(dir, home, uid, gid)
}
