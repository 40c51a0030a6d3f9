//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package term

import "os"

func Width(*os.File) int { return 0 }

func IsTerminal(*os.File) bool { return false }
