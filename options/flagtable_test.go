package options

import (
	"bufio"
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// Every `aiperf profile` flag and alias of AIPerf's CLI reference (the list in
// testdata names its sources) is in our flag table, so an AIPerf command line
// never fails here on a flag name.
func TestFlagTableHasEveryAIPerfProfileFlag(t *testing.T) {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, p := range []any{&Options{}, &Profile{}} {
		if err := Register(fs, p); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("testdata/aiperf_profile_flags.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		if fs.Lookup(strings.TrimLeft(line, "-")) == nil {
			t.Errorf("AIPerf's %s is not in our flag table", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d flags listed: the list is incomplete", n)
	}
}
