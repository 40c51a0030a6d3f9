package main

import (
	"runtime/debug"

	"github.com/prometheus/common/version"
)

// develVersion is the version of a build that carries no module version
// (go run, go build in a checkout without a tag).
const develVersion = "devel"

func init() { fillVersion(debug.ReadBuildInfo) }

// fillVersion sets version.Version and version.Revision when the build did
// not (-ldflags -X, as the Dockerfile does): the version from the main
// module's version, "devel" when it has none, and the revision from the VCS
// stamp Go records (vcs.revision, with "-modified" for a dirty tree). Values
// given by -ldflags are kept.
func fillVersion(read func() (*debug.BuildInfo, bool)) {
	bi, ok := read()
	if version.Version == "" {
		version.Version = develVersion
		if ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version.Version = bi.Main.Version
		}
	}
	if version.Revision != "" || !ok {
		return
	}
	var rev string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" && modified {
		rev += "-modified"
	}
	version.Revision = rev
}
