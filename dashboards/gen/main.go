// Command gen writes the aiperf-exporter Grafana dashboard JSON.
//
//	go run ./dashboards/gen -o dashboards/aiperf-exporter.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/dashboards"
)

func main() {
	out := flag.String("o", "aiperf-exporter.json", "file to write the dashboard JSON to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string) error {
	b, err := dashboards.JSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
