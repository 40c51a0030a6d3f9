package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestServeHelpListsEveryVariable(t *testing.T) {
	var out, errb bytes.Buffer
	if code := serve(context.Background(), []string{"--help"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"AIPERF_URL", "AIPERF_AUDIO_LENGTH_MEAN", "AIPERF_WEB_LISTEN_ADDRESS", ":9803",
		"AIPERF_CONCURRENCY", "-web.listen-address", "-audio-length-mean"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
}

func TestServeBadSettingsFailAtStart(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"AIPERF_CONCURRENCY": "lots"}, []string{"--mock"}, "AIPERF_CONCURRENCY"},
		{map[string]string{"AIPERF_AUDIO_SAMPLE_RATES": "0"}, []string{"--mock"}, "AIPERF_AUDIO_SAMPLE_RATES"},
		{nil, []string{"--mock", "--log.level", "loud"}, "AIPERF_LOG_LEVEL"},
		{nil, []string{"--url", "127.0.0.1:1"}, "AIPERF_MODEL"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v) // restored when the subtest ends
			}
			var out, errb bytes.Buffer
			code := serve(context.Background(), c.args, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
				t.Errorf("%v %v: exit %d, stderr %q; want exit 2 and one line naming %s", c.env, c.args, code, errb.String(), c.want)
			}
		})
	}
}
