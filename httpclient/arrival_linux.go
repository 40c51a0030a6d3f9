//go:build linux

package httpclient

import (
	"io"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stampReads turns on kernel receive stamps for a TCP connection and returns it
// wrapped so that each read keeps its stamp, or c itself (and nil) when the
// kernel will not stamp it.
func stampReads(c net.Conn) (net.Conn, *Arrival) {
	tcp, ok := c.(*net.TCPConn)
	if !ok {
		return c, nil
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return c, nil
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		return c, nil
	}
	s := &stampedConn{TCPConn: tcp, raw: raw, arrival: &Arrival{}}
	s.recv = s.recvmsg // bound once: Read passes it without allocating
	s.msg.Iov = &s.iov
	s.msg.SetIovlen(1)
	s.msg.Control = (*byte)(unsafe.Pointer(&s.oob[0]))
	return s, s.arrival
}

// stampedConn reads a TCP connection with recvmsg, keeping the kernel's
// receive stamp of each read in arrival. net/http reads a connection from one
// goroutine at a time, so the read state below is never shared.
type stampedConn struct {
	*net.TCPConn
	raw     syscall.RawConn
	arrival *Arrival
	recv    func(fd uintptr) bool

	msg   unix.Msghdr
	iov   unix.Iovec
	oob   [8]uint64 // control messages; uint64 keeps them aligned
	n     int
	errno syscall.Errno
	now   time.Time // taken right after the recvmsg that returned data
}

// Read reads like the TCP connection's own Read (waiting in Go's netpoller
// while the socket has nothing) and keeps the read's kernel stamp.
func (c *stampedConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c.iov.Base = &p[0]
	c.iov.SetLen(len(p))
	c.n, c.errno = 0, 0
	err := c.raw.Read(c.recv)
	c.iov.Base = nil // do not keep the caller's buffer alive
	if err == nil && c.errno != 0 {
		err = &net.OpError{Op: "read", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.NewSyscallError("recvmsg", c.errno)}
	}
	if err != nil {
		return 0, err
	}
	if c.n == 0 {
		return 0, io.EOF
	}
	if ns, ok := c.kernelStamp(); ok {
		c.arrival.Stamp(ns, c.now)
	} else {
		c.arrival.ns.Store(0)
	}
	return c.n, nil
}

// recvmsg is the raw read: false (wait for the socket to be readable, then
// call again) when it has nothing yet.
func (c *stampedConn) recvmsg(fd uintptr) bool {
	c.msg.SetControllen(len(c.oob) * 8)
	for {
		n, _, e := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&c.msg)), 0)
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		case 0:
			c.now = time.Now()
			c.n = int(n)
		default:
			c.errno = e
		}
		return true
	}
}

// kernelStamp finds the SCM_TIMESTAMPNS control message of the last read: the
// CLOCK_REALTIME stamp of the newest packet the read delivered bytes of.
func (c *stampedConn) kernelStamp() (int64, bool) {
	oob := unsafe.Slice((*byte)(unsafe.Pointer(&c.oob[0])), int(c.msg.Controllen))
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			return 0, false
		}
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && l >= unix.CmsgLen(int(unsafe.Sizeof(unix.Timespec{}))) {
			ts := (*unix.Timespec)(unsafe.Pointer(&oob[unix.CmsgLen(0)]))
			return ts.Nano(), true
		}
		next := unix.CmsgSpace(l - unix.CmsgLen(0))
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	return 0, false
}
