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
	f, _, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, withoutPath(err)
	}
	if int64(len(data)) > limit { // it grew while we read
		return nil, tooBig(limit)
	}
	return data, nil
}

// ErrTooBig is wrapped by the error for a file larger than its limit, so a
// caller tells that refusal from the others with errors.Is.
var ErrTooBig = errors.New("larger than the limit")

func tooBig(limit int64) error { return fmt.Errorf("%w of %s", ErrTooBig, Size(limit)) }

// Open opens the regular file at path for a reader that seeks (Parquet),
// refusing one larger than limit bytes; it returns the file and its size.
// Errors are as Read's.
func Open(path string, limit int64) (*os.File, int64, error) {
	// Stat first: opening a named pipe waits for a writer, maybe forever.
	if st, err := os.Stat(path); err != nil {
		return nil, 0, withoutPath(err)
	} else if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("not a regular file (%s)", kind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, withoutPath(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, withoutPath(err)
	}
	if !st.Mode().IsRegular() { // replaced since the first look
		f.Close()
		return nil, 0, fmt.Errorf("not a regular file (%s)", kind(st.Mode()))
	}
	if st.Size() > limit {
		f.Close()
		return nil, 0, tooBig(limit)
	}
	return f, st.Size(), nil
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
