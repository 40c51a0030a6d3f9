// Package otel streams a profile run's metrics to an OpenTelemetry collector
// over OTLP/HTTP, as AIPerf's --otel-url does: each finished request's
// metrics as histogram points (the GenAI semantic-convention names where one
// exists, aiperf.<tag> otherwise) and the phase's request counters
// (aiperf.timing.*), pushed every two seconds and once more at the end.
//
// The payload is OTLP/JSON written by hand: a handful of structs, where the
// OpenTelemetry SDK and its protobuf exporter would add gRPC and a dozen
// modules for one POST.
package otel

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// Config is the checked form of the --otel-* flags.
type Config struct {
	URL      string            // the OTLP/HTTP metrics endpoint, ending in /v1/metrics
	Metrics  bool              // --stream metrics: the per-request histograms
	Timing   bool              // --stream timing: the aiperf.timing.* counters
	Resource map[string]string // --otel-resource-attributes, over the built-in ones
	Provider string            // --gen-ai-provider; empty: inferred from the server URL
}

// NormalizeURL turns host[:port] or a URL into the OTLP/HTTP metrics
// endpoint: http:// when no scheme is given, /v1/metrics appended unless the
// path already ends so. gRPC endpoints are refused.
func NormalizeURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("cannot be empty")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("%q is not host[:port] or a URL", redact.URL(raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q: only http and https are supported (OTLP/HTTP, not gRPC)", redact.URL(raw))
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/v1/metrics") {
		p += "/v1/metrics"
	}
	u.Path, u.RawPath = p, ""
	return u.String(), nil
}

// ParseStream reads --stream: default, metrics, timing or none, repeatable.
// Nothing given is default (both domains); none wins over the rest.
func ParseStream(domains []string) (metrics, timing bool, err error) {
	for _, d := range domains {
		switch d {
		case "default", "metrics", "timing", "none":
		default:
			return false, false, fmt.Errorf("%q is not default, metrics, timing or none", d)
		}
	}
	has := func(d string) bool {
		for _, x := range domains {
			if x == d {
				return true
			}
		}
		return false
	}
	if has("none") {
		return false, false, nil
	}
	all := len(domains) == 0 || has("default")
	return all || has("metrics"), all || has("timing"), nil
}

// ParseResourceAttributes reads key=value pairs (comma-separated or
// repeated); a later key wins.
func ParseResourceAttributes(items []string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range items {
		for _, pair := range strings.Split(item, ",") {
			pair = strings.TrimSpace(pair)
			if pair == "" {
				continue
			}
			k, v, ok := strings.Cut(pair, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !ok:
				return nil, fmt.Errorf("%q: expected key=value", pair)
			case k == "":
				return nil, fmt.Errorf("%q: the key cannot be empty", pair)
			case v == "":
				return nil, fmt.Errorf("%q: the value cannot be empty", pair)
			}
			out[k] = v
		}
	}
	return out, nil
}

// providers maps well-known API hosts to gen_ai.provider.name, as AIPerf
// infers it when --gen-ai-provider is not given.
var providers = []struct {
	host *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`api\.openai\.com$`), "openai"},
	{regexp.MustCompile(`api\.anthropic\.com$`), "anthropic"},
	{regexp.MustCompile(`api\.deepseek\.com$`), "deepseek"},
	{regexp.MustCompile(`api\.mistral\.ai$`), "mistral_ai"},
	{regexp.MustCompile(`api\.cohere\.(ai|com)$`), "cohere"},
	{regexp.MustCompile(`api\.x\.ai$`), "x_ai"},
	{regexp.MustCompile(`api\.groq\.com$`), "groq"},
	{regexp.MustCompile(`api\.perplexity\.ai$`), "perplexity"},
	{regexp.MustCompile(`generativelanguage\.googleapis\.com$`), "gcp.gemini"},
	{regexp.MustCompile(`.*-aiplatform\.googleapis\.com$`), "gcp.vertex_ai"},
	{regexp.MustCompile(`bedrock-runtime\..*\.amazonaws\.com$`), "aws.bedrock"},
	{regexp.MustCompile(`.*\.openai\.azure\.com$`), "azure.ai.openai"},
	{regexp.MustCompile(`.*\.services\.ai\.azure\.com$`), "azure.ai.inference"},
	{regexp.MustCompile(`.*\.ibm\.com$`), "ibm.watsonx.ai"},
}

// Provider is gen_ai.provider.name: the override when given, else the first
// server URL (full URLs) whose host is a known API's, else "_OTHER".
func Provider(override string, urls []string) string {
	if override != "" {
		return override
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		for _, p := range providers {
			if p.host.MatchString(strings.ToLower(u.Hostname())) {
				return p.name
			}
		}
	}
	return "_OTHER"
}

// Operation is gen_ai.operation.name for an endpoint type; AIPerf names
// everything it does not know "chat".
func Operation(endpointType string) string {
	if t, ok := endpoint.Lookup(strings.ToLower(endpointType)); ok {
		return t.Operation
	}
	return "chat"
}
