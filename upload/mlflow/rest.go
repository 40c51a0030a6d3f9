package mlflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/upload/internal/rest"
)

// apiError is MLflow's error reply: {"error_code": ..., "message": ...}.
type apiError struct {
	Status  int
	Code    string `json:"error_code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// notFound tells an MLflow RESOURCE_DOES_NOT_EXIST reply.
func notFound(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Code == "RESOURCE_DOES_NOT_EXIST"
}

// client calls one tracking server's REST API.
type client struct {
	base  string
	cfg   Config
	http  *http.Client // REST calls
	files *http.Client // artifact uploads: the same transport, a longer timeout
}

func (c *client) auth(req *http.Request) {
	switch {
	case c.cfg.Token != "":
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	case c.cfg.Username != "":
		req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	}
}

// call sends in (nil: a GET) to path and decodes the reply into out.
func (c *client) call(ctx context.Context, path string, query url.Values, in, out any) error {
	u := c.base + "/api/2.0/mlflow/" + path
	if query != nil {
		u += "?" + query.Encode()
	}
	req, err := rest.NewJSON(ctx, u, in)
	if err != nil {
		return err
	}
	return c.do(c.http, req, path, out)
}

// upload PUTs the file at local to the run's proxied artifact store.
func (c *client) upload(ctx context.Context, artifactPath, local string) error {
	f, size, err := boundedfile.Open(local, rest.MaxFile) // a named pipe is never opened
	if err != nil {
		return err
	}
	defer f.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base+"/api/2.0/mlflow-artifacts/artifacts/"+escapePath(artifactPath), f)
	if err != nil {
		return err
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	return c.do(c.files, req, "mlflow-artifacts/artifacts", nil)
}

func (c *client) do(hc *http.Client, req *http.Request, what string, out any) error {
	c.auth(req)
	status, b, err := rest.Do(hc, req, what)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		ae := &apiError{Status: status}
		if json.Unmarshal(b, ae) != nil || ae.Message == "" {
			ae.Message = rest.Excerpt(b)
		}
		return fmt.Errorf("%s: %w", what, ae)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s: the reply is not MLflow's JSON: %v", what, err)
		}
	}
	return nil
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
