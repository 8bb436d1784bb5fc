package config

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// QuoteString's output decodes back to the same string, whichever form it
// picks (literal for backslashes, basic with escapes otherwise).
func TestQuoteStringRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", `a\b`, `(?'domain'^.*?)(?i)(\@contoso\.com)$`, `it's`, `both ' and \`,
		"quote\"d", "tab\there", "line\nbreak", "cr\r", "bell\a", "del\x7f", "é ü 漢字", `\`, `'`} {
		var v struct{ K string }
		if _, err := toml.Decode("K = "+QuoteString(s), &v); err != nil {
			t.Errorf("QuoteString(%q) = %s does not decode: %v", s, QuoteString(s), err)
			continue
		}
		if v.K != s {
			t.Errorf("QuoteString(%q) = %s decodes to %q", s, QuoteString(s), v.K)
		}
	}
	if got := QuoteString(`a\b`); got != `'a\b'` {
		t.Errorf("a backslash without quotes should make a literal string, got %s", got)
	}
}
