package httpclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/prometheus/common/config"
)

// secretRefresh is how often a file secret is read again, so a rotated password,
// token or certificate is picked up without a file read on every request (which
// would land inside the measured time).
const secretRefresh = time.Second

// secret returns the reader of a secret given inline or as a file (nil when
// neither is set).
func secret(inline config.Secret, file string) config.SecretReader {
	switch {
	case inline != "":
		return config.NewInlineSecret(string(inline))
	case file != "":
		return &secretFile{path: file}
	}
	return nil
}

// secretFile is a config.SecretReader of a file's trimmed content, re-read at
// most once per secretRefresh. Errors name the file, never its content.
type secretFile struct {
	path string
	mu   sync.Mutex // one reader at a time refreshes
	last atomic.Pointer[secretRead]
}

type secretRead struct {
	value string
	err   error
	at    time.Time
}

// Fetch returns the file's content, read at most secretRefresh ago.
func (s *secretFile) Fetch(context.Context) (string, error) {
	if r := s.last.Load(); r != nil && time.Since(r.at) < secretRefresh {
		return r.value, r.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.last.Load(); r != nil && time.Since(r.at) < secretRefresh {
		return r.value, r.err
	}
	r := &secretRead{at: time.Now()}
	r.value, r.err = ReadSecretFile(s.path)
	s.last.Store(r)
	return r.value, r.err
}

// maxSecretFileBytes bounds a secret file: a token or password is far
// shorter, and a path to a device such as /dev/zero must not hang a request.
const maxSecretFileBytes = 64 << 10

// ReadSecretFile returns a secret file's trimmed content, refusing one larger
// than maxSecretFileBytes. Errors name the file, never its content.
func ReadSecretFile(path string) (string, error) {
	b, err := boundedfile.Read(path, maxSecretFileBytes)
	if err != nil {
		return "", fmt.Errorf("secret file %s: %w", path, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// Description names the file.
func (s *secretFile) Description() string { return "file " + s.path }

// Immutable is false: the file may change.
func (s *secretFile) Immutable() bool { return false }
