package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/samlab/samlab/aws"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// pages holds one template set per page, each with the shared layout.
type pages struct {
	byName map[string]*template.Template
}

var pageNames = []string{"login", "apps", "error", "debug", "testsp", "testsp_result", "signedout", "blocked", "inspect", "idc", "idc_result", "scim"}

var templateFuncs = template.FuncMap{
	"severity": func(s aws.Severity) string { return strings.ToLower(s.String()) },
	"join":     strings.Join,
	"inc":      func(i int) int { return i + 1 },
	"origin":   originClass,
	"short":    shortSAMLName,
	"ruleURL":  ruleURL,
	"indent":   func(depth int) string { return strings.Repeat("  ", depth) },
}

func loadPages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// page is what every template gets.
type page struct {
	Title string
	// User is the signed-in user ("" when none); CSRF the token for the
	// sign-out form in the header.
	User string
	CSRF string
	// Anonymous hides the signed-in user (pages shown while signing out).
	Anonymous bool
	Demo      bool
	// Data is the page's own content.
	Data any
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (sv *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if p.User == "" && !p.Anonymous {
		if s := sv.loggedIn(r); s != nil {
			p.User = s.User
			p.CSRF = sv.csrfToken(s)
		}
	}
	p.Demo = sv.demo
	var buf bytes.Buffer
	if err := sv.pages.byName[name].Execute(&buf, p); err != nil {
		sv.log.Error("template", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, "Internal error.")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store") // pages show who is signed in
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

type errorData struct {
	Status  int
	Message string
}

// fail writes an error page. Nothing from the request is put in it except
// through html/template escaping.
func (sv *server) fail(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Del("Content-Disposition")
	sv.render(w, r, status, "error", page{Title: title, Data: errorData{Status: status, Message: message}})
}

func (sv *server) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(styleCSS)
}
