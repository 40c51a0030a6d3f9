package profile

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// profileFlags registers a fresh options.Profile, every setting at its default.
func profileFlags(t *testing.T) (*flag.FlagSet, *options.Profile) {
	t.Helper()
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := &options.Profile{}
	if err := options.Register(fs, p); err != nil {
		t.Fatal(err)
	}
	return fs, p
}

// parsedProfile is the profile the flags args give.
func parsedProfile(t *testing.T, args ...string) *options.Profile {
	t.Helper()
	fs, p := profileFlags(t)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return p
}

// namesFlag tells whether err is an options.Error naming flag.
func namesFlag(err error, flag string) bool {
	var oe *options.Error
	return errors.As(err, &oe) && oe.Flag == flag
}

// Every AIPerf flag whose help says "not yet supported" is accepted at its
// default and refused, naming itself, at any other value: a flag added to
// options.Profile without its row in notYetSupported fails here.
func TestNotYetSupportedRefusesEveryListedFlagOffItsDefault(t *testing.T) {
	fs, p := profileFlags(t)
	if err := notYetSupported(p); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(f.Usage, "not yet supported") {
			return
		}
		n++
		fs, p := profileFlags(t)
		value := "7" // no such flag defaults to 7; a bool is set to true
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			value = "true"
		}
		if err := fs.Set(f.Name, value); err != nil {
			t.Fatalf("--%s %s: %v", f.Name, value, err)
		}
		var oe *options.Error
		err := notYetSupported(p)
		if !errors.As(err, &oe) || oe.Flag != f.Name || !strings.Contains(oe.Msg, "not yet supported") {
			t.Errorf("--%s %s: got %v, want it refused as not yet supported", f.Name, value, err)
		}
	})
	// Both ways round: a row whose flag's help no longer says so is stale.
	if rows := len(refusals(p)); n != rows {
		t.Errorf("%d flags say they are not yet supported, notYetSupported has %d rows", n, rows)
	}
}
