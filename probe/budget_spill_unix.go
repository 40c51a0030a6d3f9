//go:build unix

package probe

import "syscall"

// mapBuffer returns n bytes of private anonymous memory, untouched (no RSS
// until written), or nil when the kernel refuses.
func mapBuffer(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b
}

// unmapBuffer gives b's pages back to the kernel at once.
func unmapBuffer(b []byte) { _ = syscall.Munmap(b) }
