package probe

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
)

// readyImage is a 1x1 PNG as a data URL: the image of an image retrieval
// readiness request.
func readyImage() string {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))) // writing to memory cannot fail
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}
