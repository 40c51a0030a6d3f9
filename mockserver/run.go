package mockserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Running is a started mock server.
type Running struct {
	URL    string // http://host:port, no trailing slash
	Server *Server

	srv    *http.Server
	cancel context.CancelFunc // ends in-flight streams
	done   chan struct{}      // closed when Serve has returned
	once   sync.Once
	err    error
}

// Start listens on addr (127.0.0.1:0 when empty) and serves until Close or
// until ctx is cancelled.
func Start(ctx context.Context, addr string, cfg Config, log *zap.Logger) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mock server config: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock server listen on %s: %w", addr, err)
	}
	s := New(cfg, log)
	base, cancel := context.WithCancel(context.Background())
	r := &Running{
		URL:    "http://" + ln.Addr().String(),
		Server: s,
		srv: &http.Server{
			Handler:           s,
			ReadHeaderTimeout: 10 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return base },
			ErrorLog:          zap.NewStdLog(s.log),
		},
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		if err := r.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("mock server stopped", zap.Error(err))
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = r.Close()
		case <-r.done:
		}
	}()
	s.log.Info("mock server listening", zap.String("url", r.URL))
	return r, nil
}

// Close ends in-flight streams, closes the listener and connections, and waits
// for the server to stop. It is safe to call more than once. It does not wait
// for clients to hang up: http.Server.Shutdown would count a connection a
// client opened but never used as busy for its first 5 seconds, and
// `profile --mock` would sit that long after its files are written.
func (r *Running) Close() error {
	r.once.Do(func() {
		r.cancel() // handlers see it and return
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		defer cancel()
		if err := r.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			r.err = fmt.Errorf("mock server shutdown: %w", err)
		}
		if err := r.srv.Close(); err != nil {
			r.err = errors.Join(r.err, fmt.Errorf("mock server close: %w", err))
		}
		<-r.done
	})
	return r.err
}

// closeGrace is how long Close lets handlers finish writing (they were told to
// stop) before it closes every connection.
const closeGrace = 100 * time.Millisecond
