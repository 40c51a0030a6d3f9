package record

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Responses are written as [offset_ns, kind] pairs and read back from that
// form and from the object form of earlier files; anything else is an error.
func TestResponsesJSON(t *testing.T) {
	rs := Responses{{Offset: 85 * time.Millisecond, Kind: Content}, {Offset: 105_000_001, Kind: Reasoning | Content}}
	b, err := json.Marshal(Record{Responses: rs})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"responses":[[85000000,1],[105000001,3]]`) {
		t.Errorf("written as %s", b)
	}
	cases := []struct {
		in   string
		want Responses
		err  bool
	}{
		{`[[85000000,1],[105000001,3]]`, rs, false},
		{`[{"offset_ns":85000000,"kind":1},{"offset_ns":105000001,"kind":3}]`, rs, false},
		{`null`, nil, false},
		{`[]`, Responses{}, false},
		{`[[1]]`, nil, true},
		{`[[1,2,3]]`, nil, true},
		{`[[1,256]]`, nil, true},
		{`[["a",1]]`, nil, true},
		{`{}`, nil, true},
	}
	for _, c := range cases {
		var got Responses
		err := json.Unmarshal([]byte(c.in), &got)
		if (err != nil) != c.err || (!c.err && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("%s: %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
	}
	var none Record
	if b, _ := json.Marshal(none); !strings.Contains(string(b), `"responses":null`) {
		t.Errorf("no responses written as %s", b)
	}
}
