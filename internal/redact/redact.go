// Package redact hides credentials in URLs and header values before they are
// echoed, logged or exported. It is a leaf (no imports of the project) so that
// options (the command echo) and httpclient (URLs, errors) share one rule.
package redact

import (
	"net/url"
	"strings"
)

// Redacted replaces a hidden value.
const Redacted = "redacted"

// SecretName reports whether a header or query parameter of this name may
// carry a credential: Authorization, Cookie, api-key, key, token, sig (Azure
// SAS), code (Azure Functions), client_secret, password and their variants.
func SecretName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "code" || n == "pwd" || n == "sig" {
		return true
	}
	for _, part := range []string{"auth", "cookie", "key", "token", "secret", "signature", "pass", "credential"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// URL returns raw with the user info (credentials) and the values of secret
// query parameters (SecretName) replaced by "redacted". raw may lack a scheme
// (`user:pass@host:port`), carry a target name (`name=URL`) or not parse at
// all: whatever it is, no password survives.
func URL(raw string) string {
	head, rest := "", raw
	if i := strings.Index(rest, "://"); i >= 0 {
		head, rest = rest[:i+3], rest[i+3:]
	} else if name, r, ok := strings.Cut(rest, "="); ok && !strings.ContainsAny(name, ":@/?#") {
		head, rest = name+"=", r // name=host:port without a scheme
		if j := strings.Index(rest, "://"); j >= 0 {
			head, rest = head+rest[:j+3], rest[j+3:]
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = Redacted + rest[at:]
		end -= at - len(Redacted)
	}
	q := strings.IndexByte(rest[end:], '?')
	if q < 0 {
		return head + rest
	}
	q += end
	query, frag := rest[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	return head + rest[:q+1] + Query(query) + frag
}

// Query returns a raw query string with the values of secret parameters
// replaced by "redacted", everything else as it was.
func Query(query string) string {
	parts := strings.Split(query, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if SecretName(name) {
			parts[i] = k + "=" + Redacted
		}
	}
	return strings.Join(parts, "&")
}
