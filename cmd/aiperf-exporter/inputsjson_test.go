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
