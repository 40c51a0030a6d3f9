package dashboards

import (
	"bytes"
	"os"
	"testing"
)

// TestCommittedJSONIsGenerated fails when aiperf-exporter.json was edited by
// hand or not regenerated after a change to this package.
func TestCommittedJSONIsGenerated(t *testing.T) {
	want, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("aiperf-exporter.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("aiperf-exporter.json is stale: run `go generate ./dashboards` and commit the result")
	}
}
