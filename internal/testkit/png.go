package testkit

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"testing"
)

// ReadPNG decodes the PNG at path into RGBA pixels (converted once up front:
// per-pixel interface calls are slow under -race); a file that is missing or
// not a PNG fails the test.
func ReadPNG(t testing.TB, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s does not decode as PNG: %v", path, err)
	}
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, img, b.Min, draw.Src)
	return rgba
}
