//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package report

import "golang.org/x/sys/unix"

const ioctlReadTermios = unix.TIOCGETA
