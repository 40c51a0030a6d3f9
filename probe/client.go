package probe

import (
	"net"
	"net/http"
	"time"
)

// NewClient returns an HTTP client tuned for measuring: keep-alive connections
// sized to the concurrency so no request waits for a connection, no transparent
// compression (it would hide chunk arrival), and no client-wide timeout (each
// request carries its own deadline).
func NewClient(concurrency int) *http.Client {
	if concurrency < 1 {
		concurrency = 1
	}
	t := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:          0, // no global cap
		MaxIdleConnsPerHost:   concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 0,
		DisableCompression:    true,
		WriteBufferSize:       64 << 10, // audio bodies are large
		ReadBufferSize:        8 << 10,
	}
	return &http.Client{Transport: t}
}
