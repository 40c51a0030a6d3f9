package testkit

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// ReadPNG gives back the pixels written, whatever the PNG's colour model.
func TestReadPNG(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	img.SetGray(2, 1, color.Gray{Y: 200})
	path := filepath.Join(t.TempDir(), "a.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got := ReadPNG(t, path)
	if got.Bounds() != img.Bounds() || got.RGBAAt(2, 1) != (color.RGBA{200, 200, 200, 255}) || got.RGBAAt(0, 0) != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("bounds %v, pixels %v %v", got.Bounds(), got.RGBAAt(2, 1), got.RGBAAt(0, 0))
	}
}
