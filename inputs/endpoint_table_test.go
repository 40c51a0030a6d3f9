package inputs

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// Every endpoint type of the table has its bodies built here: a row added
// with a body kind no builder knows fails this test, not a user's run.
func TestEveryEndpointTypeIsBuilt(t *testing.T) {
	for _, ty := range endpoint.All() {
		if !builds(ty.Name) {
			t.Errorf("%s: body kind %d has no builder (add one beside plainBody)", ty.Name, ty.Body)
		}
	}
	for _, name := range []string{"", "chat"} {
		if !builds(name) {
			t.Errorf("%q: chat's bodies are not built", name)
		}
	}
	if builds("template") {
		t.Error("an unknown type is built")
	}
}
