package audio

// EncodeWAV writes interleaved signed samples of depth bits as a PCM WAV file
// (for audio decoded from other formats, e.g. a dataset's FLAC).
func EncodeWAV(samples []int, rate, depth, channels int) ([]byte, error) {
	return encodeWAV(samples, rate, depth, channels)
}
