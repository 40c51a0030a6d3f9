// Package dashboards builds the Grafana dashboard for aiperf-exporter from
// Go, with the Grafana Foundation SDK. The committed JSON
// (aiperf-exporter.json) is generated from this package:
//
//	go generate ./dashboards
//
// and a test fails when the committed file differs from what Build returns.
package dashboards

//go:generate go run ./gen -o aiperf-exporter.json
