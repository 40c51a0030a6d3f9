package record

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Responses are a request's responses, in arrival order. In JSON each one is
// [offset_ns, kind], not an object: a record of a long answer stays short in
// profile_export.jsonl (about 13 bytes a response instead of 33). The object
// form {"offset_ns", "kind"} of earlier files is read too.
type Responses []Response

// MarshalJSON writes [[offset_ns, kind], ...], or null for none.
func (rs Responses) MarshalJSON() ([]byte, error) {
	if rs == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+16*len(rs))
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(r.Offset), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(r.Kind), 10)
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads both forms.
func (rs *Responses) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*rs = nil
		return nil
	}
	out := make(Responses, len(raw))
	for i, m := range raw {
		if len(m) == 0 || m[0] != '[' {
			if err := json.Unmarshal(m, &out[i]); err != nil {
				return fmt.Errorf("response %d: %w", i, err)
			}
			continue
		}
		var pair []int64
		if err := json.Unmarshal(m, &pair); err != nil || len(pair) != 2 || pair[1] < 0 || pair[1] > 255 {
			return fmt.Errorf("response %d: want [offset_ns, kind], got %s", i, m)
		}
		out[i] = Response{Offset: time.Duration(pair[0]), Kind: ResponseKind(pair[1])}
	}
	*rs = out
	return nil
}
