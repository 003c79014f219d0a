// Package templates embeds the files mkdaemon renders. It sits at the top of
// the repository, next to the files themselves, because go:embed cannot reach
// outside the directory of the package that embeds.
//
// skeleton/LANG/ holds the daemon skeletons of `mkdaemon scaffold`, written
// for text/template and rendered by internal/scaffold.
package templates

import "embed"

// FS holds skeleton/go, skeleton/perl, skeleton/php and skeleton/python.
//
//go:embed skeleton
var FS embed.FS
