//go:build linux

package probe

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// stampChunks is how many chunks the ordering test's server sends, and the
// byte length of each event (fixed, so the reader knows where each one ends).
const stampChunks = 40

func stampEvent(i int) string {
	return fmt.Sprintf("data: {\"choices\":[{\"delta\":{\"content\":\"t%03d\"}}]}\n\n", i)
}

// countedReader notes, after each read of the body, how many bytes the reader
// has had and when: the moment it could first see them.
type countedReader struct {
	r     io.Reader
	total int
	seen  []readSeen
}

type readSeen struct {
	total int
	at    time.Time
}

func (c *countedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.total += n
		c.seen = append(c.seen, readSeen{c.total, time.Now()})
	}
	return n, err
}

// hogCPU keeps every core busy with spinning goroutines until the returned
// stop is called, or for at most limit.
func hogCPU(limit time.Duration) (stop func()) {
	var done atomic.Bool
	var wg sync.WaitGroup
	deadline := time.Now().Add(limit)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for x := 0; !done.Load() && time.Now().Before(deadline); x++ {
				_ = x * x
			}
		}()
	}
	return func() { done.Store(true); wg.Wait() }
}

// A chunk's kernel stamp lies between the server's send (stamped just before
// its write) and the moment the client's reader could first see the chunk
// (when the body read that returned its last byte was over), on loopback,
// while spinning goroutines keep every core busy. With userspace stamps (taken
// after the read) the upper bound fails, so this proves the stamp is the
// kernel's, and that it is converted onto the request's clock correctly.
func TestKernelStampOrdering(t *testing.T) {
	for _, tc := range []struct {
		name string
		srv  func(http.Handler) *httptest.Server
	}{
		{"http", httptest.NewServer},
		{"https", httptest.NewTLSServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent [stampChunks]atomic.Int64 // wall ns just before each chunk's write
			srv := tc.srv(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				f := w.(http.Flusher)
				for i := range stampChunks {
					time.Sleep(time.Duration(i%3) * time.Millisecond) // some chunks together, some apart
					sent[i].Store(time.Now().UnixNano())
					io.WriteString(w, stampEvent(i))
					f.Flush()
				}
				io.WriteString(w, "data: [DONE]\n\n")
			}))
			defer srv.Close()
			hc := httpclient.DefaultConfig()
			hc.TLSConfig.InsecureSkipVerify = true
			client, err := httpclient.New(hc, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer client.CloseIdleConnections()

			stop := hogCPU(20 * time.Second)
			defer stop()
			// The first round dials. Its reads, and those of a few more rounds
			// on a loaded machine, may come before the kernel has turned
			// receive stamping on (it does so a moment after the first socket
			// asks): rounds go on until two were stamped by the kernel.
			for round, checked := 0, 0; checked < 2; round++ {
				if round == 100 {
					t.Fatal("no request stamped by the kernel in 100 rounds")
				}
				var arrival *httpclient.Arrival
				ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
					GotConn: func(i httptrace.GotConnInfo) { arrival = httpclient.ArrivalOf(i) },
				})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				if arrival == nil {
					t.Fatal("no kernel stamps on a connection the client dialed")
				}
				var s stream
				s.reset(start)
				s.arrival = arrival
				body := &countedReader{r: resp.Body}
				err = s.read(bufio.NewReaderSize(body, 64))
				resp.Body.Close()
				if err != nil || !s.done {
					t.Fatalf("round %d: read: %v (done %v)", round, err, s.done)
				}
				if len(s.responses) != stampChunks {
					t.Fatalf("round %d: %d responses; want %d", round, len(s.responses), stampChunks)
				}
				if s.stampSource() != record.StampKernel {
					if checked > 0 {
						t.Fatalf("round %d: stamped by %q after a round stamped by the kernel", round, s.stampSource())
					}
					continue // before stamping was on
				}
				checked++
				end := 0
				for i, r := range s.responses {
					end += len(stampEvent(i))
					got := start.UnixNano() + int64(r.Offset)
					seen := int64(0)
					for _, rs := range body.seen {
						if rs.total >= end {
							seen = start.UnixNano() + int64(rs.at.Sub(start))
							break
						}
					}
					if got < sent[i].Load() || got >= seen {
						t.Errorf("round %d chunk %d: stamp %d ns; want in [sent %d, seen %d)", round, i, got-start.UnixNano(), sent[i].Load()-start.UnixNano(), seen-start.UnixNano())
					}
				}
			}
		})
	}
}
