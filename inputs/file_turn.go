package inputs

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// lineSpec is the turn spec of a single_turn line or of one turn of a
// multi_turn line: spec, checked against the endpoint, with its output length.
func (b *builder) lineSpec(lt lineTurn, m *media) (turnSpec, error) {
	ts, err := b.spec(lt, m)
	if err == nil {
		err = b.checkLine(ts)
	}
	if err == nil {
		ts.maxTokens, err = b.outputLength(lt.OutputLength)
	}
	return ts, err
}

// spec turns one decoded line turn into a turn spec, resolving its media. The
// output length is left to the caller (see outputLength).
func (b *builder) spec(lt lineTurn, m *media) (turnSpec, error) {
	var ts turnSpec
	msg := message{Role: lt.Role}
	if msg.Role == "" {
		msg.Role = "user"
	}
	var err error
	if msg.Texts, err = oneOrMany("text", lt.Text, lt.Texts); err != nil {
		return ts, err
	}
	if err := lt.normalizeImageUUIDs(); err != nil {
		return ts, err
	}
	if err := noUUIDs(lt); err != nil {
		return ts, err
	}
	images, uuids, err := imageSlots(lt)
	if err != nil {
		return ts, err
	}
	for i, s := range images {
		if s == "" && uuids != nil && uuids[i] != "" {
			msg.Images = append(msg.Images, newURLRef("")) // the server's cached copy
			continue
		}
		u, err := m.image(s)
		if err != nil {
			return ts, err
		}
		msg.Images = append(msg.Images, u)
	}
	msg.ImageUUIDs = uuids
	if uuids != nil && bodyOf(b.o.EndpointType) != endpoint.BodyChat {
		return ts, fmt.Errorf("image_uuids go to vLLM's multimodal cache on the chat endpoint only, not %s (a cache-only image would be sent empty)", b.o.EndpointType)
	}
	if msg.Audios, err = resolve("audio", lt.Audio, lt.Audios, m.audio); err != nil {
		return ts, err
	}
	if msg.Videos, err = resolve("video", lt.Video, lt.Videos, m.video); err != nil {
		return ts, err
	}
	// A token-in prompt: vllm_generate's is extra.token_ids, sglang_generate's token_ids.
	tokenIn := bodyOf(b.o.EndpointType) == endpoint.BodyTokenIDs && len(lt.Extra) > 0 ||
		bodyOf(b.o.EndpointType) == endpoint.BodyInputIDs && len(lt.TokenIDs) > 0
	if len(msg.Texts)+len(msg.Images)+len(msg.Audios)+len(msg.Videos) == 0 && !tokenIn {
		return ts, errNoModality
	}
	ts.msg, ts.tokenIDs = msg, lt.TokenIDs
	if lt.ReferenceText != nil {
		ts.reference = *lt.ReferenceText
	}
	if len(lt.Extra) > 0 {
		if ts.extra, err = objectFields(lt.Extra); err != nil {
			return ts, fmt.Errorf("extra: want a JSON object: %v", err)
		}
	}
	ts.delay, ts.timestamp, err = timing(lt.Timestamp, lt.Delay)
	return ts, err
}

// outputLength is the line's output_length when given, else a draw from --output-tokens-mean.
func (b *builder) outputLength(n *int) (int, error) {
	if n == nil {
		return b.outputTokens(), nil
	}
	if *n < 1 {
		return 0, fmt.Errorf("output_length must be >= 1, got %d", *n)
	}
	return *n, nil
}

// timing converts a line's timestamp and delay (ms, mutually exclusive).
func timing(timestamp, delay *float64) (time.Duration, *time.Duration, error) {
	ms := func(name string, v float64) (time.Duration, error) { return toDuration(name, v, time.Millisecond) }
	switch {
	case timestamp != nil && delay != nil:
		return 0, nil, errors.New("timestamp and delay cannot both be set")
	case timestamp != nil:
		t, err := ms("timestamp", *timestamp)
		return 0, &t, err
	case delay != nil:
		d, err := ms("delay", *delay)
		return d, nil, err
	}
	return 0, nil, nil
}

// resolve flattens one medium's `name` or `names` (oneOrMany) and resolves
// each entry (a media method).
func resolve[T any](name string, one *string, many []item, each func(string) (T, error)) ([]T, error) {
	entries, err := oneOrMany(name, one, many)
	if err != nil {
		return nil, err
	}
	var out []T
	for _, s := range entries {
		v, err := each(s)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// oneOrMany flattens `name` (one string) or `names` (items), which exclude each other.
func oneOrMany(name string, one *string, many []item) ([]string, error) {
	if one != nil && many != nil {
		return nil, fmt.Errorf("%s and %ss cannot both be set", name, name)
	}
	if one != nil {
		return []string{*one}, nil
	}
	var out []string
	for _, it := range many {
		out = append(out, it.Contents...)
	}
	return out, nil
}

// checkTime refuses a time of v units (a field named name, in the unit its
// file gives it) that is negative, NaN or past 2^63 ns, naming the unit and
// the value as the file has them: a trace in seconds is checked before it
// becomes milliseconds, so its error does not speak of a value it never had.
func checkTime(name string, v float64, unit time.Duration) error {
	limit := math.MaxInt64 / int64(unit)
	if v < 0 || math.IsNaN(v) || v > float64(limit) {
		return fmt.Errorf("%s must be between 0 and %d %s (2^63 ns), got %g", name, limit, unitName(unit), v)
	}
	return nil
}

// toDuration converts a time of v units read from a file, refused by
// checkTime before the conversion could overflow to a negative wait.
func toDuration(name string, v float64, unit time.Duration) (time.Duration, error) {
	if err := checkTime(name, v, unit); err != nil {
		return 0, err
	}
	return time.Duration(v * float64(unit)), nil
}

// unitName is how an error names the unit of a trace's times.
func unitName(unit time.Duration) string {
	if unit == time.Second {
		return "s"
	}
	return "ms"
}
