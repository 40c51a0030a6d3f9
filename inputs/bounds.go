package inputs

import (
	"errors"
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Bounds of what a dataset may make the client hold. Every clip is held twice
// (its bytes and their base64) for the whole run, so these are memory bounds.
const (
	// maxMediaFileBytes bounds one audio or image file of an input file
	// (256 MiB: 46 minutes of 48 kHz 16-bit stereo WAV).
	maxMediaFileBytes = 256 << 20
	// maxInputFileBytes bounds one --input-file (or pool) file, read whole.
	maxInputFileBytes = 4 << 30
	// maxSyntheticAudioBytes bounds the synthetic audio of a dataset, all clips
	// together, bytes and base64 (4 GiB).
	maxSyntheticAudioBytes = 4 << 30
)

// readMedia reads a media file: a regular file (a device such as /dev/zero
// never ends) of at most maxMediaFileBytes. An input file's media are read
// through its inputReader, which also bounds them all together.
func readMedia(path string) ([]byte, error) {
	return boundedfile.Read(path, maxMediaFileBytes)
}

// checkSyntheticAudio refuses a synthetic dataset whose audio would not fit the
// bound: --num-dataset-entries x --audio-batch-size clips of about
// --audio-length-mean seconds at the largest rate and depth asked for (WAV
// size; MP3 is smaller), each held as bytes and base64.
func checkSyntheticAudio(o *options.Options) error {
	if o.AudioLengthMean <= 0 {
		return nil
	}
	rate, depth := 0.0, 0
	for _, r := range o.AudioSampleRates {
		rate = max(rate, r*1000)
	}
	for _, d := range o.AudioDepths {
		depth = max(depth, d)
	}
	clips := float64(o.NumDatasetEntries) * float64(o.AudioBatchSize)
	perClip := o.AudioLengthMean * rate * float64(depth) / 8 * float64(max(o.AudioChannels, 1)) * (1 + 4.0/3)
	if total := clips * perClip; total > maxSyntheticAudioBytes {
		return &options.Error{Flag: "audio-batch-size", Msg: fmt.Sprintf(
			"%.0f clips (--num-dataset-entries x --audio-batch-size) of %gs would hold about %.1f GiB of audio, above the limit of %d GiB: lower --num-dataset-entries, --audio-batch-size or --audio-length-mean",
			clips, o.AudioLengthMean, total/(1<<30), maxSyntheticAudioBytes>>30)}
	}
	return nil
}

// maxSyntheticImageBytes bounds the synthetic images of a dataset, all their
// data URLs together (4 GiB).
const maxSyntheticImageBytes = 4 << 30

// checkSyntheticImages refuses a synthetic dataset whose images would not fit
// the bound: --num-dataset-entries x --image-batch-size images of the mean
// size at 3 bytes a pixel (noise does not compress), held as base64.
func checkSyntheticImages(o *options.Options) error {
	if !imagesOn(o) {
		return nil
	}
	images := float64(o.NumDatasetEntries) * float64(o.ImageBatchSize)
	perImage := o.ImageWidthMean * o.ImageHeightMean * 3 * 4 / 3
	if total := images * perImage; total > maxSyntheticImageBytes {
		return &options.Error{Flag: "image-batch-size", Msg: fmt.Sprintf(
			"%.0f images (--num-dataset-entries x --image-batch-size) of %gx%g would hold about %.1f GiB, above the limit of %d GiB: lower --num-dataset-entries, --image-batch-size or the image size",
			images, o.ImageWidthMean, o.ImageHeightMean, total/(1<<30), maxSyntheticImageBytes>>30)}
	}
	return nil
}

// maxInputDirBytes bounds all files of one --input-file together, a
// directory's as one file's: a directory of many files would otherwise be
// held whole, however large (4 GiB).
const maxInputDirBytes = 4 << 30

// inputReader reads the files of one --input-file (the file itself, files
// of the directory it names, the media files its lines name), all together
// at most limit bytes.
type inputReader struct {
	path        string // the --input-file
	limit, left int64
}

func newInputReader(path string, limit int64) *inputReader {
	return &inputReader{path: path, limit: limit, left: limit}
}

// read returns file p's content, counted against the bound; the error names
// p, and the directory and its bound when p is one of a directory's files
// and larger than the bound had left.
func (r *inputReader) read(p string) ([]byte, error) {
	data, overTotal, err := r.take(p, maxInputFileBytes)
	if overTotal && p != r.path {
		return nil, fmt.Errorf("--input-file: %s: %w (all files of directory %s together may take at most %s)", p, err, r.path, boundedfile.Size(r.limit))
	}
	if err != nil {
		return nil, fmt.Errorf("--input-file: %s: %w", p, err)
	}
	return data, nil
}

// media returns media file p's content, at most maxMediaFileBytes, counted
// against the bound: an input file naming many distinct large files would
// otherwise hold them all, each with its base64 copy. The error names the
// bound when it is what p passed; the caller names p.
func (r *inputReader) media(p string) ([]byte, error) {
	data, overTotal, err := r.take(p, maxMediaFileBytes)
	if overTotal {
		return nil, fmt.Errorf("%w (the files of --input-file %s, its media files included, together may take at most %s)", err, r.path, boundedfile.Size(r.limit))
	}
	return data, err
}

// take reads file p, at most most bytes and what the bound has left, and
// counts it; overTotal tells that p was refused for being larger than the
// bound had left (not for its own bound, nor for being missing or unreadable).
func (r *inputReader) take(p string, most int64) (data []byte, overTotal bool, err error) {
	n := min(r.left, most)
	data, err = boundedfile.Read(p, n)
	if err != nil {
		return nil, n < most && errors.Is(err, boundedfile.ErrTooBig), err
	}
	r.left -= int64(len(data))
	return data, false, nil
}
