package inputs

import (
	"fmt"
	"math/rand"
	"strings"
	"sync"
)

// Prompt corpora (--prompt-corpus).
const (
	CorpusSonnet = "sonnet" // our prose (AIPerf: Shakespeare's sonnets)
	CorpusCoding = "coding" // coding content rendered from our templates
)

// codingDocs is how many documents the coding corpus renders: about 60 KB,
// enough for prompts to start anywhere without repeating soon.
const codingDocs = 360

// codingCorpusText renders the coding corpus once. Like AIPerf's coding
// corpus it is made from templates (code, shell sessions, JSON, tracebacks,
// diffs, logs, coding requests) filled with identifiers; the templates and
// words are this project's own. A fixed seed keeps it the same in every run.
var codingCorpusText = sync.OnceValue(func() string {
	rng := rand.New(rand.NewSource(20261205))
	docs := make([]string, codingDocs)
	for i := range docs {
		docs[i] = codingTemplates[i%len(codingTemplates)](&codingPick{rng})
	}
	return strings.Join(docs, "\n\n")
})

// codingPick draws template fills.
type codingPick struct{ rng *rand.Rand }

func (p *codingPick) of(words []string) string { return words[p.rng.Intn(len(words))] }
func (p *codingPick) n(lo, hi int) int         { return lo + p.rng.Intn(hi-lo+1) }

// Words the templates are filled with.
var (
	codeNouns   = strings.Fields("ledger invoice shipment tenant quota bucket lease ticket batch cursor snapshot replica probe budget gauge span route credential manifest artifact")
	codeVerbs   = strings.Fields("load store flush parse render sync drain merge split verify sign retry fetch publish resolve compact rotate index prune reconcile")
	codeFiles   = strings.Fields("store/ledger.go api/handlers.go internal/queue/lease.go cmd/agent/main.go billing/invoice.py workers/batch.py app/routes.py lib/cache.ts src/client.ts deploy/chart/values.yaml")
	codeGoFiles = strings.Fields("store/ledger.go api/handlers.go internal/queue/lease.go cmd/agent/main.go")
	codeErrors  = []string{"context deadline exceeded", "unexpected end of JSON input", "connection reset by peer", "no such table: leases",
		"index 7 out of range", "permission denied", "lease already held", "checksum does not match", "too many requests", "invalid UTF-8 in header"}
	codeAsks = []string{"add a retry with jittered backoff", "make it safe for concurrent callers", "stop it from allocating on every call",
		"return a wrapped error instead of panicking", "split it into two smaller functions", "add a table-driven test for the empty case",
		"log the request id with every failure", "cache the result for five minutes"}
	codeStates = strings.Fields("pending running settled failed expired draining")
)

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// codingTemplates each render one document of the coding corpus.
var codingTemplates = []func(p *codingPick) string{
	func(p *codingPick) string { // a coding request
		noun, verb := p.of(codeNouns), p.of(codeVerbs)
		return fmt.Sprintf("In %s the %s%s function %s. Can you %s? Keep the public API as it is and explain what you changed.",
			p.of(codeFiles), verb, title(noun), "fails with \""+p.of(codeErrors)+"\" under load", p.of(codeAsks))
	},
	func(p *codingPick) string { // a Go function
		noun, verb := p.of(codeNouns), p.of(codeVerbs)
		return fmt.Sprintf("// %s%s %ss the %s with the given id.\nfunc (s *%sStore) %s%s(ctx context.Context, id string) (*%s, error) {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\tv, ok := s.items[id]\n\tif !ok {\n\t\treturn nil, fmt.Errorf(\"%s %%q: %s\", id)\n\t}\n\tif err := ctx.Err(); err != nil {\n\t\treturn nil, err\n\t}\n\tv.Version += %d\n\treturn v, nil\n}",
			title(verb), title(noun), verb, noun, title(noun), title(verb), title(noun), title(noun), noun, p.of(codeErrors), p.n(1, 3))
	},
	func(p *codingPick) string { // a Python function
		noun, verb := p.of(codeNouns), p.of(codeVerbs)
		return fmt.Sprintf("def %s_%s(client, %s_id: str, limit: int = %d) -> list[dict]:\n    \"\"\"%s up to `limit` %ss for one id.\"\"\"\n    rows = client.get(f\"/v1/%ss/{%s_id}\", params={\"limit\": limit})\n    if rows.status_code != 200:\n        raise RuntimeError(f\"%s failed: {rows.status_code}\")\n    return [r for r in rows.json()[\"items\"] if r[\"state\"] != \"%s\"]",
			verb, noun, noun, p.n(10, 500), title(verb), noun, noun, noun, verb, p.of(codeStates))
	},
	func(p *codingPick) string { // a shell session with a failing test
		noun := p.of(codeNouns)
		return fmt.Sprintf("$ go test -run Test%s ./...\n--- FAIL: Test%s%s (0.%02ds)\n    %s_test.go:%d: got %d %ss, want %d\nFAIL\nFAIL\texample.com/%s\t0.%03ds\nexit status 1",
			title(noun), title(p.of(codeVerbs)), title(noun), p.n(1, 99), noun, p.n(20, 300), p.n(0, 9), noun, p.n(10, 20), noun, p.n(100, 999))
	},
	func(p *codingPick) string { // a JSON response
		noun := p.of(codeNouns)
		return fmt.Sprintf("{\n  \"%s\": {\n    \"id\": \"%s-%04d\",\n    \"state\": \"%s\",\n    \"attempts\": %d,\n    \"updated_at\": \"2026-%02d-%02dT%02d:%02d:%02dZ\",\n    \"labels\": [\"%s\", \"%s\"]\n  },\n  \"next_cursor\": null\n}",
			noun, noun, p.n(1, 9999), p.of(codeStates), p.n(0, 7), p.n(1, 12), p.n(1, 28), p.n(0, 23), p.n(0, 59), p.n(0, 59), p.of(codeNouns), p.of(codeNouns))
	},
	func(p *codingPick) string { // a Python traceback
		noun, verb := p.of(codeNouns), p.of(codeVerbs)
		return fmt.Sprintf("Traceback (most recent call last):\n  File \"workers/%s.py\", line %d, in run\n    self.%s(%s)\n  File \"workers/%s.py\", line %d, in %s\n    raise %sError(\"%s\")\n%sError: %s",
			noun, p.n(10, 400), verb, noun, noun, p.n(10, 400), verb, title(noun), p.of(codeErrors), title(noun), p.of(codeErrors))
	},
	func(p *codingPick) string { // a diff
		noun, verb := p.of(codeNouns), p.of(codeVerbs)
		return fmt.Sprintf("diff --git a/%[1]s b/%[1]s\n--- a/%[1]s\n+++ b/%[1]s\n@@ -%[2]d,6 +%[2]d,7 @@ func %[3]s%[4]s(\n-\tfor i := 0; i < len(%[5]ss); i++ {\n+\tfor i := range %[5]ss {\n+\t\tif %[5]ss[i].Expired() {\n+\t\t\tcontinue\n+\t\t}\n \t\ttotal += %[5]ss[i].Size",
			p.of(codeGoFiles), p.n(10, 300), verb, title(noun), noun)
	},
	func(p *codingPick) string { // service logs
		var b strings.Builder
		for i := range p.n(3, 6) {
			fmt.Fprintf(&b, "2026-%02d-%02dT10:%02d:%02d.%03dZ %s %s %s=%s-%d latency_ms=%d", p.n(1, 12), p.n(1, 28), i, p.n(0, 59), p.n(0, 999),
				p.of([]string{"INFO", "WARN", "ERROR"}), p.of(codeVerbs), p.of(codeNouns), p.of(codeStates), p.n(1, 99), p.n(1, 900))
			if i%2 == 1 {
				fmt.Fprintf(&b, " err=%q", p.of(codeErrors))
			}
			b.WriteByte('\n')
		}
		return strings.TrimSuffix(b.String(), "\n")
	},
}
