// Package export renders a daemon's Spec for supervisors other than cron:
// a systemd user unit (systemd.go) and a Toolforge jobs.yaml entry
// (toolforge.go), which MergeJobs splices into an existing jobs.yaml without
// touching any other byte (merge.go).
//
// Both run the program in its foreground form (foreground.go): a skeleton
// made by `mkdaemon scaffold` gets --foreground, since under systemd's
// Type=exec and in a Kubernetes container the supervisor itself is what
// keeps the process alive.
//
// Rendering is pure; Write (write.go) is the one edge that touches files.
package export
