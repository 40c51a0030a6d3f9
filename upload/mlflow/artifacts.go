package mlflow

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Files lists the files under dir that match globs (slash-separated,
// relative to dir; "**" is any number of directories, as in Python's
// Path.glob), in glob order then name order, each once, leaving out the
// metadata file. The names are relative to dir.
func Files(dir string, globs []string) ([]string, error) {
	var all []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			all = append(all, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(all)
	seen := map[string]bool{MetadataFile: true}
	var out []string
	for _, g := range globs {
		for _, f := range all {
			if !seen[f] && match(strings.Split(g, "/"), strings.Split(f, "/")) {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// match reports whether the path segments name match the glob segments pat.
func match(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if match(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, err := path.Match(pat[0], name[0])
	return ok && err == nil && match(pat[1:], name[1:])
}

// plotSuffixes go under plots/ in the run's artifacts, the rest under exports/.
var plotSuffixes = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".svg": true, ".gif": true, ".webp": true, ".html": true}

// artifactDir is where AIPerf puts a file (relative to the artifact
// directory) in the run's artifacts: plots/ or exports/, then the file's
// own subdirectory, without repeating a leading plots/ or exports/.
func artifactDir(rel string) string {
	base := "exports"
	if plotSuffixes[strings.ToLower(path.Ext(rel))] {
		base = "plots"
	}
	parent := path.Dir(rel)
	if parent == base {
		parent = "."
	} else if strings.HasPrefix(parent, base+"/") {
		parent = strings.TrimPrefix(parent, base+"/")
	}
	if parent == "." {
		return base
	}
	return base + "/" + parent
}
