package httpclient

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// EndpointURL applies AIPerf's URL rule (http:// added when there is no scheme,
// trailing / stripped, endpoint path appended) and returns the full URL and a
// label-safe name (host and port, no credentials). A query on raw (Azure's
// ?api-version=...) stays the query of the full URL, after the path.
//
// raw may carry a target name, `name=URL` (letters, digits, '.', '_', '-'),
// which then is the name: a label that stays the same when the host moves.
func EndpointURL(raw, path string) (full, name string, named bool, err error) {
	s := strings.TrimSpace(raw)
	given, rest, cut := strings.Cut(s, "=")
	if named = cut && targetName(given); named {
		s = strings.TrimSpace(rest)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the raw URL, password included
		}
		return "", "", false, fmt.Errorf("bad URL %q: %v", redact.URL(raw), err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", false, fmt.Errorf("bad URL %q: scheme must be http or https", redact.URL(raw))
	}
	if u.Host == "" {
		return "", "", false, fmt.Errorf("bad URL %q: no host", redact.URL(raw))
	}
	if strings.HasSuffix(u.Host, ":") { // net/http would dial port 80 or 443 instead
		return "", "", false, fmt.Errorf("bad URL %q: empty port after ':'", redact.URL(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.Fragment, u.RawFragment = "", "" // never sent
	if named {
		return u.String(), given, true, nil
	}
	return u.String(), u.Host, false, nil
}

// targetName reports whether s can name a target: non-empty, only letters,
// digits, '.', '_' and '-' (so a URL's own '=' in a query is never taken).
func targetName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '.' || r == '_' || r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
