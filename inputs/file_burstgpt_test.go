package inputs

import (
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestBurstGPTTrace(t *testing.T) {
	const ms = time.Millisecond
	want := []traceTurn{{472, 5000 * ms, 18}, {1087, 45000 * ms, 251}, {417, 45500 * ms, 276}, {20, 47000 * ms, 1}}
	for _, kind := range []string{TypeBurstGPT, ""} { // explicit and inferred from .csv
		d := loadArgs(t, "testdata/burstgpt/trace.csv", kind)
		if !d.FixedSchedule {
			t.Fatal("a BurstGPT trace is a fixed schedule")
		}
		ids, turns := traceView(t, d)
		var got []traceTurn
		for _, id := range ids {
			if len(turns[id]) != 1 {
				t.Fatalf("session %s has %d turns; every row is a session of its own", id, len(turns[id]))
			}
			got = append(got, turns[id][0])
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %v\nwant %v", kind, got, want)
		}
	}
}

func TestBurstGPTTraceErrors(t *testing.T) {
	const header = "Timestamp,Model,Request tokens,Response tokens\n"
	cases := []struct{ body, want string }{
		{"Timestamp,Model,Request tokens\n1,x,2\n", `t.csv: missing column "Response tokens"`},
		{header + "1,x,2,3\nsoon,x,2,3\n", `t.csv:3: Timestamp "soon" is not a number of seconds`},
		{header + "1,x,2.5,3\n", `t.csv:2: Request tokens "2.5" is not a whole number`},
		{header + "1e300,x,2,3\n", `t.csv:2: Timestamp must be between 0 and 9223372036 s (2^63 ns), got 1e+300`},
		{header + "1,x,2\n", `t.csv:2: no Response tokens value`},
		{header + "1,x,0,3\n", `t.csv:2: input_length must be between 1 and`},
		{header, `t.csv: no rows after the header`},
		{"", `t.csv: empty file`},
		{header + "1,\"x,2,3\n", `t.csv: line 2: bad CSV`},
		// A huge field is quoted cut short, with its length: never 20 MB on one line.
		{header + "1,x,2," + strings.Repeat("9", 20<<20) + "\n",
			`t.csv:2: Response tokens "` + strings.Repeat("9", 100) + `…" (20971520 bytes) is not a whole number`},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "t.csv")
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		o := opts(t, "-m", "x", "--input-file", p)
		_, err := Build(o, nil, rand.New(rand.NewSource(1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || len(err.Error()) > 300 {
			t.Errorf("%q: error %.500v, want one short line with %q", quoted(c.body), err, c.want)
		}
	}
}
