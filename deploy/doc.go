// Package deploy holds what ships aiperf-exporter the Prometheus way: rule
// files (prometheus/), Kubernetes manifests (kubernetes/), a compose file
// (compose/), and the Go that keeps them consistent. The Kubernetes
// PrometheusRule is generated from prometheus/rules/*.yml:
//
//	go generate ./deploy
//
// The tests in this package check every file statically and run promtool on
// the rules; see README.md.
package deploy

//go:generate go run ./gen -rules prometheus/rules -o kubernetes/base/prometheusrule.yaml
