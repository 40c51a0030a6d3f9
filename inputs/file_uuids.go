package inputs

import (
	"errors"
	"fmt"
)

// vLLM's multimodal cache ids on images (AIPerf's single_turn image_uuids and
// Image.uuids): the chat body sends each as the image part's "uuid", and an
// image with an empty url and a uuid asks the server for its cached copy.

// normalizeImageUUIDs moves image_uuids onto the string-form images they are
// aligned with (empty images when none are given: cache-only references),
// refusing what AIPerf's SingleTurn validator refuses.
func (lt *lineTurn) normalizeImageUUIDs() error {
	ids := lt.ImageUUIDs
	if ids == nil {
		return nil
	}
	switch {
	case lt.Image != nil:
		return errors.New("image_uuids cannot be used with the singular image field")
	case len(lt.Images) == 0:
		lt.Images = make([]item, len(ids))
		for i := range lt.Images {
			lt.Images[i] = item{Contents: []string{""}, plain: true}
		}
	case len(ids) != len(lt.Images):
		return fmt.Errorf("image_uuids has %d entries, images %d: they must match", len(ids), len(lt.Images))
	}
	for i, id := range ids {
		if !lt.Images[i].plain {
			return errors.New("image_uuids cannot be set when images are objects; give each its own uuids")
		}
		if id == "" {
			return errors.New("image_uuids must not contain empty strings")
		}
		lt.Images[i].UUIDs = []string{id}
	}
	lt.ImageUUIDs = nil
	return nil
}

// stripSeen empties the images whose uuid an earlier line of the same session
// sent with content (--uuid-and-strip), then adds this line's sent uuids to
// seen: a repeat within one line keeps its content, as AIPerf's single_turn
// loader strips only across lines.
func (lt *lineTurn) stripSeen(seen map[string]bool) {
	var sent []string
	for i := range lt.Images {
		it := &lt.Images[i]
		for j, id := range it.UUIDs {
			switch {
			case seen[id]:
				it.Contents[j] = ""
			case it.Contents[j] != "":
				sent = append(sent, id)
			}
		}
	}
	for _, id := range sent {
		seen[id] = true
	}
}

// imageSlots flattens a line's images with their uuids ("" for none; nil
// when no image has one); an object's uuids must match its contents.
func imageSlots(lt lineTurn) (contents, uuids []string, err error) {
	if contents, err = oneOrMany("image", lt.Image, lt.Images); err != nil {
		return nil, nil, err
	}
	has := false
	for _, it := range lt.Images {
		if len(it.UUIDs) == 0 {
			uuids = append(uuids, make([]string, len(it.Contents))...)
			continue
		}
		if len(it.UUIDs) != len(it.Contents) {
			return nil, nil, fmt.Errorf("images: an entry has %d uuids for %d contents: they must match", len(it.UUIDs), len(it.Contents))
		}
		uuids, has = append(uuids, it.UUIDs...), true
	}
	if !has {
		uuids = nil
	}
	return contents, uuids, nil
}

// noUUIDs refuses uuids on texts, audios and videos: only images carry them.
func noUUIDs(lt lineTurn) error {
	names := []string{"texts", "audios", "videos"}
	for i, items := range [][]item{lt.Texts, lt.Audios, lt.Videos} {
		for _, it := range items {
			if it.UUIDs != nil {
				return fmt.Errorf("%s: uuids are for images only", names[i])
			}
		}
	}
	return nil
}
