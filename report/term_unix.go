//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package report

import (
	"os"

	"golang.org/x/sys/unix"
)

// terminalWidth returns the columns of the terminal on f, or 0.
func terminalWidth(f *os.File) int {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlReadTermios)
	return err == nil
}
