package options

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// FuzzLoadEnv sets one AIPERF_* variable to an arbitrary value: LoadEnv never
// panics, and a bad value gives one line naming the variable.
func FuzzLoadEnv(f *testing.F) {
	f.Add(uint8(0), "m1,m2")
	f.Add(uint8(12), "abc")
	f.Add(uint8(25), "1e999")
	f.Add(uint8(40), "-0x10")
	f.Add(uint8(7), "{\"a\":1},b")
	f.Add(uint8(3), "tru\ne")
	names := EnvNames(&Options{}, &Profile{}, &Serve{}, &Mock{})
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		if strings.ContainsRune(value, 0) {
			t.Skip("environment values cannot hold NUL")
		}
		name := names[int(which)%len(names)]
		t.Setenv(name, value)
		var o Options
		var p Profile
		var s Serve
		var m Mock
		err := LoadEnv(&o, &p, &s, &m)
		if err == nil {
			return
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.Contains(msg, name) {
			t.Fatalf("%s=%q: error %q is not one line naming the variable", name, value, msg)
		}
	})
}

// FuzzFlags parses arbitrary arguments as `profile` does: parsing and validation
// never panic and every error is one line.
func FuzzFlags(f *testing.F) {
	f.Add("--model m --streaming --concurrency 4")
	f.Add("--url=a,b,,c -H X:y --extra-inputs {\"k\":[1,2]} --audio-depths 8,16,99")
	f.Add("--request-rate -1 --audio-sample-rates 0 --goodput x:y")
	f.Add("--model m --benchmark-duration 1e308 --request-count 9223372036854775807")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		var o Options
		var p Profile
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		for _, ptr := range []any{&o, &p} {
			if err := Register(fs, ptr); err != nil {
				t.Fatal(err)
			}
		}
		err := fs.Parse(args)
		if err == nil {
			err = o.Validate()
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("%q: error is not one line: %q", args, err.Error())
		}
		_ = EchoCommand(args)
	})
}

// FuzzEchoRedactsKey gives an arbitrary API key each way the command line takes
// one: the `CLI Command:` echo never shows it.
func FuzzEchoRedactsKey(f *testing.F) {
	f.Add("sk-abcdef123456", uint8(0))
	f.Add("k=ey:with'quote", uint8(1))
	f.Add("--looks-like-a-flag", uint8(2))
	f.Add("sp ace s", uint8(3))
	f.Fuzz(func(t *testing.T, key string, form uint8) {
		fixed := []string{"--model", "m", "--streaming", "--url", "localhost:8000"}
		if len(key) < 6 || strings.Contains(EchoCommand(fixed)+"'<redacted>' Authorization:<redacted>", key) {
			t.Skip("too short to be told from the rest of the line")
		}
		var given []string
		switch form % 4 {
		case 0:
			given = []string{"--api-key", key}
		case 1:
			given = []string{"--api-key=" + key}
		case 2:
			given = []string{"-H", "Authorization: Bearer " + key}
		case 3:
			given = []string{"--header=Authorization: Bearer " + key}
		}
		echo := EchoCommand(append(append([]string{}, fixed...), given...))
		if strings.Contains(echo, key) || strings.Contains(echo, quote(key)) {
			t.Fatalf("the key %q shows in the echo: %s", key, echo)
		}
	})
}
