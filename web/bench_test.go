package web

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkIdPInitiated measures GET /apps/aws/start for a signed-in user,
// in-process: claims, lint, XML, one RSA-2048 signature, the post page.
// Compare with BenchmarkRSA2048Sign.
func BenchmarkIdPInitiated(b *testing.B) {
	e := newTestEnv(b, withRealClock())
	br := e.browser()
	br.login("alice", "alice-demo")
	u, _ := url.Parse(e.base)
	cookies := br.c.Jar.Cookies(u)
	h := e.srv.Config.Handler
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", e.base+"/apps/aws/start", nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkRSA2048Sign is the baseline: one PKCS#1 v1.5 SHA-256 signature.
func BenchmarkRSA2048Sign(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	d := sha256.Sum256([]byte("samlab"))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := key.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
				b.Fatal(err)
			}
		}
	})
}
