package probe

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/prometheus/common/config"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// minSecretLen is the shortest credential value masked: shorter ones would
// mask ordinary words of an error text.
const minSecretLen = 4

// redacted replaces a credential value a server echoed back.
const redacted = "<redacted>"

// credentialValues lists the credentials requests carry, in the forms a server
// may echo back: values of credential headers (whole, and without an
// Authorization scheme), the Bearer credentials and basic-auth password of the
// HTTP client settings (file secrets read now), their "user:password" base64,
// the secrets and files of http_headers (whatever the header's name) and the
// values of its credential headers, the OAuth2 client secret (also as its
// token endpoint receives it: query-escaped, and in the base64 of basic auth),
// and passwords and secret query parameters (redact.SecretName) in target
// URLs, as sent and unescaped. Longest first, so a longer form is masked whole.
func credentialValues(hc config.HTTPClientConfig, h http.Header, targets []Target) []string {
	seen := map[string]bool{}
	add := func(v string) {
		if v = strings.TrimSpace(v); len(v) >= minSecretLen {
			seen[v] = true
		}
	}
	read := func(inline config.Secret, file string) string {
		if inline != "" || file == "" {
			return string(inline)
		}
		v, _ := httpclient.ReadSecretFile(file) // the request itself reports a bad file
		return v
	}
	basic := func(user, pass string) {
		add(pass)
		if pass != "" {
			add(base64.StdEncoding.EncodeToString([]byte(user + ":" + pass)))
		}
	}
	header := func(v string) {
		add(v)
		if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
			add(cred) // "Bearer K": K alone
		}
	}
	for name, values := range h {
		if redact.SecretName(name) {
			for _, v := range values {
				header(v)
			}
		}
	}
	if hh := hc.HTTPHeaders; hh != nil {
		for name, hv := range hh.Headers {
			for _, s := range hv.Secrets {
				header(string(s))
			}
			for _, f := range hv.Files {
				header(read("", f))
			}
			if redact.SecretName(name) {
				for _, v := range hv.Values {
					header(v)
				}
			}
		}
	}
	if o := hc.OAuth2; o != nil {
		if s := read(o.ClientSecret, o.ClientSecretFile); s != "" {
			add(s)
			add(url.QueryEscape(s))
			add(base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(o.ClientID) + ":" + url.QueryEscape(s))))
			add(base64.StdEncoding.EncodeToString([]byte(o.ClientID + ":" + s)))
		}
	}
	if a := hc.Authorization; a != nil {
		add(read(a.Credentials, a.CredentialsFile))
	}
	if b := hc.BasicAuth; b != nil {
		basic(read(config.Secret(b.Username), b.UsernameFile), read(b.Password, b.PasswordFile))
	}
	for _, t := range targets {
		u, err := url.Parse(t.URL)
		if err != nil {
			continue
		}
		if u.User != nil {
			p, _ := u.User.Password()
			basic(u.User.Username(), p)
		}
		for _, p := range strings.Split(u.RawQuery, "&") { // ?api-key=K (Azure style)
			k, v, _ := strings.Cut(p, "=")
			if name, err := url.QueryUnescape(k); err == nil && redact.SecretName(name) {
				add(v) // as sent
				if plain, err := url.QueryUnescape(v); err == nil {
					add(plain)
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

// maskSent masks in rec's error text the credential headers of the request
// as it went out, after every round tripper: a token fetched at run time (an
// OAuth2 access token) is known only there.
func maskSent(rec *record.Record, sent *http.Request) {
	if rec.Error == nil || sent == nil {
		return
	}
	maskSecrets(rec, credentialValues(config.HTTPClientConfig{}, sent.Header, nil))
}

// maskSecrets replaces every credential in rec's error text, which may be a
// server echoing the request back, before any export, log or page sees it.
func maskSecrets(rec *record.Record, secrets []string) {
	if rec.Error == nil || len(secrets) == 0 {
		return
	}
	for _, s := range secrets {
		if strings.Contains(rec.Error.Message, s) {
			rec.Error.Message = strings.ReplaceAll(rec.Error.Message, s, redacted)
		}
	}
}
