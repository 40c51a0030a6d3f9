package options

import (
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// endpointTypesMark in a `desc` tag stands for the endpoint table's own help,
// so --help and the environment table cannot drift from the types we send.
const endpointTypesMark = "{endpoint-types}"

// ExpandDesc is a `desc` tag's text as users read it: marks replaced.
func ExpandDesc(desc string) string {
	if !strings.Contains(desc, endpointTypesMark) { // most: the walk expands every field's, often
		return desc
	}
	return strings.ReplaceAll(desc, endpointTypesMark, endpoint.Help())
}
