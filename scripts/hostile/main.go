// Command hostile is the soak's hostile server: a loopback-only HTTP server
// that answers every POST with the next of a cycle of answers a broken server
// or proxy gives (see modes). scripts/soak.sh mixes it with the mock server
// through `serve --url mock=… --url hostile=…` round robin.
//
// Every answer is bounded, so the soak itself can never run away: an endless
// body stops after -max-bytes or -max-time, or as soon as the client hangs up;
// a stall ends after -max-time.
package main

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// modes are the answers the server knows, in the order of its cycle.
var modes = []string{"endless_line", "endless_body", "gzip", "bare_cr", "stall", "huge_error"}

// limits bound each answer.
type limits struct {
	maxBytes int64         // bytes written by one endless answer at most
	maxTime  time.Duration // how long one answer (endless or stalled) may last
}

// server answers requests in turn with each mode of cycle and counts them.
type server struct {
	lim   limits
	cycle []int // indexes into modes; nil: every mode
	next  atomic.Uint64
	count [6]atomic.Uint64 // per mode, index as modes
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/health":
		io.WriteString(w, "ok\n")
		return
	case r.Method == http.MethodGet && r.URL.Path == "/stats":
		for i, m := range modes {
			fmt.Fprintf(w, "%s %d\n", m, s.count[i].Load())
		}
		return
	case r.Method != http.MethodPost:
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
	n := int(s.next.Add(1) - 1)
	i := n % len(modes)
	if len(s.cycle) > 0 {
		i = s.cycle[n%len(s.cycle)]
	}
	s.count[i].Add(1)
	ctx, cancel := context.WithTimeout(r.Context(), s.lim.maxTime)
	defer cancel()
	switch modes[i] {
	case "endless_line": // one SSE line that never ends
		w.Header().Set("Content-Type", "text/event-stream")
		s.endless(ctx, w, "data: {\"choices\":[{\"delta\":{\"content\":\"", 'a')
	case "endless_body": // a non-streamed 200 body that never ends
		w.Header().Set("Content-Type", "application/json")
		s.endless(ctx, w, "{\"choices\":[{\"message\":{\"content\":\"", 'b')
	case "gzip": // a valid stream, gzip-encoded although nobody asked
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		writeStream(zw, "\n")
		zw.Close()
	case "bare_cr": // a valid stream whose lines end in a bare CR
		w.Header().Set("Content-Type", "text/event-stream")
		writeStream(w, "\r")
	case "stall": // headers and one token, then nothing until the client gives up
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, chunk("x")+"\n\n")
		w.(http.Flusher).Flush()
		<-ctx.Done()
	case "huge_error": // a 500 whose body never ends
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		s.endless(ctx, w, "hostile error: ", 'e')
	}
}

// endless writes prefix, then fill bytes until the client hangs up, ctx ends
// or maxBytes are written.
func (s *server) endless(ctx context.Context, w io.Writer, prefix string, fill byte) {
	block := []byte(strings.Repeat(string(fill), 64<<10))
	n, _ := io.WriteString(w, prefix)
	for written := int64(n); written < s.lim.maxBytes && ctx.Err() == nil; written += int64(len(block)) {
		if _, err := w.Write(block); err != nil {
			return
		}
	}
}

// chunk is one chat completion event carrying tok.
func chunk(tok string) string {
	return `data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"` + tok + `"}}]}`
}

// writeStream writes a short valid chat completion stream, each line ended by eol.
func writeStream(w io.Writer, eol string) {
	for _, tok := range []string{"hostile", " but", " valid"} {
		io.WriteString(w, chunk(tok)+eol+eol)
	}
	io.WriteString(w, `data: {"object":"chat.completion.chunk","choices":[{"delta":{},"finish_reason":"stop"}]}`+eol+eol)
	io.WriteString(w, "data: [DONE]"+eol+eol)
}

// parseModes turns "gzip,stall" into indexes of modes; "" is every mode.
func parseModes(list string) ([]int, error) {
	var cycle []int
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		i := slices.Index(modes, name)
		if i < 0 {
			return nil, fmt.Errorf("-modes: unknown mode %q (known: %s)", name, strings.Join(modes, ","))
		}
		cycle = append(cycle, i)
	}
	return cycle, nil
}

// listenLoopback refuses any address that is not on the loopback interface.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-addr %q: only a loopback IP address is allowed", addr)
	}
	return net.Listen("tcp", addr)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	maxBytes := flag.Int64("max-bytes", 256<<20, "bytes one endless answer writes at most")
	maxTime := flag.Duration("max-time", 30*time.Second, "how long one answer lasts at most")
	only := flag.String("modes", "", "comma-separated modes to cycle through (default all: "+strings.Join(modes, ",")+")")
	flag.Parse()
	cycle, err := parseModes(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(2)
	}
	ln, err := listenLoopback(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(2)
	}
	fmt.Printf("hostile server on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: &server{lim: limits{*maxBytes, *maxTime}, cycle: cycle}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
