package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// An upload's flags given without the flag that turns it on, or with a bad
// value, or without the environment the upload needs: exit 2 and one line
// of error naming the culprit.
func TestProfileUploadFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args     []string
		key, url string // WANDB_API_KEY, WANDB_BASE_URL
		want     string
	}{
		{[]string{"--mlflow-experiment", "e"}, "", "", "--mlflow-experiment"},
		{[]string{"--mlflow-tag", "a:b"}, "", "", "--mlflow-tag"},
		{[]string{"--mlflow-tracking-uri", "./mlruns"}, "", "", "--mlflow-tracking-uri"},
		{[]string{"--mlflow-tracking-uri", "http://127.0.0.1:5000", "--mlflow-tag", "team"}, "", "", "--mlflow-tag"},
		{[]string{"--mlflow-tracking-uri", "http://127.0.0.1:5000", "--mlflow-experiment", " "}, "", "", "--mlflow-experiment"},

		{[]string{"--stream", "metrics"}, "", "", "--stream"},
		{[]string{"--gen-ai-provider", "vllm"}, "", "", "--gen-ai-provider"},
		{[]string{"--otel-url", "127.0.0.1:4318", "--stream", "spans"}, "", "", "--stream"},
		{[]string{"--otel-url", "grpc://127.0.0.1:4317"}, "", "", "--otel-url"},
		{[]string{"--otel-url", "127.0.0.1:4318", "--otel-resource-attributes", "team"}, "", "", "--otel-resource-attributes"},

		{[]string{"--wandb-run-name", "r"}, "k", "", "--wandb-run-name"},
		{[]string{"--wandb-tag", "a"}, "k", "", "--wandb-tag (AIPERF_WANDB_TAG): needs --wandb-project"},
		{[]string{"--wandb-project", "p"}, "", "", "needs WANDB_API_KEY"},
		{[]string{"--wandb-project", " "}, "k", "", "--wandb-project (AIPERF_WANDB_PROJECT): cannot be empty"},
		{[]string{"--wandb-project", "p"}, "k", "api.wandb.ai", "WANDB_BASE_URL"},
		{[]string{"--wandb-project", "p", "--wandb-tag", strings.Repeat("t", 65)}, "k", "", "--wandb-tag"},
	} {
		t.Setenv("WANDB_API_KEY", c.key)
		t.Setenv("WANDB_BASE_URL", c.url)
		var stdout, stderr bytes.Buffer
		args := append([]string{"--mock", "--model", "m", "--request-count", "1", "--artifact-dir", t.TempDir()}, c.args...)
		if code := profile(context.Background(), args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) ||
			strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr.String())
		}
	}
}
