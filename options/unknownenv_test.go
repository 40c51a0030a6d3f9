package options

import (
	"reflect"
	"testing"
)

func TestUnknownEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		environ []string
		mock    bool
		want    []string
	}{
		{"none set", []string{"PATH=/bin", "HOME=/root"}, false, nil},
		{"known names", []string{"AIPERF_CONCURRENCY=2", "AIPERF_WEB_LISTEN_ADDRESS=:1"}, false, nil},
		{"a typo", []string{"AIPERF_CONCURENCY=2", "AIPERF_URL=x"}, false, []string{"AIPERF_CONCURENCY"}},
		{"a given struct's names are known", []string{"AIPERF_MOCK_TTFT=5"}, true, nil},
		{"a struct not given", []string{"AIPERF_MOCK_TTFT=5"}, false, []string{"AIPERF_MOCK_TTFT"}},
		{"sorted, bare prefix and empty values too", []string{"AIPERF_ZZ=", "AIPERF_=1", "AIPERF_AA=1"}, false,
			[]string{"AIPERF_", "AIPERF_AA", "AIPERF_ZZ"}},
		{"not our prefix", []string{"AIPERFX=1", "XAIPERF_URL=1", "aiperf_url=1"}, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ptrs := []any{&Options{}, &Serve{}}
			if tc.mock {
				ptrs = append(ptrs, &Mock{})
			}
			got := UnknownEnv(tc.environ, ptrs...)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("UnknownEnv(%q) = %q, want %q", tc.environ, got, tc.want)
			}
		})
	}
}
