package inputs

import (
	"strings"
	"testing"
)

func TestParseExtraInputs(t *testing.T) {
	cases := []struct {
		in      []string
		want    string // fields rendered key=value, space separated
		wantErr string
	}{
		{[]string{"min_tokens:5", "ignore_eos:true", "temperature:0.7", "name:qwen", "stop:null"},
			`min_tokens=5 ignore_eos=true temperature=0.7 name="qwen" stop=null`, ""},
		{[]string{"n:007", "x:+3", "f:1.50", "s:NaN", "h:0x10", "e:1e3"}, `n=7 x=3 f=1.5 s="NaN" h="0x10" e=1000`, ""},
		{[]string{"url:http://a:1/b"}, `url="http://a:1/b"`, ""},
		{[]string{`stop:["a", "b"]`, "empty:"}, `stop=["a","b"] empty=""`, ""},
		{[]string{`{"a": 1, "b": {"c": [true]}}`, "a:2"}, `a=2 b={"c":[true]}`, ""},
		{[]string{"a:1", "a:x"}, `a="x"`, ""},
		{[]string{"novalue"}, "", "--extra-inputs (AIPERF_EXTRA_INPUTS): \"novalue\" is not 'key:value'"},
		{[]string{":v"}, "", "--extra-inputs"},
		{[]string{`{"a":`}, "", "is not a JSON object"},
		{[]string{`{"a":1} trailing`}, "", "is not a JSON object"},
	}
	for _, c := range cases {
		fs, err := parseExtraInputs(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		var parts []string
		for _, f := range fs {
			parts = append(parts, f.Key+"="+string(f.Value))
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
