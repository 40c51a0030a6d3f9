package profile

import (
	"errors"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

func TestRefuseWithout(t *testing.T) {
	for _, c := range []struct {
		set  map[string]bool
		want string // the flag refused; "" for none
	}{
		{nil, ""},
		{map[string]bool{"other": true}, ""},
		{map[string]bool{"b": true}, "b"},
		{map[string]bool{"c": true, "b": true}, "b"},
	} {
		err := refuseWithout(c.set, "needs --on", "a", "b", "c")
		var oe *options.Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v, want no error", c.set, err)
		case c.want != "" && (!errors.As(err, &oe) || oe.Flag != c.want || oe.Msg != "needs --on"):
			t.Errorf("%v: %v, want --%s refused", c.set, err, c.want)
		}
	}
}
