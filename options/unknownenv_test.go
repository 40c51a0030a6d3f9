package options

import (
	"reflect"
	"testing"
)

func TestUnknownEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		environ []string
		extra   []string
		want    []string
	}{
		{"none set", []string{"PATH=/bin", "HOME=/root"}, nil, nil},
		{"known names", []string{"AIPERF_CONCURRENCY=2", "AIPERF_WEB_LISTEN_ADDRESS=:1"}, nil, nil},
		{"a typo", []string{"AIPERF_CONCURENCY=2", "AIPERF_URL=x"}, nil, []string{"AIPERF_CONCURENCY"}},
		{"an extra name is known", []string{"AIPERF_MOCK_TTFT=5"}, []string{"AIPERF_MOCK_TTFT"}, nil},
		{"an extra name not given", []string{"AIPERF_MOCK_TTFT=5"}, nil, []string{"AIPERF_MOCK_TTFT"}},
		{"sorted, bare prefix and empty values too", []string{"AIPERF_ZZ=", "AIPERF_=1", "AIPERF_AA=1"}, nil,
			[]string{"AIPERF_", "AIPERF_AA", "AIPERF_ZZ"}},
		{"not our prefix", []string{"AIPERFX=1", "XAIPERF_URL=1", "aiperf_url=1"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := UnknownEnv(tc.environ, tc.extra, &Options{}, &Serve{})
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("UnknownEnv(%q) = %q, want %q", tc.environ, got, tc.want)
			}
		})
	}
}
