//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package report

import "os"

func terminalWidth(*os.File) int { return 0 }

func isTerminal(*os.File) bool { return false }
