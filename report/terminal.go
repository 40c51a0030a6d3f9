package report

import "os"

// IsTerminal reports whether f is a terminal (not merely a character device
// such as /dev/null).
func IsTerminal(f *os.File) bool { return isTerminal(f) }
