package main

import (
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// inputsPayloads reads dir's inputs.json: the payloads of each conversation,
// conversation by conversation.
func inputsPayloads(t *testing.T, dir string) [][]map[string]any {
	t.Helper()
	in := testkit.ReadJSON[struct {
		Data []struct {
			Payloads []map[string]any `json:"payloads"`
		} `json:"data"`
	}](t, filepath.Join(dir, report.InputsFile))
	var out [][]map[string]any
	for _, d := range in.Data {
		out = append(out, d.Payloads)
	}
	return out
}

// inputConfigAt is the object at path under the input_config of dir's JSON
// export (input_config itself without a path); a step missing or not an
// object fails the test naming it.
func inputConfigAt(t *testing.T, dir string, path ...any) map[string]any {
	t.Helper()
	return testkit.JSONAt[map[string]any](t, readJSON(t, filepath.Join(dir, report.JSONFile)), append([]any{"input_config"}, path...)...)
}
