package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// twoSlices are two 1 s slices: the three requests, then one alone.
func twoSlices(t *testing.T) []*metrics.Result {
	sl := metrics.NewSlices(1e9, metrics.AggregateOptions{})
	defer sl.Close()
	for _, r := range threeRequests() {
		sl.Add(r)
	}
	sl.Add(streamRec("d", 0, t0+1e9, 550, 3, 90, 110, 130))
	got, err := sl.Results()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTimeslicesExports(t *testing.T) {
	dir := t.TempDir()
	csvPath, jsonPath, err := WriteTimeslices(dir, twoSlices(t), RunInfo{InputConfig: json.RawMessage(`{"output":{"slice_duration":1}}`)})
	if err != nil {
		t.Fatal(err)
	}

	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "Timeslice,Metric,Unit,Stat,Value\r\n") {
		t.Fatalf("CSV header: %q", strings.SplitN(string(b), "\n", 2)[0])
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"0/Request Count/requests/avg":        "3",
		"1/Request Count/requests/avg":        "1",
		"0/Time to First Token/ms/p50":        "85.99",
		"1/Time to First Token/ms/max":        "90.00",
		"0/Time to First Token/ms/avg":        "102.36",
		"1/Output Sequence Length/tokens/sum": "3.00",
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if len(r) != 5 {
			t.Fatalf("row %v", r)
		}
		if r[0] != "0" && r[0] != "1" {
			t.Errorf("timeslice %q", r[0])
		}
		key := strings.Join(r[:4], "/")
		if seen[key] {
			t.Errorf("row %s twice", key)
		}
		seen[key] = true
		if v, ok := want[key]; ok && r[4] != v {
			t.Errorf("%s = %s, want %s", key, r[4], v)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("no row %s", k)
		}
	}

	var doc struct {
		Timeslices []map[string]json.RawMessage `json:"timeslices"`
		Input      map[string]any               `json:"input_config"`
	}
	b, err = os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Timeslices) != 2 || doc.Input["output"] == nil {
		t.Fatalf("JSON: %d slices, input_config %v", len(doc.Timeslices), doc.Input)
	}
	for i, s := range doc.Timeslices {
		if string(s["timeslice_index"]) != []string{"0", "1"}[i] {
			t.Errorf("slice %d index %s", i, s["timeslice_index"])
		}
		var rc struct {
			Unit string  `json:"unit"`
			Avg  float64 `json:"avg"`
		}
		if err := json.Unmarshal(s["request_count"], &rc); err != nil || rc.Avg != []float64{3, 1}[i] || rc.Unit != "requests" {
			t.Errorf("slice %d request_count %s", i, s["request_count"])
		}
	}
}

func TestSourceSliceSeconds(t *testing.T) {
	for _, tc := range []struct {
		cfg     string
		want    float64
		wantErr bool
	}{
		{`{"output":{"artifact_directory":"a","slice_duration":2.5}}`, 2.5, false},
		{`{"output":{"artifact_directory":"a"}}`, 0, false},
		{``, 0, false},
		{`{"output":{"slice_duration":null}}`, 0, false},
		// A hand-edited file: each would make no slices or a broken clock.
		{`{"output":{"slice_duration":"x"}}`, 0, true},
		{`{"output":{"slice_duration":-1}}`, 0, true},
		{`{"output":{"slice_duration":1e-12}}`, 0, true},
		{`{"output":{"slice_duration":1e300}}`, 0, true},
	} {
		var src Source
		if tc.cfg != "" {
			src.InputConfig = json.RawMessage(tc.cfg)
		}
		got, err := src.SliceSeconds()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: %v, %v; want %v (error: %v)", tc.cfg, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "input_config.output.slice_duration") {
			t.Errorf("%s: error %v does not name the field", tc.cfg, err)
		}
	}
}
