package mockserver

import (
	"maps"
	"net/http"
	"testing"
)

// The control routes answer an empty POST with 200 and count it; SGLang's
// /flush_cache counts as a reset; a GET is not a control request.
func TestControlRoutesCount(t *testing.T) {
	m := start(t, Config{})
	for _, p := range []string{ControlResetPrefixCache, ControlFlushCache, ControlStartProfile, ControlStopProfile, ControlStopProfile} {
		resp, err := http.Post(m.URL+p, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("POST %s: HTTP %d", p, resp.StatusCode)
		}
	}
	resp, err := http.Get(m.URL + ControlStartProfile)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := map[string]int{ControlResetPrefixCache: 2, ControlStartProfile: 1, ControlStopProfile: 2}
	if got := m.Server.ControlCalls(); !maps.Equal(got, want) {
		t.Errorf("counted %v, want %v", got, want)
	}
}
