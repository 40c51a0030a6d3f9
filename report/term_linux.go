//go:build linux

package report

import "golang.org/x/sys/unix"

const ioctlReadTermios = unix.TCGETS
