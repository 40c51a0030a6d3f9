package main

import (
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"

	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// profile reads AIPERF_* variables like serve: defaults < environment < flags.
func TestProfileSettingsFromEnv(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(r *prof.Settings) bool
	}{
		{"number from env", map[string]string{"AIPERF_CONCURRENCY": "3"}, nil,
			func(r *prof.Settings) bool { return r.Options.Concurrency == 3 }},
		{"flag wins over env", map[string]string{"AIPERF_CONCURRENCY": "3"}, []string{"--concurrency", "5"},
			func(r *prof.Settings) bool { return r.Options.Concurrency == 5 }},
		{"list from env", map[string]string{"AIPERF_URL": "127.0.0.1:1,127.0.0.1:2"}, nil,
			func(r *prof.Settings) bool {
				return reflect.DeepEqual(r.Options.URLs, []string{"127.0.0.1:1", "127.0.0.1:2"})
			}},
		{"list flag replaces env list", map[string]string{"AIPERF_URL": "127.0.0.1:1,127.0.0.1:2"}, []string{"--url", "127.0.0.1:3"},
			func(r *prof.Settings) bool { return reflect.DeepEqual(r.Options.URLs, []string{"127.0.0.1:3"}) }},
		{"bool from env", map[string]string{"AIPERF_STREAMING": "true"}, nil,
			func(r *prof.Settings) bool { return r.Options.Streaming }},
		{"bool flag turns env off", map[string]string{"AIPERF_STREAMING": "true"}, []string{"--streaming=false"},
			func(r *prof.Settings) bool { return !r.Options.Streaming }},
		{"profile-only setting", map[string]string{"AIPERF_FAILED_REQUEST_THRESHOLD": "0.125", "AIPERF_PLOT": "true"}, nil,
			func(r *prof.Settings) bool { return r.Profile.FailedRequestThreshold == 0.125 && r.Profile.Plot }},
		{"artifact dir from env counts as given", map[string]string{"AIPERF_ARTIFACT_DIR": "/tmp/x"}, nil,
			func(r *prof.Settings) bool { return r.Profile.ArtifactDir == "/tmp/x" && r.Set["artifact-dir"] }},
		{"artifact dir by AIPerf's alias counts as given", nil, []string{"--output-artifact-dir", "/tmp/x"},
			func(r *prof.Settings) bool { return r.Profile.ArtifactDir == "/tmp/x" && r.Set["artifact-dir"] }},
		{"defaults stay without env", nil, nil,
			func(r *prof.Settings) bool {
				return r.Options.Concurrency == 0 && r.Profile.ArtifactDir == "artifacts" && !r.Set["artifact-dir"] && r.Options.RequestTimeout == 600
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			r, err := parseProfile(append([]string{"--model", "m"}, c.args...), &bytes.Buffer{}, &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(&r) {
				t.Errorf("env %v args %v: options %+v profile %+v artifact dir set %v", c.env, c.args, r.Options, r.Profile, r.Set["artifact-dir"])
			}
		})
	}
}

// A bad AIPERF_* value stops profile with exit 2 and one line naming the variable.
func TestProfileBadEnv(t *testing.T) {
	cases := []struct{ key, value, want string }{
		{"AIPERF_CONCURRENCY", "lots", "AIPERF_CONCURRENCY"},
		{"AIPERF_STREAMING", "maybe", "AIPERF_STREAMING"},
		{"AIPERF_AUDIO_SAMPLE_RATES", "16,fast", "AIPERF_AUDIO_SAMPLE_RATES"},
		{"AIPERF_FAILED_REQUEST_THRESHOLD", "150", "--failed-request-threshold (AIPERF_FAILED_REQUEST_THRESHOLD)"},
		{"AIPERF_ENDPOINT_TYPE", "no_such_type", "--endpoint-type (AIPERF_ENDPOINT_TYPE)"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			t.Setenv(c.key, c.value)
			code, out, errOut, _ := profileInDir(t, "--mock", "--request-count", "1")
			if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("%s=%s: exit %d, stderr %q; want 2 and one line naming %s", c.key, c.value, code, errOut, c.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

// An API key given as AIPERF_API_KEY (as the Kubernetes profile job passes
// it) is sent as a Bearer header and appears in no artifact, nor the console,
// nor the log; other settings from the environment reach input_config, and the
// CLI Command echo shows only the command line.
func TestProfileAPIKeyFromEnv(t *testing.T) {
	key := plantedKey(t)
	srv := newKeyServer(t)
	t.Setenv("AIPERF_API_KEY", key)
	t.Setenv("AIPERF_URL", srv.URL)
	t.Setenv("AIPERF_REQUEST_COUNT", "12")
	code, out, errOut, dir := profileInDir(t, "--model", "m", "--streaming", "--concurrency", "3", "--isl", "8", "--random-seed", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !srv.received("Authorization: Bearer " + key) {
		t.Fatal("the server never received the key from AIPERF_API_KEY")
	}
	texts := artifactTexts(t, dir)
	texts["stdout"], texts["stderr"] = out, errOut
	assertNoKey(t, key, texts)

	export := testkit.ReadJSON[struct {
		InputConfig struct {
			CLICommand string `json:"cli_command"`
			Endpoint   struct {
				URL string `json:"url"`
			} `json:"endpoint"`
			Loadgen struct {
				RequestCount int `json:"request_count"`
			} `json:"loadgen"`
		} `json:"input_config"`
	}](t, filepath.Join(dir, report.JSONFile))
	ic := export.InputConfig
	if ic.Endpoint.URL != srv.URL || ic.Loadgen.RequestCount != 12 {
		t.Errorf("input_config url %q request_count %d; want %q and 12 from the environment", ic.Endpoint.URL, ic.Loadgen.RequestCount, srv.URL)
	}
	if strings.Contains(ic.CLICommand, "api-key") || strings.Contains(ic.CLICommand, srv.URL) || !strings.Contains(ic.CLICommand, "--concurrency 3") {
		t.Errorf("cli_command %q: want the command line only", ic.CLICommand)
	}
}

// The embedded mock's flags take AIPERF_MOCK_* in profile as in serve.
func TestProfileMockFromEnv(t *testing.T) {
	t.Setenv("AIPERF_MOCK_OUTPUT_TOKENS", "3")
	_, dir := profileOK(t, "--mock", "--streaming", "--request-count", "2",
		"--synthetic-input-tokens-mean", "5", "--mock.ttft", "1", "--mock.itl", "1")
	if osl := stat(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "output_sequence_length", "max"); osl != 3 {
		t.Errorf("OSL %v, want AIPERF_MOCK_OUTPUT_TOKENS's 3", osl)
	}
}

// An AIPERF_* variable that names no setting (a typo) is warned about, once,
// by profile and serve; known names, AIPERF_MOCK_* included, are not.
func TestUnknownEnvIsWarned(t *testing.T) {
	t.Setenv("AIPERF_CONCURENCY", "3")
	t.Setenv("AIPERF_MOCK_TTFT", "5")
	t.Setenv("AIPERF_CONCURRENCY", "1")
	var errb bytes.Buffer
	if _, err := parseProfile([]string{"--model", "m"}, &bytes.Buffer{}, &errb); err != nil {
		t.Fatal(err)
	}
	if got := errb.String(); strings.Count(got, "AIPERF_CONCURENCY names no setting of profile") != 1 ||
		strings.Count(got, "\n") != 1 {
		t.Errorf("profile stderr %q, want one warning naming AIPERF_CONCURENCY", got)
	}

	base, logs := startServe(t, "--mock")
	waitMetrics(t, base, logs, "a probe", func(s string) bool { return strings.Contains(s, "aiperf_requests_total") })
	if got := logs.String(); strings.Count(got, `"variable":"AIPERF_CONCURENCY"`) != 1 ||
		strings.Count(got, "names no setting") != 1 {
		t.Errorf("serve logs lack exactly one warning naming AIPERF_CONCURENCY:\n%s", got)
	}
}
