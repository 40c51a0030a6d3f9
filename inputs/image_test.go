package inputs

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// decodedImage is one image_url part decoded: its format, size and pixels.
type decodedImage struct {
	format string
	img    image.Image
}

// imagesOf decodes every image_url part of a turn's body, checking AIPerf's
// data URL shape (data:image/<format>;base64,<data>).
func imagesOf(t *testing.T, b Body) []decodedImage {
	t.Helper()
	var out []decodedImage
	for _, p := range parts(t, decode(t, b)) {
		if p.Type != "image_url" {
			continue
		}
		rest, ok := strings.CutPrefix(p.ImageURL.URL, "data:image/")
		format, b64, ok2 := strings.Cut(rest, ";base64,")
		if !ok || !ok2 {
			t.Fatalf("image URL %.40q is not data:image/<format>;base64,", p.ImageURL.URL)
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		img, got, err := image.Decode(bytes.NewReader(data))
		if err != nil || got != format {
			t.Fatalf("image says %s, decodes as %q: %v", format, got, err)
		}
		out = append(out, decodedImage{format, img})
	}
	return out
}

func TestSyntheticImages(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		perTurn int
		formats string // the formats every image may have
		w, h    int    // 0: varies
	}{
		{"jpeg by default", []string{"--image-width-mean", "64", "--image-height-mean", "32", "--image-batch-size", "1"}, 1, "jpeg", 64, 32},
		{"512x512 by default", []string{"--image-batch-size", "1"}, 1, "jpeg", 512, 512},
		{"png, two per request", []string{"--image-width-mean", "20", "--image-height-mean", "10", "--image-format", "png", "--image-batch-size", "2"}, 2, "png", 20, 10},
		{"random formats and sizes", []string{"--image-width-mean", "30", "--image-width-stddev", "8", "--image-height-mean", "30", "--image-height-stddev", "8", "--image-format", "random", "--batch-size-image", "3"}, 3, "png jpeg", 0, 0},
		{"batch size 0 (the default) sends none", []string{"--image-width-mean", "30", "--image-height-mean", "30"}, 0, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-m", "x", "--isl", "5", "--num-dataset-entries", "20"}, tc.args...)
			d := build(t, 3, args...)
			formats, sizes := map[string]bool{}, map[image.Point]bool{}
			for _, c := range d.Conversations {
				imgs := imagesOf(t, c.Turns[0].Body)
				if len(imgs) != tc.perTurn {
					t.Fatalf("%d images in a request, want %d", len(imgs), tc.perTurn)
				}
				if ps := parts(t, decode(t, c.Turns[0].Body)); tc.perTurn > 0 && ps[0].Type != "text" {
					t.Fatalf("first part %q, want the text before the images (AIPerf's order)", ps[0].Type)
				}
				for _, im := range imgs {
					formats[im.format] = true
					size := im.img.Bounds().Size()
					sizes[size] = true
					if !strings.Contains(tc.formats, im.format) {
						t.Fatalf("format %s, want %s", im.format, tc.formats)
					}
					if tc.w > 0 && (size.X != tc.w || size.Y != tc.h) {
						t.Fatalf("size %v, want %dx%d", size, tc.w, tc.h)
					}
					if size.X < 1 || size.Y < 1 {
						t.Fatalf("size %v", size)
					}
				}
			}
			if tc.w == 0 && tc.perTurn > 0 && (len(sizes) < 5 || len(formats) != 2) {
				t.Fatalf("sizes %v and formats %v do not vary", sizes, formats)
			}
		})
	}
}

// The same seed gives the same images, byte for byte; another seed others.
func TestSyntheticImagesAreSeeded(t *testing.T) {
	args := []string{"-m", "x", "--isl", "5", "--num-dataset-entries", "3", "--image-width-mean", "16", "--image-height-mean", "16", "--image-format", "random", "--image-batch-size", "1"}
	a, b, c := build(t, 7, args...), build(t, 7, args...), build(t, 8, args...)
	for i := range a.Conversations {
		if !bytes.Equal(a.Conversations[i].Turns[0].Body.Bytes(), b.Conversations[i].Turns[0].Body.Bytes()) {
			t.Fatal("same seed, different bodies")
		}
	}
	if bytes.Equal(a.Conversations[0].Turns[0].Body.Bytes(), c.Conversations[0].Turns[0].Body.Bytes()) {
		t.Fatal("another seed, same body")
	}
}

// The base64 image is one shared segment of the body (the hot-path rule: a
// body is written by reference, never re-encoded).
func TestSyntheticImageIsASharedSegment(t *testing.T) {
	o := opts(t, "-m", "x", "--isl", "5", "--num-dataset-entries", "1", "--image-width-mean", "8", "--image-height-mean", "8", "--image-batch-size", "1")
	b, err := newBuilder(o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := b.images.next()
	if err != nil {
		t.Fatal(err)
	}
	body := (&chatRequest{Messages: []message{{Role: "user", Images: []*urlRef{ref}}}, Model: "m"}).body()
	for _, seg := range body {
		if len(seg) > 0 && &seg[0] == &ref.JSON[0] {
			return
		}
	}
	t.Fatal("the image's JSON bytes are copied into the body, not shared")
}

// writeImage writes a w x h PNG of one colour.
func writeImage(t *testing.T, path string, w, h int, c color.RGBA) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sourceDir holds three one-colour images (red, green, blue by name order),
// a broken .png that must be skipped, and a text file that is not an image.
func sourceDir(t *testing.T) string {
	dir := t.TempDir()
	writeImage(t, filepath.Join(dir, "a.png"), 40, 30, color.RGBA{255, 0, 0, 255})
	writeImage(t, filepath.Join(dir, "b.PNG"), 7, 9, color.RGBA{0, 255, 0, 255})
	writeImage(t, filepath.Join(dir, "c.png"), 100, 1, color.RGBA{0, 0, 255, 255})
	if err := os.WriteFile(filepath.Join(dir, "bb.png"), []byte("not a png"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// colourOf names the colour at the centre of a decoded image.
func colourOf(img image.Image) string {
	b := img.Bounds()
	r, g, bl, _ := img.At(b.Min.X+b.Dx()/2, b.Min.Y+b.Dy()/2).RGBA()
	switch {
	case r > 0xc000 && g < 0x4000 && bl < 0x4000:
		return "r"
	case g > 0xc000 && r < 0x4000 && bl < 0x4000:
		return "g"
	case bl > 0xc000 && r < 0x4000 && g < 0x4000:
		return "b"
	}
	return "?"
}

func TestImageSourceDirectory(t *testing.T) {
	dir := sourceDir(t)
	seq := func(sampling string) string {
		d := build(t, 5, "-m", "x", "--isl", "5", "--num-dataset-entries", "9", "--image-width-mean", "12", "--image-height-mean", "6",
			"--image-format", "png", "--image-batch-size", "1", "--image-source", dir, "--image-source-sampling", sampling)
		var s string
		for _, c := range d.Conversations {
			im := imagesOf(t, c.Turns[0].Body)[0]
			if size := im.img.Bounds().Size(); size != (image.Point{12, 6}) {
				t.Fatalf("source image not resized: %v", size)
			}
			s += colourOf(im.img)
		}
		return s
	}
	if got := seq("sequential-cycle"); got != "rgbrgbrgb" {
		t.Fatalf("sequential-cycle drew %s, want rgbrgbrgb (sorted names, the broken file skipped)", got)
	}
	got := seq("shuffle-cycle")
	for i := 0; i < len(got); i += 3 {
		round := got[i : i+3]
		if !strings.Contains(round, "r") || !strings.Contains(round, "g") || !strings.Contains(round, "b") {
			t.Fatalf("shuffle-cycle drew %s: round %s misses an image", got, round)
		}
	}
	if got := seq("random-with-replacement"); strings.Contains(got, "?") || len(got) != 9 {
		t.Fatalf("random-with-replacement drew %s", got)
	}
	t.Setenv("HOME", filepath.Dir(dir))
	dir = "~/" + filepath.Base(dir) // AIPerf expands ~ too
	if got := seq("sequential-cycle"); got != "rgbrgbrgb" {
		t.Fatalf("--image-source ~/...: drew %s", got)
	}
}

func TestImageOptionErrors(t *testing.T) {
	empty, broken := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "x.jpg"), []byte("not a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(broken, "x.jpg")
	on := []string{"--image-width-mean", "8", "--image-height-mean", "8", "--image-batch-size", "1"}
	wantFlagRefusals(t, []string{"-m", "x"}, []flagRefusal{
		{[]string{"--image-width-mean", "-1"}, "image-width-mean", "between 0 and 16384"},
		{[]string{"--image-height-stddev", "NaN"}, "image-height-stddev", "between 0"},
		{[]string{"--image-width-mean", "20000", "--image-height-mean", "8"}, "image-width-mean", "16384"},
		{[]string{"--image-height-mean", "0", "--image-batch-size", "1"}, "image-height-mean", "give both"},
		{[]string{"--image-width-mean", "0", "--image-batch-size", "2"}, "image-width-mean", "give both"},
		{[]string{"--image-batch-size", "-1"}, "image-batch-size", ">= 0"},
		{append([]string{"--image-format", "gif"}, on...), "image-format", `unknown format "gif"`},
		{append([]string{"--image-source", "assets"}, on...), "image-source", "bundled"},
		{append([]string{"--image-source", empty}, on...), "image-source", "no image files"},
		{append([]string{"--image-source", file}, on...), "image-source", "not a directory"},
		{append([]string{"--image-source", filepath.Join(empty, "nope")}, on...), "image-source", "neither noise nor a readable directory"},
		{append([]string{"--image-source", broken}, on...), "image-source", "no readable image"},
		{append([]string{"--image-source-sampling", "shuffle-cycle"}, on...), "image-source-sampling", "noise has no finite pool"},
		{append([]string{"--image-source-sampling", "x"}, on...), "image-source-sampling", `unknown strategy "x"`},
		{append([]string{"--num-dataset-entries", "100000", "--image-batch-size", "10"}, "--image-width-mean", "1000", "--image-height-mean", "1000"), "image-batch-size", "GiB"},
		{append([]string{"--input-file", file}, on...), "image-width-mean", "synthetic prompts only"},
		{append([]string{"--endpoint-type", "audio_transcription", "--audio-length-mean", "1"}, on...), "image-width-mean", "takes no images"},
	})
}

// Images alone (no text, no audio) are a request, as in AIPerf.
func TestImagesWithoutText(t *testing.T) {
	d := build(t, 1, "-m", "x", "--isl", "0", "--num-dataset-entries", "2", "--image-width-mean", "4", "--image-height-mean", "4", "--image-batch-size", "1")
	ps := parts(t, decode(t, d.Conversations[0].Turns[0].Body))
	if len(ps) != 1 || ps[0].Type != "image_url" {
		t.Fatalf("parts %+v, want one image_url", ps)
	}
}
