package probe

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// endpointURL applies AIPerf's URL rule (http:// added when there is no scheme,
// trailing / stripped, endpoint path appended) and returns the full URL and a
// label-safe name (host and port, no credentials).
func endpointURL(raw, path string) (full, name string, err error) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	s = strings.TrimRight(s, "/")
	u, err := url.Parse(s + path)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the raw URL, password included
		}
		return "", "", fmt.Errorf("bad URL %q: %v", redactURL(raw), err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("bad URL %q: scheme must be http or https", redactURL(raw))
	}
	if u.Host == "" {
		return "", "", fmt.Errorf("bad URL %q: no host", redactURL(raw))
	}
	return u.String(), u.Host, nil
}

// redactURL hides a password in a URL for messages.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User("redacted")
		return u.String()
	}
	if i := strings.LastIndex(raw, "@"); i >= 0 {
		scheme, _, _ := strings.Cut(raw, "://")
		return scheme + "://redacted@" + raw[i+1:]
	}
	return raw
}
