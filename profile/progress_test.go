package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The live line counts finished requests and errors of the total ("?" when
// the total is unknown) and ends with a newline when the run stops.
func TestProgressLine(t *testing.T) {
	cases := []struct {
		name      string
		total     int
		ok, errs  int
		wantFinal string // regexp of the last line
	}{
		{"count run", 5, 3, 1, `\rrequests 4/5  errors 1  elapsed \d+\.\ds \n$`},
		{"duration run", 0, 2, 0, `\rrequests 2/\?  errors 0  elapsed \d+\.\ds \n$`},
		{"nothing finished", 3, 0, 0, `\rrequests 0/3  errors 0  elapsed \d+\.\ds \n$`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			p := &progress{w: &b, total: c.total, on: true}
			p.start()
			for i := 0; i < c.ok; i++ {
				p.done(true)
			}
			for i := 0; i < c.errs; i++ {
				p.done(false)
			}
			p.stop()
			if !regexp.MustCompile(c.wantFinal).Match(b.Bytes()) {
				t.Errorf("progress output %q does not end like %q", b.String(), c.wantFinal)
			}
		})
	}
}

// Off (not a terminal), the progress line writes nothing at all.
func TestProgressSilentUnlessTerminal(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var buf bytes.Buffer
	for name, p := range map[string]*progress{
		"buffer": newProgress(&buf, 4), "regular file": newProgress(file, 4), "/dev/null": newProgress(devNull, 4),
	} {
		if p.on {
			t.Errorf("%s: progress on, want off", name)
		}
		p.start()
		p.done(true)
		p.stop()
	}
	if st, _ := file.Stat(); buf.Len() != 0 || st.Size() != 0 {
		t.Errorf("progress wrote %d bytes to a buffer and %d to a file", buf.Len(), st.Size())
	}
}
