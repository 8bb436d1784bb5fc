package config

import (
	"strconv"
	"strings"
)

// The TOML decoder reports no positions for keys, and for arrays of tables
// it cannot say which entry a key belongs to. The locator scans the (already
// syntax-checked) text once and records the line of every key, table header
// and array element under an indexed path such as
// "apps[1].claims[0].transformations[1].function", so that unknown keys and
// validation problems can name the exact line.

// keyEvent is one place in the file where a key, a table or an array
// element starts.
type keyEvent struct {
	path  string   // indexed path: apps[1].claims[0].name
	plain []string // the same path without indices, as toml.Key
	line  int
	elem  bool // an array element rather than a key or table
}

// locator maps indexed paths to lines.
type locator struct {
	events []keyEvent
	first  map[string]int // indexed path -> line of its first occurrence
}

// pathSeg is one segment of an indexed path.
type pathSeg struct {
	key   string
	index int // -1: not an array element
}

func segString(segs []pathSeg) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && s.key != "" {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func segPlain(segs []pathSeg) []string {
	out := make([]string, 0, len(segs))
	for _, s := range segs {
		if s.key != "" {
			out = append(out, s.key)
		}
	}
	return out
}

// line returns the line of path, or of its nearest recorded parent, or 0.
func (l *locator) line(path string) int {
	if l == nil {
		return 0
	}
	for path != "" {
		if n, ok := l.first[path]; ok {
			return n
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return 0
		}
		path = path[:cut]
	}
	return 0
}

// linesOf returns every line where a key with the plain (unindexed) path
// occurs, with its indexed path.
func (l *locator) linesOf(plain []string) []keyEvent {
	if l == nil {
		return nil
	}
	var out []keyEvent
	for _, e := range l.events {
		if !e.elem && equalKeys(e.plain, plain) && (len(out) == 0 || out[len(out)-1].path != e.path) {
			out = append(out, e)
		}
	}
	return out
}

func equalKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// locate scans TOML text that the decoder has accepted. It never fails: on
// text it does not understand it stops recording and returns what it has.
func locate(src string) *locator {
	s := &scanner{src: src, line: 1, tables: map[string]int{}}
	s.run()
	l := &locator{events: s.events, first: make(map[string]int, len(s.events))}
	for _, e := range s.events {
		if _, ok := l.first[e.path]; !ok {
			l.first[e.path] = e.line
		}
	}
	return l
}

type scanner struct {
	src    string
	pos    int
	line   int
	events []keyEvent
	// tables counts the entries of each array of tables, by the indexed
	// path of the array ("apps", "apps[2].claims").
	tables map[string]int
	// current is the table that key/value lines belong to.
	current []pathSeg
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

func (s *scanner) advance() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

func (s *scanner) record(segs []pathSeg, line int) {
	elem := len(segs) > 0 && segs[len(segs)-1].key == ""
	s.events = append(s.events, keyEvent{path: segString(segs), plain: segPlain(segs), line: line, elem: elem})
}

// skipSpace skips blanks, and also newlines and comments when multiline.
func (s *scanner) skipSpace(multiline bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '\n' && multiline:
			s.advance()
		case c == '#' && multiline:
			s.skipComment()
		default:
			return
		}
	}
}

func (s *scanner) skipComment() {
	for !s.eof() && s.peek() != '\n' {
		s.advance()
	}
}

func (s *scanner) run() {
	for !s.eof() {
		start := s.pos
		s.skipSpace(true)
		if s.eof() {
			return
		}
		if s.peek() == '[' {
			s.header()
		} else {
			s.keyValue(s.current)
		}
		s.skipSpace(false)
		if s.peek() == '#' {
			s.skipComment()
		}
		if s.pos == start { // not understood: stop rather than loop
			return
		}
	}
}

// header reads [a.b] or [[a.b]].
func (s *scanner) header() {
	line := s.line
	s.advance()
	array := s.peek() == '['
	if array {
		s.advance()
	}
	keys := s.key()
	s.skipSpace(false)
	for s.peek() == ']' {
		s.advance()
	}
	if len(keys) == 0 {
		return
	}
	// Resolve every parent segment to the latest entry of an array of
	// tables when it is one.
	segs := make([]pathSeg, 0, len(keys))
	for i, k := range keys {
		seg := pathSeg{key: k, index: -1}
		prefix := segString(append(append([]pathSeg(nil), segs...), seg))
		last := i == len(keys)-1
		if last && array {
			seg.index = s.tables[prefix]
			s.tables[prefix]++
		} else if n, ok := s.tables[prefix]; ok {
			seg.index = n - 1
		}
		segs = append(segs, seg)
	}
	s.current = segs
	s.record(segs, line)
}

// key reads a possibly dotted key and returns its segments.
func (s *scanner) key() []string {
	var keys []string
	for {
		s.skipSpace(false)
		k, ok := s.simpleKey()
		if !ok {
			return keys
		}
		keys = append(keys, k)
		s.skipSpace(false)
		if s.peek() != '.' {
			return keys
		}
		s.advance()
	}
}

func (s *scanner) simpleKey() (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		raw := s.basicString()
		return unquoteBasic(raw), true
	case c == '\'':
		raw := s.literalString()
		return strings.Trim(raw, "'"), true
	case isBareKeyChar(c):
		start := s.pos
		for !s.eof() && isBareKeyChar(s.peek()) {
			s.advance()
		}
		return s.src[start:s.pos], true
	}
	return "", false
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// keyValue reads key = value under base.
func (s *scanner) keyValue(base []pathSeg) {
	line := s.line
	keys := s.key()
	if len(keys) == 0 {
		return
	}
	segs := append([]pathSeg(nil), base...)
	for _, k := range keys {
		segs = append(segs, pathSeg{key: k, index: -1})
		s.record(segs, line)
	}
	s.skipSpace(false)
	if s.peek() != '=' {
		return
	}
	s.advance()
	s.skipSpace(false)
	s.value(segs)
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under path.
func (s *scanner) value(path []pathSeg) {
	switch c := s.peek(); c {
	case '"':
		s.basicString()
	case '\'':
		s.literalString()
	case '{':
		s.advance()
		for !s.eof() {
			s.skipSpace(true)
			if s.peek() == ',' {
				s.advance()
				continue
			}
			if s.peek() == '}' {
				s.advance()
				return
			}
			start := s.pos
			s.keyValue(path)
			if s.pos == start {
				s.advance()
			}
		}
	case '[':
		s.advance()
		for i := 0; !s.eof(); {
			s.skipSpace(true)
			if s.peek() == ',' {
				s.advance()
				continue
			}
			if s.peek() == ']' {
				s.advance()
				return
			}
			elem := append(append([]pathSeg(nil), path...), pathSeg{index: i})
			s.record(elem, s.line)
			start := s.pos
			s.value(elem)
			if s.pos == start {
				s.advance()
			}
			i++
		}
	default:
		for !s.eof() {
			switch s.peek() {
			case ',', ']', '}', '\n', '#', ' ', '\t', '\r':
				return
			}
			s.advance()
		}
	}
}

// basicString skips "..." or """...""" and returns the raw text.
func (s *scanner) basicString() string {
	start := s.pos
	if strings.HasPrefix(s.src[s.pos:], `"""`) {
		for range 3 {
			s.advance()
		}
		for !s.eof() {
			if s.peek() == '\\' {
				s.advance()
				if !s.eof() {
					s.advance()
				}
				continue
			}
			if strings.HasPrefix(s.src[s.pos:], `"""`) {
				for range 3 {
					s.advance()
				}
				// Up to two more quotes belong to the content.
				for k := 0; k < 2 && s.peek() == '"'; k++ {
					s.advance()
				}
				break
			}
			s.advance()
		}
		return s.src[start:s.pos]
	}
	s.advance()
	for !s.eof() && s.peek() != '"' && s.peek() != '\n' {
		if s.peek() == '\\' {
			s.advance()
			if s.eof() {
				break
			}
		}
		s.advance()
	}
	if s.peek() == '"' {
		s.advance()
	}
	return s.src[start:s.pos]
}

// literalString skips '...' or ”'...”' and returns the raw text.
func (s *scanner) literalString() string {
	start := s.pos
	if strings.HasPrefix(s.src[s.pos:], `'''`) {
		for range 3 {
			s.advance()
		}
		for !s.eof() {
			if strings.HasPrefix(s.src[s.pos:], `'''`) {
				for range 3 {
					s.advance()
				}
				for k := 0; k < 2 && s.peek() == '\''; k++ {
					s.advance()
				}
				break
			}
			s.advance()
		}
		return s.src[start:s.pos]
	}
	s.advance()
	for !s.eof() && s.peek() != '\'' && s.peek() != '\n' {
		s.advance()
	}
	if s.peek() == '\'' {
		s.advance()
	}
	return s.src[start:s.pos]
}

// unquoteBasic decodes a quoted key. TOML escapes are close enough to Go's
// for keys; anything Go cannot decode is kept as written.
func unquoteBasic(raw string) string {
	if u, err := strconv.Unquote(raw); err == nil {
		return u
	}
	return strings.Trim(raw, `"`)
}
