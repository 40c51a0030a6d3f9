package collector

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestFreeList(t *testing.T) {
	made := 0
	f := newFreeList(2, func() *int { made++; v := made; return &v })
	a, b, c := f.get(), f.get(), f.get()
	if made != 3 {
		t.Fatalf("%d values made for three gets on an empty list, want 3", made)
	}
	f.put(a)
	f.put(b)
	f.put(c) // beyond the size: dropped
	runtime.GC()
	runtime.GC() // sync.Pool would be empty now
	if x, y := f.get(), f.get(); x != a || y != b {
		t.Errorf("got %d, %d back; want the first two put: %d, %d", *x, *y, *a, *b)
	}
	if f.get(); made != 4 {
		t.Errorf("%d values made; the third put should have been dropped", made)
	}
}

// Concurrent scrapes, more than the free lists hold, while records are
// observed: run with -race. Every body is a whole exposition.
func TestHandlerConcurrentScrapes(t *testing.T) {
	reg := prometheus.NewRegistry()
	var sc []Scenario
	for i := range 3 {
		sc = append(sc, Scenario{Name: fmt.Sprint("scenario-", i), Models: []string{"mock-model"}, Targets: []string{"mock"}})
	}
	c, err := New(reg, sc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := range 200 {
			c.Observe(benchRecord(fmt.Sprint("scenario-", k%3), k))
		}
	})
	for i := range 2 * scrapesAtOnce {
		wg.Go(func() {
			for range 10 {
				body, err := scrapeBody(srv.URL, i%2 == 0)
				if err != nil || !bytes.HasSuffix(body, []byte("# EOF\n")) || !bytes.Contains(body, []byte("aiperf_time_to_first_token_seconds_bucket{")) {
					t.Errorf("scrape: %v, body of %d bytes ending %q", err, len(body), body[max(0, len(body)-20):])
					return
				}
			}
		})
	}
	wg.Wait()
}

// scrapeBody GETs url as Prometheus does, with gzip or not, and returns the
// uncompressed body.
func scrapeBody(url string, gz bool) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", acceptOM)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	var r io.Reader = resp.Body
	if gz {
		if resp.Header.Get("Content-Encoding") != "gzip" {
			return nil, fmt.Errorf("gzip asked for, %q served", resp.Header.Get("Content-Encoding"))
		}
		if r, err = gzip.NewReader(resp.Body); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(r)
}
