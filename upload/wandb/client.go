package wandb

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/upload/internal/rest"
)

// client calls one W&B server as the wandb client does: GraphQL and the
// file stream with HTTP basic auth (user "api", the API key as password),
// files to the signed URLs the server hands out, without the key.
type client struct {
	base  string
	key   string
	http  *http.Client // GraphQL and file stream calls
	files *http.Client // file uploads: the same transport, a longer timeout
}

// gqlError is one entry of a GraphQL reply's "errors".
type gqlError struct {
	Message string `json:"message"`
}

// graphql runs query with vars and decodes the reply's data into out.
func (c *client) graphql(ctx context.Context, op, query string, vars map[string]any, out any) error {
	var reply struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := c.post(ctx, "/graphql", map[string]any{"query": query, "variables": vars}, &reply, op); err != nil {
		return err
	}
	if len(reply.Errors) > 0 {
		return fmt.Errorf("%s: %s", op, rest.Excerpt([]byte(reply.Errors[0].Message))) // as an HTTP error's
	}
	if err := json.Unmarshal(reply.Data, out); err != nil {
		return fmt.Errorf("%s: the reply's data is not what W&B sends: %v", op, err)
	}
	return nil
}

// post sends in as JSON to the API path and decodes the reply into out.
func (c *client) post(ctx context.Context, path string, in, out any, what string) error {
	req, err := rest.NewJSON(ctx, c.base+path, in)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	req.SetBasicAuth("api", c.key)
	body, err := c.do(c.http, req, what)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: the reply is not JSON: %v", what, err)
	}
	return nil
}

// put uploads size bytes of body to a signed URL with the headers the
// server asked for ("Name:value" strings, as createRunFiles gives them).
func (c *client) put(ctx context.Context, uploadURL string, headers []string, body io.Reader, size int64, what string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, uploadURL, body)
	if err != nil {
		return fmt.Errorf("%s: the upload URL: %w", what, err)
	}
	req.ContentLength = size
	for _, h := range headers {
		if k, v, ok := strings.Cut(h, ":"); ok {
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	_, err = c.do(c.files, req, what)
	return err
}

// do sends req and returns the body of a 2xx reply.
func (c *client) do(hc *http.Client, req *http.Request, what string) ([]byte, error) {
	status, b, err := rest.Do(hc, req, what)
	if err != nil {
		return nil, err
	}
	if status/100 != 2 {
		return nil, fmt.Errorf("%s: HTTP %d: %s", what, status, rest.Excerpt(b))
	}
	return b, nil
}
