// Package httpclient builds the measuring HTTP client every probe request goes
// through: the Prometheus http_config (TLS, credentials, proxy, headers) read
// strictly from YAML, the round trippers that keep secrets to the target's host
// and make TLS and proxy errors say what they mean, file secrets re-read when
// they rotate, and the target URL rule with its redaction for messages.
// It knows nothing of records or schedules: probe uses it to send.
package httpclient
