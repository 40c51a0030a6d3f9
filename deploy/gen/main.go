// Command gen writes the Kubernetes PrometheusRule generated from the
// Prometheus rule files.
//
//	go run ./deploy/gen -rules deploy/prometheus/rules -o deploy/kubernetes/base/prometheusrule.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/deploy"
)

func main() {
	rules := flag.String("rules", "prometheus/rules", "directory of Prometheus rule files (*.yml)")
	out := flag.String("o", "kubernetes/base/prometheusrule.yaml", "file to write the PrometheusRule to")
	flag.Parse()
	if err := run(*rules, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(rules, out string) error {
	b, err := deploy.PrometheusRuleYAML(rules)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
