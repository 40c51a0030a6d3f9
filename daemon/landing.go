package daemon

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/prometheus/common/version"
)

//go:embed landing.html
var landingHTML string

var landingTmpl = template.Must(template.New("landing").Funcs(template.FuncMap{
	"ms": func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
	},
}).Parse(landingHTML))

type scenarioView struct {
	Name    string
	Results []Result
}

// landing serves the landing page: links and the recent probes of each scenario.
func landing(h *History, ready func() bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		data := struct {
			Version   string
			Ready     bool
			Scenarios []scenarioView
		}{Version: version.Info(), Ready: ready()}
		for _, s := range h.Scenarios() {
			data.Scenarios = append(data.Scenarios, scenarioView{Name: s, Results: h.Recent(s)})
		}
		var buf bytes.Buffer
		if err := landingTmpl.Execute(&buf, data); err != nil {
			http.Error(w, "render landing page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(buf.Bytes())
	}
}
