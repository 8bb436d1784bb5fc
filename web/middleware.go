package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// defaultCSP is the Content-Security-Policy of every page: no script, our
// stylesheet only, forms post only to us, never framed. Pages that post to a
// service provider replace form-action (and allow the auto-post script by
// hash).
const defaultCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (sv *server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", defaultCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if sv.secureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at bodyLimit: a body announced larger
// gets 413 before the handler runs, one that turns out larger (chunked)
// gets the handler's 413 when its read fails. Either way the status is
// flushed first and then the rest of the body is read and thrown away (at
// most maxDrainBytes, for at most drainTimeout), so the client finishes
// sending and reads the status: closing a connection with unread data
// makes the kernel send a reset, and many clients and load balancers then
// report the reset, not the status (issue 13 item 9).
func (sv *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		orig := r.Body
		limit := bodyLimit(r)
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			sv.log.Info("request body too large", "method", r.Method, "path", r.URL.Path, "content_length", r.ContentLength, "ip", clientIP(r))
			sv.fail(w, r, http.StatusRequestEntityTooLarge, "Request too large",
				fmt.Sprintf("The request body is %d bytes; this address takes at most %d.", r.ContentLength, limit))
			drainBody(w, orig)
			return
		}
		lb := &limitedBody{ReadCloser: http.MaxBytesReader(w, orig, limit)}
		r.Body = lb
		next.ServeHTTP(w, r)
		if lb.hit {
			drainBody(w, orig)
		}
	})
}

// bodyLimit is the body size r may have: maxBodyBytes, and for the
// /inspect form (a pasted message as large as samlab inspect takes, and a
// certificate or metadata, percent-encoded) inspectMaxBody.
func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == "/inspect" {
		return inspectMaxBody
	}
	return maxBodyBytes
}

// maxDrainBytes and drainTimeout bound what limitBody reads and discards
// after refusing a body. Past them the connection is closed anyway.
const (
	maxDrainBytes = 32 << 20
	drainTimeout  = 5 * time.Second
)

// limitedBody records whether the handler's read hit the body limit.
type limitedBody struct {
	io.ReadCloser
	hit bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooBig *http.MaxBytesError
	if err != nil && errors.As(err, &tooBig) {
		b.hit = true
	}
	return n, err
}

// drainBody sends the response written so far, then reads and discards
// the rest of body within the drain bounds.
func drainBody(w http.ResponseWriter, body io.Reader) {
	rc := http.NewResponseController(w)
	if err := rc.Flush(); err != nil {
		return
	}
	rc.SetReadDeadline(time.Now().Add(drainTimeout))
	io.CopyN(io.Discard, body, maxDrainBytes)
}

// recoverer turns a panic into a plain 500 page and an error log line with
// the stack; the client never sees the stack.
func (sv *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				sv.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				sv.fail(w, r, http.StatusInternalServerError, "Internal error", "Something went wrong on our side. The error was logged.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog writes one debug line per request: method, path (no query: it
// can carry SAMLRequest and RelayState), status, size, duration.
func (sv *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		sv.log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration", time.Since(start), "remote", clientIP(r))
	})
}

// clientIP is the connection's remote address without the port.
// X-Forwarded-For is not trusted.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
