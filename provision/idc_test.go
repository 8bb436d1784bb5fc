package provision

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/samlab/samlab/aws"
)

// idc is a small IAM Identity Center-like SCIM server for the client's
// tests: it refuses what IdC refuses by running the aws package's SCIM
// lint on every stored user (so the 400 is IdC's, AWS-SCIM-003/004), and
// records every request. The end-to-end tests run against samlab's real
// server too.
type idc struct {
	mu       sync.Mutex
	users    map[string]map[string]any
	groups   map[string]map[string]any
	members  map[string]map[string]bool
	next     int
	requests []string
	token    string
	failAll  int // status every request gets, 0 for none
}

func newIDC(t *testing.T) (*idc, *httptest.Server) {
	s := &idc{users: map[string]map[string]any{}, groups: map[string]map[string]any{}, members: map[string]map[string]bool{}, token: "tok"}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func idcError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":%q,"status":"%d"}`, detail, status)
}

const idc400 = "Request is unparsable, syntactically incorrect, or violates schema."

func (s *idc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	if s.failAll != 0 {
		idcError(w, s.failAll, "failing")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		idcError(w, 401, "")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	coll := parts[0]
	store := s.users
	kind := "User"
	if coll == "Groups" {
		store, kind = s.groups, "Group"
	}
	write := func(status int, v any) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		f := r.URL.Query().Get("filter")
		attr, val, ok := strings.Cut(f, " eq ")
		var res []any
		if ok {
			val = strings.Trim(val, `"`)
			for _, o := range store {
				if v, _ := o[attr].(string); strings.EqualFold(v, val) {
					res = append(res, o)
				}
			}
		}
		write(200, map[string]any{"schemas": []string{ListSchema}, "totalResults": len(res), "Resources": res})
	case len(parts) == 1 && r.Method == http.MethodPost:
		if fs := aws.LintSCIM(body, kind); aws.HasErrors(fs) {
			idcError(w, 400, idc400)
			return
		}
		var o map[string]any
		json.Unmarshal(body, &o)
		key := "userName"
		if kind == "Group" {
			key = "displayName"
		}
		for _, e := range store {
			if strings.EqualFold(e[key].(string), o[key].(string)) {
				idcError(w, 409, "Duplicate "+kind)
				return
			}
		}
		s.next++
		id := fmt.Sprintf("%s-%d", strings.ToLower(kind), s.next)
		o["id"] = id
		delete(o, "meta")
		store[id] = o
		write(201, o)
	case len(parts) == 2:
		o, ok := store[parts[1]]
		if !ok {
			idcError(w, 404, "not found")
			return
		}
		switch r.Method {
		case http.MethodGet:
			write(200, o)
		case http.MethodDelete:
			delete(store, parts[1])
			w.WriteHeader(204)
		case http.MethodPatch:
			var p PatchBody
			if err := json.Unmarshal(body, &p); err != nil {
				idcError(w, 400, idc400)
				return
			}
			cp := map[string]any{}
			b, _ := json.Marshal(o)
			json.Unmarshal(b, &cp)
			if kind == "Group" {
				s.patchMembers(parts[1], p)
				w.WriteHeader(204)
				return
			}
			for _, op := range p.Operations {
				applyOp(cp, op)
			}
			cb, _ := json.Marshal(cp)
			if fs := aws.LintSCIM(cb, "User"); aws.HasErrors(fs) {
				idcError(w, 400, idc400)
				return
			}
			store[parts[1]] = cp
			write(200, cp)
		}
	default:
		idcError(w, 400, idc400)
	}
}

func (s *idc) patchMembers(id string, p PatchBody) {
	m := s.members[id]
	if m == nil {
		m = map[string]bool{}
		s.members[id] = m
	}
	for _, op := range p.Operations {
		switch strings.ToLower(op.Op) {
		case "add":
			for _, v := range op.Value.([]any) {
				m[v.(map[string]any)["value"].(string)] = true
			}
		case "remove":
			if vs, ok := op.Value.([]any); ok {
				for _, v := range vs {
					delete(m, v.(map[string]any)["value"].(string))
				}
			} else {
				v := strings.TrimSuffix(strings.TrimPrefix(op.Path, `members[value eq "`), `"]`)
				delete(m, v)
			}
		}
	}
}

// applyOp applies one add/replace on the JSON object, as IdC does.
func applyOp(o map[string]any, op Op) {
	if op.Path == "" {
		for k, v := range op.Value.(map[string]any) {
			applyOp(o, Op{Op: op.Op, Path: k, Value: v})
		}
		return
	}
	p, err := ParsePath(op.Path)
	if err != nil {
		return
	}
	v := op.Value
	if s, ok := v.(string); ok && p.isBool() {
		v = s == "True" || s == "true"
	}
	target := o
	if p.URN != "" {
		ext, _ := o[p.URN].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			o[p.URN] = ext
		}
		target = ext
	}
	switch {
	case p.IsList():
		items, _ := target[p.Attr].([]any)
		for _, it := range items {
			m := it.(map[string]any)
			if m[p.FilterAttr] == p.FilterValue {
				m[p.Sub] = v
				return
			}
		}
		target[p.Attr] = append(items, map[string]any{p.FilterAttr: p.FilterValue, p.Sub: v})
	case p.Sub != "":
		m, _ := target[p.Attr].(map[string]any)
		if m == nil {
			m = map[string]any{}
			target[p.Attr] = m
		}
		m[p.Sub] = v
	default:
		target[p.Attr] = v
	}
}

func (s *idc) user(userName string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.users {
		if o["userName"] == userName {
			return o
		}
	}
	return nil
}

func (s *idc) reqs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.requests
	s.requests = nil
	return out
}
