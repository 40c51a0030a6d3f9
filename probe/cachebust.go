package probe

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
)

// newRunID is a random id that makes every run's cache-bust markers new, as
// AIPerf's fresh benchmark id does: a rerun must not find the last run's
// prefixes in the server's cache.
func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// bustDigest is the 12 hex characters of one play of a conversation: the
// same for all its turns, new for every session that plays it again (AIPerf
// digests its benchmark id, recycle pass, lane and trace id the same way).
func (e *engine) bustDigest(session int64, conversation string) string {
	sum := sha256.Sum256([]byte(e.runID + ":" + strconv.FormatInt(session, 10) + ":" + conversation))
	return hex.EncodeToString(sum[:6])
}

// marked is turn with the play's marker in its body: a copy whose body
// shares every segment but one.
func marked(turn *inputs.Turn, digest string) *inputs.Turn {
	t := *turn
	t.Body = turn.Bust.WithMarker(turn.Body, digest)
	return &t
}
