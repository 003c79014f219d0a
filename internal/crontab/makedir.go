package crontab

import "github.com/mkdaemon/mkdaemon/internal/homefs"

// MakeDir creates dir and its missing parents with mode 0700, with the
// same care as the state directory: for another account (uid >= 0) every
// component below home is opened with O_NOFOLLOW from its parent's
// descriptor and must be a real directory owned by uid or root, and the
// ones created are given to uid:gid. mkdaemon check uses it for the
// default pidfile's directory, which install would otherwise create.
func MakeDir(dir, home string, uid, gid int) error {
	o := homefs.Self
	if uid >= 0 {
		o = homefs.Owner{UID: uid, GID: gid, Home: home}
	}
	d, err := makeDir(dir, o)
	if err != nil {
		return err
	}
	return d.Close()
}
