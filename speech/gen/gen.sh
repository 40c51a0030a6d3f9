#!/bin/sh
# Regenerates speech/clips/*.mp3 from speech/transcripts.tsv with Debian's
# espeak-ng (text to speech) and ffmpeg (16 kHz mono MP3 at 32 kbit/s, bit-exact
# so the same tool versions give the same bytes). Run from the module root:
#   sh speech/gen/gen.sh
# The mock server recognises a clip by the SHA-256 of its bytes, so after
# regenerating, commit the clips and the transcripts together.
set -eu
dir=$(dirname "$0")/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f "$dir"/clips/*.mp3
# Every line: id, a tab, the transcript.
while IFS='	' read -r id text; do
	[ -n "$id" ] || continue
	espeak-ng -v en-us -s 165 -w "$tmp/$id.wav" -- "$text"
	ffmpeg -loglevel error -nostdin -y -i "$tmp/$id.wav" -ar 16000 -ac 1 \
		-c:a libmp3lame -b:a 32k -map_metadata -1 -id3v2_version 0 -write_xing 0 \
		-fflags +bitexact -flags:a +bitexact "$dir/clips/$id.mp3"
done < "$dir/transcripts.tsv"
echo "$(espeak-ng --version | sed "s/  Data at.*//"); $(ffmpeg -version | head -1 | cut -d" " -f1-3)" > "$dir/clips/TOOLS"
