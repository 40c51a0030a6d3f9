package profile

import (
	"testing"
)

// AIPerf's request settings: its values are taken (the reuse strategy in any
// case), anything else exits 2 naming the flag.
func TestCheckTransport(t *testing.T) {
	cases := []struct {
		flag, value string
		bad         bool
		reuse       string
	}{
		{"connection-reuse-strategy", "never", false, "never"},
		{"connection-reuse-strategy", "Sticky-User-Sessions", false, "sticky-user-sessions"},
		{"connection-reuse-strategy", "pooled", false, "pooled"},
		{"connection-reuse-strategy", "sticky", true, ""},
		{"url-strategy", "round_robin", false, "pooled"},
		{"url-strategy", "random", true, ""},
		{"request-content-type", "application/vnd.x+json", false, "pooled"},
		{"request-content-type", "a\nb", true, ""},
		{"transport", "HTTP", false, "pooled"},
		{"transport", "vllm", true, ""},
		{"transport", "grpc", true, ""},
	}
	for _, c := range cases {
		fs, p := profileFlags(t)
		if err := fs.Set(c.flag, c.value); err != nil {
			t.Fatal(err)
		}
		err := checkTransport(p)
		switch {
		case c.bad && !namesFlag(err, c.flag):
			t.Errorf("--%s %q: got %v, want an error naming it", c.flag, c.value, err)
		case !c.bad && err != nil:
			t.Errorf("--%s %q: %v", c.flag, c.value, err)
		case !c.bad && p.ConnectionReuseStrategy != c.reuse:
			t.Errorf("--%s %q: strategy %q, want %q", c.flag, c.value, p.ConnectionReuseStrategy, c.reuse)
		}
	}
}
