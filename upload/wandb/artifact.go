package wandb

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"sort"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/upload/internal/rest"
)

// ArtifactType is the type of the artifact AIPerf logs its files in, named
// aiperf-<run id>.
const ArtifactType = "aiperf-run"

// The artifact calls, as the wandb client's Go core makes them
// (core/api/graphql/mutation_create_artifact.graphql,
// mutation_create_artifact_manifest.graphql, mutation_create_artifact_files.graphql,
// mutation_commit_artifact.graphql; the flow of core/internal/artifacts/saver.go).
const (
	createArtifactQuery = `mutation CreateArtifact($entityName: String!, $projectName: String!, $artifactTypeName: String!, $artifactCollectionName: String!, $runName: String, $digest: String!, $aliases: [ArtifactAliasInput!], $clientID: ID!, $sequenceClientID: ID!) {
  createArtifact(input: {entityName: $entityName, projectName: $projectName, artifactTypeName: $artifactTypeName, artifactCollectionName: $artifactCollectionName, runName: $runName, digest: $digest, digestAlgorithm: MANIFEST_MD5, aliases: $aliases, enableDigestDeduplication: true, clientID: $clientID, sequenceClientID: $sequenceClientID}) {
    artifact { id state artifactSequence { latestArtifact { id } } }
  }
}`
	createManifestQuery = `mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!, $entityName: String!, $projectName: String!, $runName: String!, $includeUpload: Boolean!) {
  createArtifactManifest(input: {artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name, digest: $digest, entityName: $entityName, projectName: $projectName, runName: $runName, type: FULL}) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } }
  }
}`
	createFilesQuery = `mutation CreateArtifactFiles($input: CreateArtifactFilesInput!) {
  createArtifactFiles(input: $input) {
    files { edges { node { storagePath uploadUrl uploadHeaders artifact { id } } } }
  }
}`
	commitArtifactQuery = `mutation CommitArtifact($artifactID: ID!) {
  commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest } }
}`
)

// manifestEntry is one file of an artifact manifest (version 1).
type manifestEntry struct {
	Digest          string  `json:"digest"` // base64 MD5
	BirthArtifactID *string `json:"birthArtifactID"`
	Size            int64   `json:"size"`
}

type manifest struct {
	Version             int                      `json:"version"`
	StoragePolicy       string                   `json:"storagePolicy"`
	StoragePolicyConfig map[string]string        `json:"storagePolicyConfig"`
	Contents            map[string]manifestEntry `json:"contents"`
}

// manifestDigest is the artifact's digest: the hex MD5 of a header line and
// "name:digest" lines in name order (computeManifestDigest in the client).
func manifestDigest(contents map[string]manifestEntry) string {
	names := make([]string, 0, len(contents))
	for n := range contents {
		names = append(names, n)
	}
	sort.Strings(names)
	h := md5.New()
	io.WriteString(h, "wandb-artifact-manifest-v1\n")
	for _, n := range names {
		fmt.Fprintf(h, "%s:%s\n", n, contents[n].Digest)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fileMD5 is the base64 MD5 and the size of a file.
func fileMD5(name string) (string, int64, error) {
	f, _, err := boundedfile.Open(name, rest.MaxFile) // a named pipe is never opened
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := md5.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), n, nil
}

// clientID is a random ID as the client makes them: 128 bits in base 62.
func clientID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return new(big.Int).SetBytes(b).Text(62)
}

// logArtifact logs the files (names relative to dir) as the run's output
// artifact aiperf-<run id>: created, its files uploaded where the server
// has none of the same digest, its manifest uploaded, committed.
func (c *client) logArtifact(ctx context.Context, up *Uploaded, dir string, files []string) error {
	m := manifest{Version: 1, StoragePolicy: "wandb-storage-policy-v1", StoragePolicyConfig: map[string]string{"storageLayout": "V2"},
		Contents: map[string]manifestEntry{}}
	for _, f := range files {
		sum, size, err := fileMD5(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return fmt.Errorf("artifact %s: %w", f, err)
		}
		m.Contents[f] = manifestEntry{Digest: sum, Size: size}
	}
	name := "aiperf-" + up.RunID
	var created struct {
		CreateArtifact *struct {
			Artifact struct {
				ID               string `json:"id"`
				State            string `json:"state"`
				ArtifactSequence struct {
					LatestArtifact *struct {
						ID string `json:"id"`
					} `json:"latestArtifact"`
				} `json:"artifactSequence"`
			} `json:"artifact"`
		} `json:"createArtifact"`
	}
	vars := map[string]any{"entityName": up.Entity, "projectName": up.Project, "artifactTypeName": ArtifactType, "artifactCollectionName": name,
		"runName": up.RunID, "digest": manifestDigest(m.Contents), "aliases": []map[string]string{{"artifactCollectionName": name, "alias": "latest"}},
		"clientID": clientID(), "sequenceClientID": clientID()}
	if err := c.graphql(ctx, "createArtifact", createArtifactQuery, vars, &created); err != nil {
		return err
	}
	if created.CreateArtifact == nil {
		return fmt.Errorf("createArtifact: the reply names no artifact")
	}
	a := created.CreateArtifact.Artifact
	switch a.State {
	case "COMMITTED":
		return nil // the server has this very artifact already
	case "PENDING", "DELETED":
	default:
		return fmt.Errorf("createArtifact: unexpected artifact state %q", a.State)
	}
	var base any // the collection's latest version, which the manifest builds on
	if a.ArtifactSequence.LatestArtifact != nil {
		base = a.ArtifactSequence.LatestArtifact.ID
	}
	mvars := map[string]any{"artifactID": a.ID, "baseArtifactID": base, "name": "wandb_manifest.json", "digest": "",
		"entityName": up.Entity, "projectName": up.Project, "runName": up.RunID, "includeUpload": false}
	mf, err := c.createManifest(ctx, mvars)
	if err != nil {
		return err
	}
	if err := c.uploadArtifactFiles(ctx, a.ID, mf.ID, dir, files, m.Contents); err != nil {
		return err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	sum := md5.Sum(body)
	mvars["digest"], mvars["includeUpload"] = base64.StdEncoding.EncodeToString(sum[:]), true
	if mf, err = c.createManifest(ctx, mvars); err != nil {
		return err
	}
	if mf.File.UploadURL == "" {
		return fmt.Errorf("createArtifactManifest: no upload URL for the manifest")
	}
	if err := c.put(ctx, mf.File.UploadURL, mf.File.UploadHeaders, bytes.NewReader(body), int64(len(body)), "wandb_manifest.json"); err != nil {
		return err
	}
	var committed map[string]any
	return c.graphql(ctx, "commitArtifact", commitArtifactQuery, map[string]any{"artifactID": a.ID}, &committed)
}

type artifactManifest struct {
	ID   string `json:"id"`
	File struct {
		UploadURL     string   `json:"uploadUrl"`
		UploadHeaders []string `json:"uploadHeaders"`
	} `json:"file"`
}

func (c *client) createManifest(ctx context.Context, vars map[string]any) (artifactManifest, error) {
	var got struct {
		CreateArtifactManifest *struct {
			ArtifactManifest artifactManifest `json:"artifactManifest"`
		} `json:"createArtifactManifest"`
	}
	if err := c.graphql(ctx, "createArtifactManifest", createManifestQuery, vars, &got); err != nil {
		return artifactManifest{}, err
	}
	if got.CreateArtifactManifest == nil {
		return artifactManifest{}, fmt.Errorf("createArtifactManifest: the reply names no manifest")
	}
	return got.CreateArtifactManifest.ArtifactManifest, nil
}

// uploadArtifactFiles asks for the files' upload URLs and uploads those the
// server wants (a null URL: it stores the same bytes already), noting in
// contents the artifact each file was born in.
func (c *client) uploadArtifactFiles(ctx context.Context, artifactID, manifestID, dir string, files []string, contents map[string]manifestEntry) error {
	specs := make([]map[string]any, len(files))
	for i, f := range files {
		specs[i] = map[string]any{"artifactID": artifactID, "name": f, "md5": contents[f].Digest, "artifactManifestID": manifestID}
	}
	var got struct {
		CreateArtifactFiles *struct {
			Files struct {
				Edges []struct {
					Node struct {
						UploadURL     *string  `json:"uploadUrl"`
						UploadHeaders []string `json:"uploadHeaders"`
						Artifact      struct {
							ID string `json:"id"`
						} `json:"artifact"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"files"`
		} `json:"createArtifactFiles"`
	}
	input := map[string]any{"storageLayout": "V2", "artifactFiles": specs}
	if err := c.graphql(ctx, "createArtifactFiles", createFilesQuery, map[string]any{"input": input}, &got); err != nil {
		return err
	}
	if got.CreateArtifactFiles == nil || len(got.CreateArtifactFiles.Files.Edges) != len(files) {
		return fmt.Errorf("createArtifactFiles: the reply does not name every file")
	}
	for i, e := range got.CreateArtifactFiles.Files.Edges {
		f, entry := files[i], contents[files[i]]
		birth := e.Node.Artifact.ID
		entry.BirthArtifactID = &birth
		contents[f] = entry
		if e.Node.UploadURL == nil {
			continue
		}
		if err := c.putFile(ctx, *e.Node.UploadURL, e.Node.UploadHeaders, filepath.Join(dir, filepath.FromSlash(f)), f); err != nil {
			return err
		}
	}
	return nil
}
