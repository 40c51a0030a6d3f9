package audio

import (
	"encoding/binary"
	"fmt"
)

// WAVE format tags Inspect accepts.
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagExtensible = 0xFFFE
)

// inspectWAV walks the RIFF chunks of a WAVE file for "fmt " and "data".
func inspectWAV(data []byte) (Info, error) {
	var (
		info       = Info{Format: FormatWAV}
		blockAlign int
		haveFmt    bool
	)
	for off := 12; off+8 <= len(data); {
		id := string(data[off : off+4])
		size := int64(binary.LittleEndian.Uint32(data[off+4 : off+8]))
		body := int64(off + 8)
		switch id {
		case "fmt ":
			if size < 16 || body+size > int64(len(data)) {
				return Info{}, fmt.Errorf("bad WAV header: fmt chunk of %d bytes", size)
			}
			f := data[body : body+size]
			tag := binary.LittleEndian.Uint16(f[0:2])
			info.Channels = int(binary.LittleEndian.Uint16(f[2:4]))
			info.SampleRate = int(binary.LittleEndian.Uint32(f[4:8]))
			blockAlign = int(binary.LittleEndian.Uint16(f[12:14]))
			info.Depth = int(binary.LittleEndian.Uint16(f[14:16]))
			if err := checkWAVFormat(tag, info, blockAlign); err != nil {
				return Info{}, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return Info{}, fmt.Errorf("bad WAV header: data chunk before fmt chunk")
			}
			if avail := int64(len(data)) - body; size > avail {
				return Info{}, fmt.Errorf("bad WAV header: data chunk claims %d bytes, file has %d", size, avail)
			}
			info.Seconds = float64(size/int64(blockAlign)) / float64(info.SampleRate)
			return info, nil
		}
		next := body + size + size%2
		if next > int64(len(data)) {
			break
		}
		off = int(next)
	}
	if !haveFmt {
		return Info{}, fmt.Errorf("bad WAV header: no fmt chunk")
	}
	return Info{}, fmt.Errorf("bad WAV header: no data chunk")
}

// checkWAVFormat rejects fmt chunks a decoder could not play.
func checkWAVFormat(tag uint16, info Info, blockAlign int) error {
	switch {
	case tag != tagPCM && tag != tagFloat && tag != tagExtensible:
		return fmt.Errorf("bad WAV header: format tag 0x%04x is not PCM or float", tag)
	case info.Channels < 1:
		return fmt.Errorf("bad WAV header: %d channels", info.Channels)
	case info.SampleRate < 1:
		return fmt.Errorf("bad WAV header: sample rate %d Hz", info.SampleRate)
	case info.Depth < 8 || info.Depth > 64 || info.Depth%8 != 0:
		return fmt.Errorf("bad WAV header: %d bits per sample", info.Depth)
	case blockAlign != info.Channels*info.Depth/8:
		return fmt.Errorf("bad WAV header: block align %d for %d channels of %d bits", blockAlign, info.Channels, info.Depth)
	}
	return nil
}
