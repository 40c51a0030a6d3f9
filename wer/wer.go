// Package wer scores a transcript against its reference: the word error rate,
// (substitutions + deletions + insertions) / reference words, counted after
// both texts went through the same English normaliser.
//
// The normaliser follows the spirit of Whisper's basic English normaliser,
// simplified and written down here so a score can be reproduced by hand:
//
//   - letters are lower-cased (Unicode case folding);
//   - "%" reads "percent" and "&" reads "and";
//   - numbers standing alone are spelled out in words, thousands separators
//     dropped ("25" is "twenty five", "1,500" is "one thousand five hundred",
//     "3.5" is "three point five"), so "25" and "twenty-five" agree; digits
//     joined to letters ("mp3", "25th", "7pm") stay as written;
//   - apostrophes are removed ("don't" is "dont", "o'clock" is "oclock");
//   - every other character that is not a letter or a digit separates words
//     (punctuation, hyphens, symbols);
//   - hesitations ("uh", "um", "hmm", "mm", "mhm", "ah", "er", "eh") are dropped.
//
// Not done (Whisper does): British to American spelling, contractions
// expanded, spelled-out numbers turned into digits, currency.
package wer

// Rate returns the word error rate of hypothesis against reference, and false
// when the normalised reference has no words (no rate is defined then). It
// can exceed 1 when the hypothesis adds words.
func Rate(reference, hypothesis string) (float64, bool) {
	ref := Normalize(reference)
	if len(ref) == 0 {
		return 0, false
	}
	return float64(Distance(ref, Normalize(hypothesis))) / float64(len(ref)), true
}

// Distance is the Levenshtein distance between two word sequences: the fewest
// substitutions, deletions and insertions that turn ref into hyp.
func Distance(ref, hyp []string) int {
	// One row of the edit table, reused: prev[j] is the distance between the
	// ref words so far and hyp[:j].
	prev := make([]int, len(hyp)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ref); i++ {
		diag := prev[0] // distance(ref[:i-1], hyp[:j-1])
		prev[0] = i
		for j := 1; j <= len(hyp); j++ {
			sub := diag
			if ref[i-1] != hyp[j-1] {
				sub++
			}
			diag = prev[j]
			prev[j] = min(sub, prev[j]+1, prev[j-1]+1)
		}
	}
	return prev[len(hyp)]
}
