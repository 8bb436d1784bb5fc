package claims

import (
	"fmt"
	"unicode/utf8"
)

// checkXMLText reports why s cannot be carried faithfully as XML element
// text inside a signed document, or nil. Allowed: TAB, LF and the XML Char
// ranges #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF. CR is refused even
// though XML allows it, because parsers normalise it to LF and the signature
// digest then no longer matches; invalid UTF-8, NUL and other control
// characters would be replaced by U+FFFD, silently changing the value.
func checkXMLText(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				return fmt.Errorf("%w: control character %U at byte %d", ErrInvalidValue, rune(c), i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Errorf("%w: invalid UTF-8 at byte %d", ErrInvalidValue, i)
		}
		if r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("%w: non-character %U at byte %d", ErrInvalidValue, r, i)
		}
		i += size
	}
	return nil
}

// checkXMLName is checkXMLText for text that goes into an XML attribute
// (claim names, NameFormat): TAB and LF are refused too, because attribute
// value normalisation turns them into spaces.
func checkXMLName(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] == '\t' || s[i] == '\n' {
			return fmt.Errorf("%w: control character %U at byte %d", ErrInvalidValue, rune(s[i]), i)
		}
	}
	return checkXMLText(s)
}
