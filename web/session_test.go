package web

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestSignerPurposeAndExpiry(t *testing.T) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	now := time.Unix(1_800_000_000, 0)
	v := url.Values{"s": {"abc"}, "e": {strconv.FormatInt(now.Add(time.Minute).Unix(), 10)}}
	tok := s.sign(sessionCookie, v)
	if got, err := s.open(sessionCookie, tok, now); err != nil || got.Get("s") != "abc" {
		t.Fatalf("open = %v, %v", got, err)
	}
	tests := []struct {
		name, purpose, token string
		at                   time.Time
	}{
		{"other purpose", pendingCookie, tok, now},
		{"expired", sessionCookie, tok, now.Add(time.Minute)},
		{"other key", sessionCookie, signer{key: []byte("x")}.sign(sessionCookie, v), now},
		{"tampered payload", sessionCookie, "A" + tok[1:], now},
		{"no mac", sessionCookie, tok[:len(tok)/2], now},
		{"empty", sessionCookie, "", now},
	}
	for _, tt := range tests {
		if _, err := s.open(tt.purpose, tt.token, tt.at); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestThrottleBackoff(t *testing.T) {
	th := newThrottle(3)
	t0 := time.Unix(1_800_000_000, 0)
	for i := 0; i < 3; i++ {
		if w := th.wait("alice", "10.0.0.1", t0); w != 0 {
			t.Fatalf("attempt %d: wait %v before the limit", i+1, w)
		}
		th.fail("alice", "10.0.0.1", t0)
	}
	tests := []struct {
		at   time.Duration
		want time.Duration
	}{
		{0, time.Second},
		{500 * time.Millisecond, 500 * time.Millisecond},
		{time.Second, 0},
	}
	for _, tt := range tests {
		if got := th.wait("alice", "10.0.0.1", t0.Add(tt.at)); got != tt.want {
			t.Errorf("wait at +%v = %v, want %v", tt.at, got, tt.want)
		}
	}
	th.fail("alice", "10.0.0.1", t0.Add(time.Second)) // 4th failure: 2 s
	if got := th.wait("alice", "10.0.0.1", t0.Add(time.Second)); got != 2*time.Second {
		t.Errorf("after a 4th failure: wait %v, want 2s", got)
	}
	if got := th.wait("alice", "10.0.0.2", t0); got != 0 {
		t.Errorf("another address waits %v", got)
	}
	if got := th.wait("alice", "10.0.0.1", t0.Add(time.Hour)); got != 0 {
		t.Errorf("after the window: wait %v", got)
	}
	th.succeed("alice", "10.0.0.1")
	// One address cycling through user names is slowed too (4 × max).
	th2 := newThrottle(3)
	for i := 0; i < 12; i++ {
		th2.fail(strconv.Itoa(i), "10.0.0.9", t0)
	}
	if got := th2.wait("someone-new", "10.0.0.9", t0); got != time.Second {
		t.Errorf("address after 12 failures with 12 names: wait %v, want 1s", got)
	}
	if got := th2.wait("someone-new", "10.0.0.8", t0); got != 0 {
		t.Errorf("another address waits %v", got)
	}
	if got := th.wait("alice", "10.0.0.1", t0.Add(time.Second)); got != 0 {
		t.Errorf("after a success: wait %v", got)
	}
}

func TestCSPSource(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml"},
		{"http://127.0.0.1:9000/saml/acs?x=1", "http://127.0.0.1:9000/saml/acs"},
		{"https://sp.example.com/a;b", "https://sp.example.com"}, // ";" would end the directive
		{"https://sp.example.com/a b", "https://sp.example.com/a%20b"},
		{"https://sp.example.com/a'b", "https://sp.example.com"},
		{"not a url", "'none'"},
	}
	for _, tt := range tests {
		if got := cspSource(tt.in); got != tt.want {
			t.Errorf("cspSource(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
