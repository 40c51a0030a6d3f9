package testkit

import (
	"io"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// A reader that opens the pipe gets an empty file rather than waiting; a
// test that never opens it ends without a goroutine left waiting.
func TestNamedPipe(t *testing.T) {
	defer NoLeaks(t, goleak.IgnoreCurrent())
	t.Run("opened", func(t *testing.T) {
		p := NamedPipe(t)
		st, err := os.Stat(p)
		if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("stat %v, %v; want a named pipe", st, err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if b, err := io.ReadAll(f); err != nil || len(b) != 0 {
			t.Errorf("read %q, %v; want an empty file", b, err)
		}
	})
	t.Run("never opened", func(t *testing.T) { NamedPipe(t) })
}
