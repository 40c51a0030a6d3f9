package mockserver

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// videoJob is one job of the mock's Videos API.
type videoJob struct {
	id, model string
	created   time.Time
	done      time.Time // when the job reads "completed"
	requestID string    // the create request's, whose truth counts polls and downloads
	polls     atomic.Int64
	downloads atomic.Int64
}

// videoJobs holds the mock's last videoJobCapacity jobs: a job created
// after them drops the oldest (a client still polling it gets 404).
type videoJobs struct {
	mu    sync.Mutex
	byID  map[string]*videoJob
	order []string // ids, oldest first
}

const videoJobCapacity = 4096

func (v *videoJobs) add(j *videoJob) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.byID == nil {
		v.byID = map[string]*videoJob{}
	}
	if len(v.order) >= videoJobCapacity {
		delete(v.byID, v.order[0])
		v.order = v.order[1:]
	}
	v.byID[j.id] = j
	v.order = append(v.order, j.id)
}

func (v *videoJobs) get(id string) (*videoJob, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	j, ok := v.byID[id]
	return j, ok
}

// count writes the job's polls and downloads so far into its create
// request's truth (absolute counts: a poll that beats the truth's storing is
// counted by the next).
func (s *Server) count(j *videoJob) {
	s.truths.update(j.requestID, func(t *Truth) { t.Polls, t.Downloads = int(j.polls.Load()), int(j.downloads.Load()) })
}

// handleVideoCreate serves POST /v1/videos as SGLang's diffusion server
// (python/sglang/multimodal_gen/runtime/entrypoints/openai/video_api.py)
// does: a form (AIPerf's) or JSON body with prompt and model creates a job,
// answered at once as {"id", "object": "video", "status": "queued"}; the job
// completes TTFT after it was created.
func (s *Server) handleVideoCreate(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "video_generation")
	defer s.finish(tr)
	prompt, model, err := videoRequest(w, r)
	tr.Model = model
	if err == nil && prompt == "" {
		err = invalid("prompt is required")
	}
	if err == nil {
		err = checkModel(cfg, model)
	}
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	if f, answered := s.fault(w, cfg, tr); answered || !waitAnswer(r, cfg, arrival, 0, f, tr) {
		return
	}
	j := &videoJob{id: "video_" + tr.RequestID, model: model, created: arrival, done: arrival.Add(cfg.TTFT), requestID: tr.RequestID}
	s.videos.add(j)
	tr.Status, tr.PromptTokens, tr.Inputs = http.StatusOK, len(strings.Fields(prompt)), 1
	writeJSON(w, http.StatusOK, j.view(arrival))
	tr.ChunkNs = append(tr.ChunkNs, time.Now().UnixNano())
}

// videoRequest reads prompt and model from a multipart form or a JSON body.
func videoRequest(w http.ResponseWriter, r *http.Request) (prompt, model string, err error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return "", "", invalid("bad multipart form: %v", err)
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		return r.FormValue("prompt"), r.FormValue("model"), nil
	}
	var req struct{ Prompt, Model string }
	if err := readJSON(w, r, &req); err != nil {
		return "", "", err
	}
	return req.Prompt, req.Model, nil
}

// view is the job as the Videos API shows it at now.
func (j *videoJob) view(now time.Time) map[string]any {
	v := map[string]any{"id": j.id, "object": "video", "model": j.model, "status": "queued", "progress": 0,
		"created_at": j.created.Unix(), "size": "64x48", "seconds": "1"}
	switch {
	case !now.Before(j.done):
		v["status"], v["progress"], v["completed_at"] = "completed", 100, j.done.Unix()
	case now.After(j.created):
		v["status"], v["progress"] = "in_progress", int(100*now.Sub(j.created)/j.done.Sub(j.created))
	}
	return v
}

// handleVideoGet serves GET /v1/videos/{id}: the job's status.
func (s *Server) handleVideoGet(w http.ResponseWriter, r *http.Request) {
	j, ok := s.videos.get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "NotFoundError", fmt.Sprintf("video %s not found", clip.Quote(r.PathValue("id"))))
		return
	}
	j.polls.Add(1)
	s.count(j)
	writeJSON(w, http.StatusOK, j.view(time.Now()))
}

// handleVideoContent serves GET /v1/videos/{id}/content: the finished
// video, an MP4 encoded once by ffmpeg (501 without it on PATH).
func (s *Server) handleVideoContent(w http.ResponseWriter, r *http.Request) {
	j, ok := s.videos.get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "NotFoundError", fmt.Sprintf("video %s not found", clip.Quote(r.PathValue("id"))))
		return
	}
	if time.Now().Before(j.done) {
		writeError(w, http.StatusBadRequest, "InvalidRequestError", "video is not completed yet")
		return
	}
	mp4, err := mockMP4()
	if err != nil {
		writeError(w, http.StatusNotImplemented, "NotImplementedError", err.Error())
		return
	}
	j.downloads.Add(1)
	s.count(j)
	w.Header().Set("Content-Type", "video/mp4")
	_, _ = w.Write(mp4)
}

// mockMP4 is a 64x48, one-second MP4 that ffmpeg encodes once.
var mockMP4 = sync.OnceValues(func() ([]byte, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, fmt.Errorf("the mock needs ffmpeg on PATH to make video content: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=8:duration=1",
		"-pix_fmt", "yuv420p", "-movflags", "frag_keyframe+empty_moov", "-f", "mp4", "pipe:1").Output()
	if err != nil {
		return nil, fmt.Errorf("ffmpeg could not make the mock's video: %w", err)
	}
	return out, nil
})
