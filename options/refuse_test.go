package options

import "testing"

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
		err := RefuseWithout(c.set, "needs --on", "a", "b", "c")
		oe, isError := err.(*Error)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v, want no error", c.set, err)
		case c.want != "" && (!isError || oe.Flag != c.want || oe.Msg != "needs --on"):
			t.Errorf("%v: %v, want --%s refused", c.set, err, c.want)
		}
	}
}
