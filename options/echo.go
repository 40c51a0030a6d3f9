package options

import (
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// secretFlags take a value that must never be echoed.
var secretFlags = map[string]bool{"api-key": true}

// urlFlags take URLs whose user info (credentials) must never be echoed.
var urlFlags = map[string]bool{"url": true, "u": true, "proxy-url": true,
	"otel-url": true, "mlflow-tracking-uri": true} // the uploads (upload/)

// EchoCommand renders the arguments after the subcommand the way AIPerf's `CLI Command:` line does: flags and
// numbers bare, other strings single-quoted, with secrets redacted.
func EchoCommand(argv []string) string {
	out := make([]string, 0, len(argv))
	redactNext, headerNext, urlNext := false, false, false
	for _, a := range argv {
		switch {
		case urlNext:
			out = append(out, quote(redactURLs(a)))
			urlNext = false
			continue
		case redactNext:
			out = append(out, "'<redacted>'")
			redactNext = false
			continue
		case headerNext:
			out = append(out, quote(redactHeader(a)))
			headerNext = false
			continue
		}
		if strings.HasPrefix(a, "-") && !isNumber(a) {
			name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
			switch {
			case secretFlags[name] && hasVal:
				a = "--" + name + "='<redacted>'"
			case secretFlags[name]:
				redactNext = true
			case urlFlags[name] && hasVal:
				a = strings.SplitN(a, "=", 2)[0] + "=" + quote(redactURLs(val))
			case urlFlags[name]:
				urlNext = true
			case (name == "header" || name == "H") && hasVal:
				a = strings.SplitN(a, "=", 2)[0] + "=" + quote(redactHeader(val))
			case name == "header" || name == "H":
				headerNext = true
			}
			out = append(out, a)
			continue
		}
		out = append(out, quote(a))
	}
	return strings.Join(out, " ")
}

// redactURLs hides the credentials (user info, secret query parameters) of
// each URL of a comma list.
func redactURLs(list string) string {
	parts := strings.Split(list, ",")
	for i, p := range parts {
		parts[i] = redact.URL(p)
	}
	return strings.Join(parts, ",")
}

// redactHeader hides the value of any header that may carry credentials.
func redactHeader(h string) string {
	name, _, ok := strings.Cut(h, ":")
	if !ok {
		return h
	}
	if redact.SecretName(name) {
		return name + ":<redacted>"
	}
	return h
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func quote(s string) string {
	if isNumber(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
