// Package promcheck checks PromQL written by hand (dashboards, recording and
// alerting rules) against the exporter's metric contract: every expression
// must parse, and every selector must name a metric and labels that exist.
//
// The contract is read from the written table in docs/design.md. Once the
// collector package exists, the catalog should come from its registry
// instead (Gather on a freshly built collector), so that a renamed metric
// fails these checks without anyone editing the design document.
package promcheck
