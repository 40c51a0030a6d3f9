package inputs

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// media resolves audio, image and video entries of an input file, each distinct file
// or inline value read and encoded once and then shared by reference.
type media struct {
	dir    string       // the input file's directory: relative paths start here
	files  *inputReader // reads them, all within the input file's bound
	clips  map[string]*clipRef
	images map[string]*urlRef
	videos map[string]*urlRef
}

func newMedia(dir string, files *inputReader) *media {
	return &media{dir: dir, files: files, clips: map[string]*clipRef{}, images: map[string]*urlRef{}, videos: map[string]*urlRef{}}
}

// audio resolves an audio entry: a `data:audio/<fmt>;base64,` URI, ready base64
// as "<fmt>,<base64>", or a local path. The format comes from the bytes.
func (m *media) audio(s string) (*clipRef, error) {
	key := s
	if !isInlineAudio(s) {
		key = m.path(s)
	}
	if c, ok := m.clips[key]; ok {
		return c, nil
	}
	data, what, err := m.audioBytes(s)
	if err != nil {
		return nil, err
	}
	info, err := audio.Inspect(data)
	if err != nil {
		return nil, fmt.Errorf("audio %s: unsupported audio: %w", clipped(what), err)
	}
	b64 := make([]byte, base64.StdEncoding.EncodedLen(len(data)))
	base64.StdEncoding.Encode(b64, data)
	c := &clipRef{Format: info.Format, Data: data, Base64: b64, Seconds: info.Seconds, Bytes: len(data)}
	m.clips[key] = c
	return c, nil
}

// audioBytes returns the file bytes of an audio entry and how to name it in errors.
func (m *media) audioBytes(s string) ([]byte, string, error) {
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		mime, b64, ok := strings.Cut(rest, ";base64,")
		if !ok || !strings.HasPrefix(mime, "audio/") {
			return nil, "", fmt.Errorf("audio data URI %s: want data:audio/<format>;base64,<data>", quoted(s))
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, "", fmt.Errorf("audio data URI: bad base64: %w", err)
		}
		return data, "data URI", nil
	}
	if isInlineAudio(s) {
		data, _ := base64.StdEncoding.DecodeString(s[strings.IndexByte(s, ',')+1:]) // checked by isInlineAudio
		return data, "\"" + s[:strings.IndexByte(s, ',')] + ",<base64>\"", nil
	}
	data, err := m.files.media(m.path(s))
	if err != nil {
		return nil, "", fmt.Errorf("audio %s: %w", clipped(s), err)
	}
	return data, s, nil
}

// isInlineAudio reports whether s is a data URI or "<fmt>,<base64>" rather than a path.
func isInlineAudio(s string) bool {
	if strings.HasPrefix(s, "data:") {
		return true
	}
	format, b64, ok := strings.Cut(s, ",")
	if !ok || (!strings.EqualFold(format, audio.FormatWAV) && !strings.EqualFold(format, audio.FormatMP3)) {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(b64)
	return err == nil && b64 != ""
}

// image resolves an image entry to the URL sent in an image_url part: http(s)
// and data: URLs as given, a local image file as a data URI; each distinct
// entry is encoded once and shared.
func (m *media) image(s string) (*urlRef, error) {
	return m.url("image", m.images, s, func(mime string) bool { return strings.HasPrefix(mime, "image/") }, "")
}

// video resolves a video entry to the URL sent in a video_url part: http(s)
// and data: URLs as given, a local WebM or MP4 file as a data URI; each
// distinct entry is encoded once and shared.
func (m *media) video(s string) (*urlRef, error) {
	return m.url("video", m.videos, s, func(mime string) bool { return mime == "video/webm" || mime == "video/mp4" }, "; want webm or mp4")
}

// url resolves an entry of kind to the URL sent in its part: http(s) and
// data: URLs as given, a local file as a data URI of its detected type, which
// ok must accept (want says what would do). Each distinct entry is encoded
// once and shared through seen.
func (m *media) url(kind string, seen map[string]*urlRef, s string, ok func(mime string) bool, want string) (*urlRef, error) {
	key := s
	inline := strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "data:")
	if !inline {
		key = m.path(s)
	}
	if r, found := seen[key]; found {
		return r, nil
	}
	url := s
	if !inline {
		data, err := m.files.media(key)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", kind, clipped(s), err)
		}
		mime := http.DetectContentType(data)
		if !ok(mime) {
			return nil, fmt.Errorf("%s %s: unsupported %s (%s%s)", kind, clipped(s), kind, mime, want)
		}
		url = "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
	}
	r := newURLRef(url)
	seen[key] = r
	return r, nil
}

// path resolves a path relative to the input file's directory.
func (m *media) path(s string) string {
	if filepath.IsAbs(s) {
		return filepath.Clean(s)
	}
	return filepath.Join(m.dir, s)
}
