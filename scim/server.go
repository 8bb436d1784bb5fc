package scim

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of Options.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultLogBodyBytes = 4 << 10
)

// Options configure NewServer. The zero value works with tokens from the
// store only.
type Options struct {
	// Tokens verifies bearer tokens; nil: StoreTokens on the store.
	Tokens TokenVerifier
	// Clock tells the time; nil: time.Now.
	Clock func() time.Time
	// RequestID makes each answer's exceptionRequestId and x-amzn-RequestId;
	// nil: a random UUID.
	RequestID func() string
	// MaxBodyBytes bounds request bodies (413 above); 0: DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// LogBodyBytes bounds the request and response bodies kept in the
	// provisioning log; 0: DefaultLogBodyBytes.
	LogBodyBytes int
	// Logger receives a line per failed request and per store problem; nil:
	// slog.Default().
	Logger *slog.Logger
	// SyncLog writes each request's log entry before answering. Default:
	// a background writer appends entries in order, in batches when the
	// store is a LogBatcher, so that a request does not wait for a log
	// commit; Close writes what is queued. A full queue (LogQueue entries)
	// makes requests wait: no entry is dropped.
	SyncLog bool
	// LogQueue is the background writer's queue length; 0: 4096.
	LogQueue int
	// IdCDetails answers every 400 with IdC's one generic detail ("Request
	// is unparsable, syntactically incorrect, or violates schema."), as the
	// real endpoint mostly does; the provisioning log still keeps samlab's
	// explanation, and the answer carries it in the ExplanationHeader.
	// Default: the explanation is the detail.
	IdCDetails bool
}

// Server is the handler NewServer returns. Close it to write the log
// entries still queued.
type Server struct {
	store     Store
	logq      chan LogEntry
	logDone   chan struct{}
	closeOnce sync.Once
	tokens    TokenVerifier
	clock     func() time.Time
	requestID func() string
	maxBody   int64
	logBody   int
	idcDetail bool
	log       *slog.Logger
}

// ExplanationHeader carries samlab's explanation of a 400 whose body has
// IdC's generic detail (Options.IdCDetails). IdC sends no such header;
// clients that know it (samlab provision) show it beside the detail.
const ExplanationHeader = "X-Samlab-Explanation"

// headerSafe makes s a header value: control characters become spaces,
// and it is bounded.
func headerSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == 0x7f {
			b[i] = ' '
		}
	}
	if len(b) > 1024 {
		b = b[:1024]
	}
	return string(b)
}

// NewServer returns IAM Identity Center's SCIM endpoint on store. Mount it
// with its prefix stripped: it serves /Users, /Groups,
// /ServiceProviderConfig, /Schemas and /ResourceTypes and refuses the rest
// as IdC does (docs/scim.md lists every answer).
func NewServer(store Store, opts Options) http.Handler {
	sv := &Server{store: store, tokens: opts.Tokens, clock: opts.Clock, requestID: opts.RequestID,
		maxBody: opts.MaxBodyBytes, logBody: opts.LogBodyBytes, log: opts.Logger, idcDetail: opts.IdCDetails}
	if sv.clock == nil {
		sv.clock = time.Now
	}
	if sv.tokens == nil {
		sv.tokens = &StoreTokens{Store: store, Clock: sv.clock}
	}
	if sv.requestID == nil {
		sv.requestID = newUUID
	}
	if sv.maxBody <= 0 {
		sv.maxBody = DefaultMaxBodyBytes
	}
	if sv.logBody <= 0 {
		sv.logBody = DefaultLogBodyBytes
	}
	if sv.log == nil {
		sv.log = slog.Default()
	}
	if !opts.SyncLog {
		n := opts.LogQueue
		if n <= 0 {
			n = 4096
		}
		sv.logq = make(chan LogEntry, n)
		sv.logDone = make(chan struct{})
		go sv.logWriter()
	}
	return sv
}

// maxLogBatch bounds one batch of the background log writer.
const maxLogBatch = 256

func (sv *Server) logWriter() {
	defer close(sv.logDone)
	batcher, _ := sv.store.(LogBatcher)
	batch := make([]LogEntry, 0, maxLogBatch)
	for e := range sv.logq {
		batch = append(batch[:0], e)
	more:
		for len(batch) < maxLogBatch {
			select {
			case e, ok := <-sv.logq:
				if !ok {
					break more
				}
				batch = append(batch, e)
			default:
				break more
			}
		}
		ctx := context.Background()
		if batcher != nil && len(batch) > 1 {
			if err := batcher.AppendLogs(ctx, batch); err != nil {
				sv.log.Warn("scim: provisioning log write failed", "entries", len(batch), "err", err)
			}
			continue
		}
		for _, e := range batch {
			if err := sv.store.AppendLog(ctx, e); err != nil {
				sv.log.Warn("scim: provisioning log write failed", "request_id", e.RequestID, "err", err)
			}
		}
	}
}

// Close stops the background log writer after it has written every queued
// entry. The handler must not serve requests after Close. It does not close
// the store.
func (sv *Server) Close() error {
	sv.closeOnce.Do(func() {
		if sv.logq != nil {
			close(sv.logq)
			<-sv.logDone
		}
	})
	return nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// reply is what a handler answers: a status and a JSON body (nil: none).
type reply struct {
	status int
	body   any
}

type request struct {
	r    *http.Request
	body []byte
	now  time.Time
}

func (sv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := sv.clock()
	rid := sv.requestID()
	entry := LogEntry{Time: now.UTC(), RequestID: rid, Method: r.Method, Path: logPath(r), Client: r.RemoteAddr}
	w.Header().Set("x-amzn-RequestId", rid)
	w.Header().Set("Cache-Control", "no-store")

	var body []byte
	var rep reply
	var err error
	tokenID, aerr := sv.tokens.Verify(r.Context(), bearer(r))
	if tokenID != "" {
		entry.Client += " " + tokenID
	}
	switch {
	case aerr != nil && !errors.Is(aerr, ErrUnauthorized):
		sv.log.Error("scim: reading tokens", "err", aerr)
		err = &apiError{Status: http.StatusInternalServerError, Detail: DetailInternal}
	case aerr != nil:
		err = &apiError{Status: http.StatusUnauthorized, Detail: DetailAuth, Rule: "AWS-SCIM-001"}
	default:
		body, err = sv.readBody(w, r)
		if err == nil {
			rep, err = sv.route(&request{r: r, body: body, now: now})
		}
	}
	entry.Request = bounded(redactSecrets(body), sv.logBody)

	var out []byte
	status := rep.status
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			sv.log.Error("scim: request failed", "method", r.Method, "path", entry.Path, "request_id", rid, "err", err)
			ae = &apiError{Status: http.StatusInternalServerError, Detail: DetailInternal}
		}
		status = ae.Status
		detail := ae.Detail
		if sv.idcDetail && status == http.StatusBadRequest {
			detail = DetailInvalid
			w.Header().Set(ExplanationHeader, headerSafe(ae.Error()))
		}
		out = marshalError(status, detail, rid, now)
		entry.Error = ae.Error()
		if status == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close")
		}
	} else if rep.body != nil {
		out, _ = json.Marshal(rep.body)
	}
	if out != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(out)
	}
	entry.Status = status
	entry.Response = bounded(string(out), sv.logBody)
	if sv.logq != nil {
		sv.logq <- entry
		return
	}
	// The log outlives a client that hung up.
	if lerr := sv.store.AppendLog(context.WithoutCancel(r.Context()), entry); lerr != nil {
		sv.log.Warn("scim: provisioning log write failed", "request_id", rid, "err", lerr)
	}
}

// logPath is the path as the client sent it (before a mount's prefix was
// stripped), with its query.
func logPath(r *http.Request) string {
	if r.RequestURI != "" {
		return bounded(r.RequestURI, 2048)
	}
	return bounded(r.URL.RequestURI(), 2048)
}

// redactSecrets hides the value of a password attribute (IdC refuses it,
// AWS-SCIM-006, but a client may still send one) before the body is logged.
func redactSecrets(body []byte) string {
	if !bytes.Contains(bytes.ToLower(body), []byte(`"password"`)) {
		return string(body)
	}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "(a body naming a password that is not a JSON object; not logged)"
	}
	redactPasswords(m)
	b, _ := json.Marshal(m)
	return string(b)
}

func redactPasswords(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.EqualFold(k, "password") {
				x[k] = "(redacted)"
				continue
			}
			if s, ok := e.(string); ok && strings.EqualFold(k, "path") && strings.EqualFold(s, "password") {
				x["value"] = "(redacted)"
			}
			redactPasswords(e)
		}
	case []any:
		for _, e := range x {
			redactPasswords(e)
		}
	}
}

func bounded(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…(truncated)"
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// readBody reads at most maxBody bytes; a larger body is refused with 413
// before any byte past the limit is read.
func (sv *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	tooBig := &apiError{Status: http.StatusRequestEntityTooLarge,
		Detail: fmt.Sprintf("The request body is larger than %d bytes, the most this endpoint accepts.", sv.maxBody)}
	if r.ContentLength > sv.maxBody {
		return nil, tooBig
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, sv.maxBody+1))
	if err != nil {
		return nil, invalid("", DetailInvalid)
	}
	if int64(len(b)) > sv.maxBody {
		return nil, tooBig
	}
	return b, nil
}

func unsupported(what string) *apiError {
	return invalid("AWS-SCIM-002", what+" is not supported by IAM Identity Center's SCIM endpoint")
}

func methodRefused(r *http.Request, what string) *apiError {
	return invalid("AWS-SCIM-002", fmt.Sprintf("%s %s is not supported by IAM Identity Center's SCIM endpoint", r.Method, what))
}

func (sv *Server) route(q *request) (reply, error) {
	r := q.r
	p := r.URL.Path
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	head := parts[0]
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case len(parts) > 2:
		return reply{}, unsupported("The path " + strconv.Quote(p))
	case strings.EqualFold(head, "Me"):
		return reply{}, unsupported("/Me")
	case strings.EqualFold(head, "Bulk"):
		return reply{}, unsupported("/Bulk")
	case strings.EqualFold(head, ".search") || len(parts) == 2 && strings.EqualFold(parts[1], ".search"):
		return reply{}, unsupported("Searching with POST .search")
	case head == "ServiceProviderConfig" && len(parts) == 1:
		if !get {
			return reply{}, methodRefused(r, "/ServiceProviderConfig")
		}
		return reply{http.StatusOK, serviceProviderConfig()}, nil
	case head == "Schemas":
		if !get {
			return reply{}, methodRefused(r, "/Schemas")
		}
		if len(parts) == 1 {
			return reply{http.StatusOK, listOf(schemas())}, nil
		}
		for _, s := range schemas() {
			if s["id"] == parts[1] {
				return reply{http.StatusOK, s}, nil
			}
		}
		return reply{}, notFound(parts[1])
	case head == "ResourceTypes":
		if !get {
			return reply{}, methodRefused(r, "/ResourceTypes")
		}
		if len(parts) == 1 {
			return reply{http.StatusOK, listOf(resourceTypes())}, nil
		}
		for _, s := range resourceTypes() {
			if s["id"] == parts[1] {
				return reply{http.StatusOK, s}, nil
			}
		}
		return reply{}, notFound(parts[1])
	case head == "Users" && len(parts) == 1:
		switch {
		case get:
			return sv.listUsers(q)
		case r.Method == http.MethodPost:
			return sv.createUser(q)
		}
		return reply{}, methodRefused(r, "/Users")
	case head == "Users":
		id := parts[1]
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			return sv.getUser(q, id)
		case http.MethodPut:
			return sv.putUser(q, id)
		case http.MethodPatch:
			return sv.patchUser(q, id)
		case http.MethodDelete:
			return sv.deleteUser(q, id)
		}
		return reply{}, methodRefused(r, "/Users/{id}")
	case head == "Groups" && len(parts) == 1:
		switch {
		case get:
			return sv.listGroups(q)
		case r.Method == http.MethodPost:
			return sv.createGroup(q)
		}
		return reply{}, methodRefused(r, "/Groups")
	case head == "Groups":
		id := parts[1]
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			return sv.getGroup(q, id)
		case http.MethodPatch:
			return sv.patchGroup(q, id)
		case http.MethodDelete:
			return sv.deleteGroup(q, id)
		}
		return reply{}, methodRefused(r, "/Groups/{id} (IdC has no PutGroup; use PATCH)")
	}
	return reply{}, unsupported("The path " + strconv.Quote(p))
}

func notFound(id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Detail: fmt.Sprintf("Resource %s not found.", id)}
}

func conflict() *apiError {
	return &apiError{Status: http.StatusConflict, Detail: DetailDuplicate, Rule: "AWS-SCIM-005"}
}

// storeErr maps a store's sentinel errors to IdC's answers.
func storeErr(err error, id string) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return notFound(id)
	case errors.Is(err, ErrConflict):
		return conflict()
	case errors.Is(err, ErrBadCursor):
		return invalid("AWS-SCIM-010", "the cursor is not one this endpoint issued")
	}
	return err
}

// ---- users ----

func (sv *Server) readUser(q *request) (*User, error) {
	if len(q.body) == 0 {
		return nil, invalid("", DetailInvalid)
	}
	m, err := decodeJSONObject(q.body)
	if err != nil {
		return nil, err
	}
	u, err := decodeUser(m)
	if err != nil {
		return nil, err
	}
	if err := validateUser(u); err != nil {
		return nil, err
	}
	return u, nil
}

func (sv *Server) createUser(q *request) (reply, error) {
	u, err := sv.readUser(q)
	if err != nil {
		return reply{}, err
	}
	u.ID = ""
	u.Created, u.LastModified = q.now.UTC(), q.now.UTC()
	if err := sv.store.CreateUser(q.r.Context(), u); err != nil {
		if errors.Is(err, ErrConflict) {
			return reply{}, &apiError{Status: http.StatusConflict, Detail: DetailDuplicate, Rule: "AWS-SCIM-005/AWS-SCIM-008 (userName or primary email taken)"}
		}
		return reply{}, err
	}
	return reply{http.StatusCreated, UserResource(u)}, nil
}

func (sv *Server) getUser(q *request, id string) (reply, error) {
	if err := noListParams(q.r); err != nil {
		return reply{}, err
	}
	u, err := sv.store.GetUser(q.r.Context(), id)
	if err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{http.StatusOK, UserResource(u)}, nil
}

func (sv *Server) putUser(q *request, id string) (reply, error) {
	nu, err := sv.readUser(q)
	if err != nil {
		return reply{}, err
	}
	u, err := sv.store.UpdateUser(q.r.Context(), id, func(u *User) error {
		created := u.Created
		*u = *nu
		u.ID, u.Created, u.LastModified = id, created, q.now.UTC()
		return nil
	})
	if err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{http.StatusOK, UserResource(u)}, nil
}

func (sv *Server) readPatch(q *request) ([]PatchOp, error) {
	if len(q.body) == 0 {
		return nil, invalid("", DetailInvalid)
	}
	m, err := decodeJSONObject(q.body)
	if err != nil {
		return nil, err
	}
	return decodePatch(m)
}

func (sv *Server) patchUser(q *request, id string) (reply, error) {
	ops, err := sv.readPatch(q)
	if err != nil {
		return reply{}, err
	}
	u, err := sv.store.UpdateUser(q.r.Context(), id, func(u *User) error {
		if err := applyUserPatch(u, ops); err != nil {
			return err
		}
		if err := validateUser(u); err != nil {
			return err
		}
		u.LastModified = q.now.UTC()
		return nil
	})
	if err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{http.StatusOK, UserResource(u)}, nil
}

func (sv *Server) deleteUser(q *request, id string) (reply, error) {
	if err := sv.store.DeleteUser(q.r.Context(), id); err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{status: http.StatusNoContent}, nil
}

// ---- listing ----

var cursorPattern = regexp.MustCompile(`^[-a-zA-Z0-9+=/:_]*$`)

type listParams struct {
	terms     []Term
	count     int
	cursor    string
	useCursor bool
}

// noListParams refuses what IdC refuses on a GET of one resource.
func noListParams(r *http.Request) error {
	for k := range r.URL.Query() {
		switch k {
		case "attributes", "excludedAttributes":
			return invalid("AWS-SCIM-010", k+" is not supported by IAM Identity Center")
		}
	}
	return nil
}

// parseList reads filter, count and cursor (AWS-SCIM-009, AWS-SCIM-010).
// startIndex, attributes and excludedAttributes are refused, except
// excludedAttributes=members on /Groups, which Entra sends with every group
// lookup and which changes nothing here (members are never returned).
func parseList(r *http.Request, groups bool) (listParams, error) {
	var lp listParams
	lp.count = 100
	qs, err := urlQuery(r)
	if err != nil {
		return lp, err
	}
	for k, vs := range qs {
		if len(vs) > 1 {
			return lp, invalid("", fmt.Sprintf("the query parameter %s is given %d times", k, len(vs)))
		}
		v := vs[0]
		switch k {
		case "filter":
			terms, err := ParseFilter(v)
			if err != nil {
				return lp, invalid("AWS-SCIM-009", err.Error())
			}
			lp.terms = terms
		case "count":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				return lp, invalid("AWS-SCIM-010", fmt.Sprintf("count must be a whole number from 1 to 100, not %q", v))
			}
			lp.count = n
		case "cursor":
			if len(v) > 1024 || !cursorPattern.MatchString(v) {
				return lp, invalid("AWS-SCIM-010", "the cursor must match [-a-zA-Z0-9+=/:_]*")
			}
			lp.cursor, lp.useCursor = v, true
		case "excludedAttributes":
			if groups && strings.EqualFold(v, "members") {
				continue
			}
			return lp, invalid("AWS-SCIM-010", "excludedAttributes is not supported by IAM Identity Center")
		case "startIndex", "attributes", "sortBy", "sortOrder":
			return lp, invalid("AWS-SCIM-010", k+" is not supported by IAM Identity Center; page with count and cursor")
		default:
			return lp, invalid("", fmt.Sprintf("the query parameter %q is not supported", k))
		}
	}
	return lp, nil
}

func urlQuery(r *http.Request) (map[string][]string, error) {
	if len(r.URL.RawQuery) > 4096 {
		return nil, invalid("AWS-SCIM-009", "the query string is too long")
	}
	qs, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, invalid("", DetailInvalid)
	}
	return qs, nil
}

type listResponse struct {
	TotalResults *int     `json:"totalResults,omitempty"`
	ItemsPerPage int      `json:"itemsPerPage"`
	StartIndex   *int     `json:"startIndex,omitempty"`
	NextCursor   string   `json:"nextCursor,omitempty"`
	Schemas      []string `json:"schemas"`
	Resources    []any    `json:"Resources"`
}

func listOf[T any](items []T) listResponse {
	one := 1
	n := len(items)
	res := make([]any, n)
	for i, it := range items {
		res[i] = it
	}
	return listResponse{TotalResults: &n, ItemsPerPage: n, StartIndex: &one, Schemas: []string{ListResponseSchema}, Resources: res}
}

func (sv *Server) listUsers(q *request) (reply, error) {
	lp, err := parseList(q.r, false)
	if err != nil {
		return reply{}, err
	}
	uq, err := userQuery(lp.terms)
	if lp.terms == nil {
		uq, err = UserQuery{}, nil
	}
	if err != nil {
		return reply{}, invalid("AWS-SCIM-009", err.Error())
	}
	uq.Count, uq.Cursor = lp.count, lp.cursor
	ctx := q.r.Context()
	users, next, err := sv.store.ListUsers(ctx, uq)
	if err != nil {
		return reply{}, storeErr(err, "")
	}
	res := make([]any, len(users))
	for i := range users {
		res[i] = UserResource(&users[i])
	}
	if lp.useCursor {
		return reply{http.StatusOK, listResponse{ItemsPerPage: len(res), NextCursor: next, Schemas: []string{ListResponseSchema}, Resources: res}}, nil
	}
	total := len(res)
	if next != "" {
		if lp.terms == nil {
			if total, err = sv.store.CountUsers(ctx); err != nil {
				return reply{}, err
			}
		} else if total, err = sv.countRest(ctx, total, next, func(c string) (int, string, error) {
			uq.Cursor = c
			us, n, err := sv.store.ListUsers(ctx, uq)
			return len(us), n, err
		}); err != nil {
			return reply{}, err
		}
	}
	one := 1
	return reply{http.StatusOK, listResponse{TotalResults: &total, ItemsPerPage: len(res), StartIndex: &one, Schemas: []string{ListResponseSchema}, Resources: res}}, nil
}

// countRest pages through the rest of a result for totalResults.
func (sv *Server) countRest(ctx context.Context, total int, next string, page func(string) (int, string, error)) (int, error) {
	for next != "" {
		n, nx, err := page(next)
		if err != nil {
			return 0, err
		}
		total += n
		next = nx
	}
	return total, nil
}

// ---- groups ----

func (sv *Server) createGroup(q *request) (reply, error) {
	if len(q.body) == 0 {
		return reply{}, invalid("", DetailInvalid)
	}
	m, err := decodeJSONObject(q.body)
	if err != nil {
		return reply{}, err
	}
	g, err := decodeGroup(m)
	if err != nil {
		return reply{}, err
	}
	ctx := q.r.Context()
	for _, id := range g.Members {
		if _, err := sv.store.GetUser(ctx, id); errors.Is(err, ErrNotFound) {
			return reply{}, memberNotFound(id)
		}
	}
	g.ID = ""
	g.Created, g.LastModified = q.now.UTC(), q.now.UTC()
	if err := sv.store.CreateGroup(ctx, g); err != nil {
		switch {
		case errors.Is(err, ErrConflict):
			return reply{}, &apiError{Status: http.StatusConflict, Detail: DetailDuplicate, Rule: "AWS-SCIM-012 (displayName taken)"}
		case errors.Is(err, ErrNotFound):
			return reply{}, invalid("AWS-SCIM-012", "a member id names no user")
		}
		return reply{}, err
	}
	return reply{http.StatusCreated, GroupResource(g)}, nil
}

func memberNotFound(id string) *apiError {
	return invalid("AWS-SCIM-012", fmt.Sprintf("member %s is not a user of this identity store", id))
}

func decodeGroup(m map[string]any) (*Group, error) {
	top, err := lowerKeys(m, "group")
	if err != nil {
		return nil, err
	}
	g := &Group{}
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "schemas":
			if err := checkSchemas(v, GroupSchema); err != nil {
				return nil, err
			}
		case "id":
			if _, err := stringValue("id", v); err != nil {
				return nil, err
			}
		case "meta":
			if err := checkMeta(v); err != nil {
				return nil, err
			}
		case "displayname":
			if g.DisplayName, err = stringValue("displayName", v); err != nil {
				return nil, err
			}
		case "externalid":
			if g.ExternalID, err = stringValue("externalId", v); err != nil {
				return nil, err
			}
		case "members":
			if v == nil {
				continue
			}
			ids, err := memberIDs(v)
			if err != nil {
				return nil, err
			}
			if len(ids) > MaxGroupMembers {
				return nil, invalid("AWS-SCIM-012", fmt.Sprintf("the group has %d members; IAM Identity Center takes at most %d in one request", len(ids), MaxGroupMembers))
			}
			g.Members = ids
		default:
			return nil, invalid("AWS-SCIM-007", fmt.Sprintf("%s is not a group attribute IAM Identity Center supports (displayName, externalId, members)", origKey(m, k)))
		}
	}
	if err := validateGroup(g); err != nil {
		return nil, err
	}
	return g, nil
}

func validateGroup(g *Group) error {
	if g.DisplayName == "" {
		return invalid("AWS-SCIM-012", "displayName is required by IAM Identity Center and must not be empty")
	}
	if err := checkText("displayName", g.DisplayName, MaxStringLen); err != nil {
		return err
	}
	return checkText("externalId", g.ExternalID, MaxExternalIDLen)
}

func (sv *Server) getGroup(q *request, id string) (reply, error) {
	if err := noListParams(q.r); err != nil && !(q.r.URL.Query().Get("excludedAttributes") == "members") {
		return reply{}, err
	}
	g, err := sv.store.GetGroup(q.r.Context(), id)
	if err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{http.StatusOK, GroupResource(g)}, nil
}

func (sv *Server) patchGroup(q *request, id string) (reply, error) {
	ops, err := sv.readPatch(q)
	if err != nil {
		return reply{}, err
	}
	c, err := decodeGroupPatch(ops, id)
	if err != nil {
		return reply{}, err
	}
	ctx := q.r.Context()
	for _, m := range c.AddMembers {
		if _, err := sv.store.GetUser(ctx, m); errors.Is(err, ErrNotFound) {
			return reply{}, memberNotFound(m)
		}
	}
	found := false
	_, err = sv.store.UpdateGroup(ctx, id, func(g *Group) error {
		found = true
		c.applyTo(g)
		if err := validateGroup(g); err != nil {
			return err
		}
		g.LastModified = q.now.UTC()
		return nil
	})
	if err != nil {
		switch {
		case errors.Is(err, ErrNotFound) && found:
			return reply{}, invalid("AWS-SCIM-012", "a member id names no user")
		case errors.Is(err, ErrConflict):
			return reply{}, &apiError{Status: http.StatusConflict, Detail: DetailDuplicate, Rule: "AWS-SCIM-012 (displayName taken)"}
		}
		return reply{}, storeErr(err, id)
	}
	return reply{status: http.StatusNoContent}, nil
}

func (sv *Server) deleteGroup(q *request, id string) (reply, error) {
	if err := sv.store.DeleteGroup(q.r.Context(), id); err != nil {
		return reply{}, storeErr(err, id)
	}
	return reply{status: http.StatusNoContent}, nil
}

func (sv *Server) listGroups(q *request) (reply, error) {
	lp, err := parseList(q.r, true)
	if err != nil {
		return reply{}, err
	}
	gq, err := groupQuery(lp.terms)
	if lp.terms == nil {
		gq, err = GroupQuery{}, nil
	}
	if err != nil {
		return reply{}, invalid("AWS-SCIM-009", err.Error())
	}
	gq.Count, gq.Cursor = lp.count, lp.cursor
	ctx := q.r.Context()
	groups, next, err := sv.store.ListGroups(ctx, gq)
	if err != nil {
		return reply{}, storeErr(err, "")
	}
	res := make([]any, len(groups))
	for i := range groups {
		res[i] = GroupResource(&groups[i])
	}
	if lp.useCursor {
		return reply{http.StatusOK, listResponse{ItemsPerPage: len(res), NextCursor: next, Schemas: []string{ListResponseSchema}, Resources: res}}, nil
	}
	total := len(res)
	if next != "" {
		if total, err = sv.countRest(ctx, total, next, func(c string) (int, string, error) {
			gq.Cursor = c
			gs, n, err := sv.store.ListGroups(ctx, gq)
			return len(gs), n, err
		}); err != nil {
			return reply{}, err
		}
	}
	one := 1
	return reply{http.StatusOK, listResponse{TotalResults: &total, ItemsPerPage: len(res), StartIndex: &one, Schemas: []string{ListResponseSchema}, Resources: res}}, nil
}
