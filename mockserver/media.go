package mockserver

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // what an image_url part may carry
	_ "image/jpeg"
	_ "image/png"
	"strings"

	_ "golang.org/x/image/webp"
)

// mediaDataURL splits a data:<kind>/<format>;base64,<data> URL and decodes
// its data; an http(s) URL (the mock fetches nothing) gives ok false.
func mediaDataURL(kind, url string) (format string, data []byte, ok bool, err error) {
	if strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://") {
		return "", nil, false, nil
	}
	rest, isData := strings.CutPrefix(url, "data:"+kind+"/")
	format, b64, isB64 := strings.Cut(rest, ";base64,")
	if !isData || !isB64 || format == "" {
		return "", nil, false, fmt.Errorf("%s URL is neither http(s) nor data:%s/<format>;base64,<data>", kind, kind)
	}
	data, err = base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", nil, false, fmt.Errorf("%s is not valid base64: %w", kind, err)
	}
	return format, data, true, nil
}

// addImage checks an image_url part: a link, or a data URL whose bytes are
// an image of the format it names; it records the format and size. An empty
// url with a uuid is vLLM's cached-image reference, recorded as "uuid <id>".
func (p *prompt) addImage(url, uuid string) error {
	if url == "" && uuid != "" {
		p.images = append(p.images, "uuid "+uuid)
		p.imageRefs = append(p.imageRefs, uuid)
		return nil
	}
	if uuid != "" {
		p.imageUUIDs = append(p.imageUUIDs, uuid)
	}
	format, data, ok, err := mediaDataURL("image", url)
	if err != nil || !ok {
		if err == nil {
			p.images = append(p.images, "url")
		}
		return err
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("invalid image: %w", err)
	}
	if got != format {
		return fmt.Errorf("image says %s, holds %s", format, got)
	}
	p.images = append(p.images, fmt.Sprintf("%s %dx%d", format, cfg.Width, cfg.Height))
	return nil
}

// addVideo checks a video_url part: a link, or a data URL holding a WebM
// (EBML) or MP4 (ftyp box) file as it names; it records the container.
func (p *prompt) addVideo(url string) error {
	format, data, ok, err := mediaDataURL("video", url)
	if err != nil || !ok {
		if err == nil {
			p.videos = append(p.videos, "url")
		}
		return err
	}
	var valid bool
	switch format {
	case "webm":
		valid = bytes.HasPrefix(data, []byte{0x1a, 0x45, 0xdf, 0xa3})
	case "mp4":
		valid = len(data) >= 8 && string(data[4:8]) == "ftyp"
	default:
		return fmt.Errorf("video format %q is neither webm nor mp4", format)
	}
	if !valid {
		return errors.New("invalid video: not a " + format + " file")
	}
	p.videos = append(p.videos, format)
	return nil
}
