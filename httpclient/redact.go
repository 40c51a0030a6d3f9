package httpclient

// RedactURL returns raw with the password of its user info replaced, for
// messages, logs and exports (a URL given with credentials must never leak).
func RedactURL(raw string) string { return redactURL(raw) }
