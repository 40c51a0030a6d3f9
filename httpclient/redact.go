package httpclient

import "github.com/aiperf-exporter/aiperf-exporter/internal/redact"

// RedactURL returns raw with its credentials (user info, secret query
// parameters such as api-key or sig) replaced, for messages, logs and exports:
// a URL given with credentials must never leak. See redact.URL.
func RedactURL(raw string) string { return redact.URL(raw) }
