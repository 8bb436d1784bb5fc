package sqlstore

import (
	"errors"
	"testing"

	"github.com/samlab/samlab/scim"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, seq := range []int64{1, 99, 1 << 40} {
		for _, kind := range []string{"u", "g"} {
			c := encodeCursor(kind, seq)
			got, err := decodeCursor(kind, c)
			if err != nil || got != seq {
				t.Errorf("decodeCursor(%q, %q) = %d, %v; want %d", kind, c, got, err, seq)
			}
		}
	}
	// A users cursor is no groups cursor.
	if _, err := decodeCursor("g", encodeCursor("u", 5)); !errors.Is(err, scim.ErrBadCursor) {
		t.Errorf("users cursor accepted for groups: %v", err)
	}
}

// FuzzDecodeCursor: a cursor comes from the client's request. Whatever it
// is, decoding never panics, and what decodes is a positive sequence that
// encodes back to the same cursor.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{"", encodeCursor("u", 100), encodeCursor("g", 7), "dTow", "dTotMQ", "garbage", "%%%", "dTo5OTk5OTk5OTk5OTk5OTk5OTk5OQ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		seq, err := decodeCursor("u", c)
		if err != nil {
			if !errors.Is(err, scim.ErrBadCursor) {
				t.Fatalf("error %v is not ErrBadCursor", err)
			}
			return
		}
		if c == "" {
			if seq != 0 {
				t.Fatalf("empty cursor decoded to %d", seq)
			}
			return
		}
		if seq <= 0 {
			t.Fatalf("cursor %q decoded to %d", c, seq)
		}
		if again, _ := decodeCursor("u", encodeCursor("u", seq)); again != seq {
			t.Fatalf("round trip of %d gave %d", seq, again)
		}
	})
}
