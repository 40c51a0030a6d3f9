package probe_test

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// Named targets keep their names (no index prefix) next to unnamed ones; a
// name given twice is refused.
func TestTargetNames(t *testing.T) {
	o := &options.Options{URLs: []string{"gpu0=http://127.0.0.1:1", "http://127.0.0.1:2", "gpu1=127.0.0.1:3"},
		EndpointType: "chat", RequestTimeout: 1}
	cfg, err := probe.ConfigFrom(o, "t")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range cfg.Targets {
		names = append(names, tg.Name)
	}
	if strings.Join(names, " ") != "gpu0 1:127.0.0.1:2 gpu1" {
		t.Errorf("target names %v", names)
	}
	o.URLs = []string{"a=http://127.0.0.1:1", "a=http://127.0.0.1:2"}
	if _, err := probe.ConfigFrom(o, "t"); err == nil || !strings.Contains(err.Error(), `"a" given twice`) {
		t.Errorf("duplicate name: %v", err)
	}
	long := strings.Repeat("a", 200)
	o.URLs = []string{long + "=http://127.0.0.1:1", long + "=http://127.0.0.1:2"}
	if _, err := probe.ConfigFrom(o, "t"); err == nil || !strings.Contains(err.Error(), `…" (200 bytes) given twice`) {
		t.Errorf("duplicate long name, want it cut: %.300v", err)
	}
}
