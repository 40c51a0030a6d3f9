// Package boundedfile reads a file named by a user (a flag, a config key, an
// input file's line) with a bound on its size, so a path to a device such as
// /dev/zero, or a huge file given by mistake, is one clear error instead of a
// hang or an out-of-memory crash.
package boundedfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Read returns the content of the regular file at path, refusing one larger
// than limit bytes. Errors never name the path, so callers name it once as
// they name the file (errors.Is(err, fs.ErrNotExist) still holds), and never
// show the content.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, withoutPath(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, withoutPath(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", kind(st.Mode()))
	}
	tooBig := fmt.Errorf("larger than the limit of %s", Size(limit))
	if st.Size() > limit {
		return nil, tooBig
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, withoutPath(err)
	}
	if int64(len(data)) > limit { // it grew while we read
		return nil, tooBig
	}
	return data, nil
}

// kind names what a file that is not a regular one is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// withoutPath drops the path an *fs.PathError adds ("open /x: no such file").
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Size writes a limit in the largest binary unit that divides it.
func Size(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
