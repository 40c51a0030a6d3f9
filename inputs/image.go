package inputs

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/draw"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Image formats of --image-format, as AIPerf names them.
const (
	imagePNG    = "png"
	imageJPEG   = "jpeg"
	imageRandom = "random"
)

// Image sources of --image-source: noise, AIPerf's bundled assets (not ours
// to ship), or else a directory of images.
const (
	imageNoise  = "noise"
	imageAssets = "assets"
)

// maxImageSide bounds a drawn width or height (pixels): a draw far out in the
// tail of a wide distribution must not ask for gigabytes of pixels.
const maxImageSide = 16384

// imageMaker draws and encodes the synthetic images of a dataset.
type imageMaker struct {
	o      *options.Options
	rng    *rand.Rand
	source *imageDir // nil: noise
}

// newImageMaker checks the --image-* settings and returns nil when images are
// off (--image-batch-size 0, the default).
func newImageMaker(o *options.Options, rng *rand.Rand) (*imageMaker, error) {
	if err := checkImageOptions(o); err != nil {
		return nil, err
	}
	if !imagesOn(o) {
		return nil, nil
	}
	m := &imageMaker{o: o, rng: rng}
	if o.ImageSource != imageNoise {
		dir, err := openImageDir(expandHome(o.ImageSource), o.ImageSourceSampling)
		if err != nil {
			return nil, &options.Error{Flag: "image-source", Msg: err.Error()}
		}
		m.source = dir
	}
	return m, nil
}

// expandHome reads a leading ~/ as the home directory, as AIPerf's Path.expanduser does.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// imagesOn reports whether synthetic images are asked for.
func imagesOn(o *options.Options) bool {
	return o.ImageWidthMean > 0 && o.ImageHeightMean > 0 && o.ImageBatchSize > 0
}

// checkImageOptions refuses a bad --image-* value, naming the flag.
func checkImageOptions(o *options.Options) error {
	bad := func(flag, format string, args ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, args...)}
	}
	for _, f := range []struct {
		flag string
		v    float64
	}{
		{"image-width-mean", o.ImageWidthMean}, {"image-width-stddev", o.ImageWidthStddev},
		{"image-height-mean", o.ImageHeightMean}, {"image-height-stddev", o.ImageHeightStddev},
	} {
		if !(f.v >= 0 && f.v <= maxImageSide) { // NaN fails too
			return bad(f.flag, "must be between 0 and %d pixels, got %g", maxImageSide, f.v)
		}
	}
	switch {
	case o.ImageBatchSize < 0:
		return bad("image-batch-size", "must be >= 0, got %d", o.ImageBatchSize)
	case o.ImageFormat != imagePNG && o.ImageFormat != imageJPEG && o.ImageFormat != imageRandom:
		return bad("image-format", "unknown format %s (want png, jpeg or random)", quoted(o.ImageFormat))
	case o.ImageSource == imageAssets:
		return bad("image-source", "AIPerf's bundled source images are not shipped here: give noise or a directory of images")
	case o.ImageSource == "":
		return bad("image-source", "empty: give noise or a directory of images")
	}
	switch o.ImageSourceSampling {
	case sampleRandom, sampleShuffle, sampleSequential:
	default:
		return bad("image-source-sampling", "unknown strategy %s (want random-with-replacement, shuffle-cycle or sequential-cycle)", quoted(o.ImageSourceSampling))
	}
	if o.ImageSource == imageNoise && o.ImageSourceSampling != sampleRandom {
		return bad("image-source-sampling", "%s needs a directory of images (--image-source): noise has no finite pool", o.ImageSourceSampling)
	}
	// AIPerf sends no image when a side's mean is 0; asked for images, that is surely a slip.
	if o.ImageBatchSize > 0 {
		if o.ImageWidthMean == 0 {
			return bad("image-width-mean", "is 0 while --image-batch-size is %d: give both sides to send images", o.ImageBatchSize)
		}
		if o.ImageHeightMean == 0 {
			return bad("image-height-mean", "is 0 while --image-batch-size is %d: give both sides to send images", o.ImageBatchSize)
		}
	}
	if imagesOn(o) && promptSource(o) != "" {
		return bad("image-width-mean", "synthetic images go with synthetic prompts only, not with --input-file, --public-dataset or --audio-source speech")
	}
	if imagesOn(o) && o.EndpointType == EndpointTranscription {
		return bad("image-width-mean", "%s takes no images", EndpointTranscription)
	}
	return nil
}

// next draws one image's size and format, makes its pixels (noise, or the
// next source image resized) and encodes it as a data URL.
func (m *imageMaker) next() (*urlRef, error) {
	format := m.o.ImageFormat
	if format == imageRandom {
		format = []string{imagePNG, imageJPEG}[m.rng.Intn(2)]
	}
	w := min(sampleTokens(m.rng, m.o.ImageWidthMean, m.o.ImageWidthStddev), maxImageSide)
	h := min(sampleTokens(m.rng, m.o.ImageHeightMean, m.o.ImageHeightStddev), maxImageSide)
	var img image.Image
	if m.source == nil {
		img = noiseImage(m.rng, w, h)
	} else {
		src, err := m.source.next(m.rng)
		if err != nil {
			return nil, &options.Error{Flag: "image-source", Msg: err.Error()}
		}
		img = resize(src, w, h)
	}
	url, err := imageDataURL(img, format)
	if err != nil {
		return nil, fmt.Errorf("synthetic image: %w", err)
	}
	return newURLRef(url), nil
}

// noiseImage is w x h opaque pixels of uniform random colour, as AIPerf's noise source.
func noiseImage(rng *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng.Read(img.Pix)
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xff
	}
	return img
}

// resize scales src to w x h with a bicubic (Catmull-Rom) filter, as PIL's
// default resize does.
func resize(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

// imageDataURL encodes img as PNG or JPEG (quality 75, PIL's default) in a
// data:image/<format>;base64, URL, as AIPerf's generator returns it.
func imageDataURL(img image.Image, format string) (string, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case imagePNG:
		err = png.Encode(&buf, img)
	case imageJPEG:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75})
	default:
		err = fmt.Errorf("unknown image format %s", quoted(format))
	}
	if err != nil {
		return "", err
	}
	return "data:image/" + format + ";base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
