// Package mlflow uploads a finished profile run to an MLflow tracking
// server, as AIPerf's --mlflow-tracking-uri does: one run in the experiment
// with the summary statistics as metrics, the run settings as params, tags,
// and the export files as artifacts. It speaks MLflow's REST API 2.0 over
// plain HTTP: the Python client is the only other way in.
package mlflow

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// DefaultExperiment is AIPerf's experiment name when none is given.
const DefaultExperiment = "aiperf"

// MetadataFile is what the upload wrote, kept in the artifact directory.
const MetadataFile = "mlflow_export.json"

// DefaultGlobs are the artifact files uploaded when --mlflow-artifact-glob
// is not given (AIPerf's defaults), relative to the artifact directory.
var DefaultGlobs = []string{"*.json", "*.csv", "*.jsonl", "*.parquet", "*_timeslices.*",
	"**/*.png", "**/*.jpg", "**/*.jpeg", "**/*.svg", "**/*.html"}

// Config is the checked form of the --mlflow-* flags.
type Config struct {
	TrackingURI string // an MLflow server's http(s) URL
	Experiment  string
	RunName     string // empty: aiperf-<unix seconds>
	Tags        map[string]string
	ParentRunID string
	Globs       []string
	// Token, or Username and Password, authenticate as the MLflow client's
	// MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD do. Never logged.
	Token, Username, Password string
}

// CheckTrackingURI accepts an MLflow tracking server's http(s) URL; local
// stores (a path, file:, sqlite:) and databricks need the Python client.
func CheckTrackingURI(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("cannot be empty")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q: only an MLflow tracking server's http(s) URL is supported (a local store or databricks needs MLflow's Python client)", redact.URL(raw))
	}
	return strings.TrimRight(s, "/"), nil
}

// ParseTags reads key:value tags, comma separated or repeated, or a JSON
// object; a later key wins, as AIPerf's parser does.
func ParseTags(items []string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range items {
		item = strings.TrimSpace(item)
		if strings.HasPrefix(item, "{") {
			var obj map[string]any
			if err := json.Unmarshal([]byte(item), &obj); err != nil {
				return nil, fmt.Errorf("%q is not a JSON object: %v", item, err)
			}
			for k, v := range obj {
				if k = strings.TrimSpace(k); k != "" {
					out[k] = fmt.Sprint(v)
				}
			}
			continue
		}
		for _, pair := range strings.Split(item, ",") {
			if pair = strings.TrimSpace(pair); pair == "" {
				continue
			}
			k, v, ok := strings.Cut(pair, ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !ok || k == "" {
				return nil, fmt.Errorf("%q: expected key:value", pair)
			}
			out[k] = v
		}
	}
	return out, nil
}
