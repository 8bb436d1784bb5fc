package claims

import "strings"

// backtrackingShape finds, in a .NET-flavoured pattern, a group that an
// unbounded quantifier (*, +, {n,}) repeats while everything in one of its
// alternatives can itself repeat or be left out: (a+)+, (a*)*b,
// (\w+\s?)*, ((ab)*)+. Such a group can split one input into exponentially
// many ways, which regexp2 (a backtracking engine, like .NET) then tries
// one by one. It returns the group as written, "" when the pattern has no
// such shape. Overlapping alternatives such as (a|aa)+ are not detected;
// the match deadline stops those.
//
// The scan is lexical: escapes, character classes and group syntax are
// skipped correctly, the rest is read as single-character atoms, which can
// only make a group look safer, never riskier.
func backtrackingShape(pattern string) string {
	s := &shapeScan{p: pattern}
	s.alternatives()
	return s.bad
}

type shapeScan struct {
	p   string
	i   int
	bad string
}

// alternatives reads alternatives up to a closing ")" (not consumed) or
// the end. unbounded: some part repeats without bound; allVariable: some
// alternative consists only of parts that may repeat or be left out.
func (s *shapeScan) alternatives() (unbounded, allVariable bool) {
	altVar := true
	for s.i < len(s.p) {
		c := s.p[s.i]
		switch c {
		case ')':
			return unbounded, allVariable || altVar
		case '|':
			s.i++
			allVariable = allVariable || altVar
			altVar = true
			continue
		}
		start := s.i
		atomUnb, atomVar, group, zeroWidth := s.atom()
		qmin, qmax, quantified := s.quantifier()
		if qmax < 0 {
			unbounded = true
			if group && atomUnb && atomVar && s.bad == "" {
				s.bad = s.p[start:s.i]
			}
		}
		unbounded = unbounded || atomUnb
		variable := zeroWidth || (group && atomVar)
		if quantified && (qmin == 0 || qmax < 0 || qmax != qmin) {
			variable = true
		}
		if !variable {
			altVar = false
		}
	}
	return unbounded, allVariable || altVar
}

// atom reads one atom: an escape, a class, a group or one character.
func (s *shapeScan) atom() (unbounded, allVariable, group, zeroWidth bool) {
	p := s.p
	switch c := p[s.i]; c {
	case '\\':
		s.i += 2
		if s.i-1 < len(p) {
			switch p[s.i-1] {
			case 'p', 'P':
				s.skipBracket('{', '}')
			case 'k':
				s.skipBracket('<', '>')
			case 'b', 'B', 'A', 'z', 'Z', 'G':
				zeroWidth = true
			}
		}
		s.i = min(s.i, len(p))
	case '[':
		s.skipClass()
	case '^', '$':
		s.i++
		zeroWidth = true
	case '(':
		s.i++
		look := false
		if strings.HasPrefix(p[s.i:], "?") {
			switch {
			case strings.HasPrefix(p[s.i:], "?#"): // comment
				if j := strings.IndexByte(p[s.i:], ')'); j >= 0 {
					s.i += j + 1
				} else {
					s.i = len(p)
				}
				return false, false, false, true
			case strings.HasPrefix(p[s.i:], "?="), strings.HasPrefix(p[s.i:], "?!"),
				strings.HasPrefix(p[s.i:], "?<="), strings.HasPrefix(p[s.i:], "?<!"):
				look = true
				s.i += 2
				if p[s.i-1] == '<' {
					s.i++
				}
			case strings.HasPrefix(p[s.i:], "?<"), strings.HasPrefix(p[s.i:], "?'"):
				end := byte('>')
				if p[s.i+1] == '\'' {
					end = '\''
				}
				if j := strings.IndexByte(p[s.i+2:], end); j >= 0 {
					s.i += j + 3
				} else {
					s.i = len(p)
				}
			default: // (?:...), (?i:...), (?i)
				j := s.i + 1
				for j < len(p) && p[j] != ':' && p[j] != ')' {
					j++
				}
				if j < len(p) && p[j] == ')' { // inline options only
					s.i = j + 1
					return false, false, false, true
				}
				s.i = min(j+1, len(p))
			}
		}
		unbounded, allVariable = s.alternatives()
		if s.i < len(p) && p[s.i] == ')' {
			s.i++
		}
		if look {
			return false, false, false, true
		}
		return unbounded, allVariable, true, false
	default:
		s.i++
	}
	return false, false, false, zeroWidth
}

// quantifier reads an optional quantifier (and a lazy "?"); max is -1 for
// no upper bound.
func (s *shapeScan) quantifier() (qmin, qmax int, ok bool) {
	if s.i >= len(s.p) {
		return 0, 0, false
	}
	switch s.p[s.i] {
	case '*':
		qmin, qmax, ok = 0, -1, true
		s.i++
	case '+':
		qmin, qmax, ok = 1, -1, true
		s.i++
	case '?':
		qmin, qmax, ok = 0, 1, true
		s.i++
	case '{':
		j := s.i + 1
		n, j1 := shapeNumber(s.p, j)
		if j1 == j {
			return 0, 0, false // a literal "{"
		}
		j = j1
		m := n
		if j < len(s.p) && s.p[j] == ',' {
			var j2 int
			m, j2 = shapeNumber(s.p, j+1)
			if j2 == j+1 {
				m = -1
			}
			j = j2
		}
		if j >= len(s.p) || s.p[j] != '}' {
			return 0, 0, false
		}
		s.i = j + 1
		qmin, qmax, ok = n, m, true
	default:
		return 0, 0, false
	}
	if s.i < len(s.p) && s.p[s.i] == '?' {
		s.i++ // lazy: the same shape
	}
	return qmin, qmax, ok
}

func shapeNumber(p string, j int) (int, int) {
	n := 0
	start := j
	for j < len(p) && p[j] >= '0' && p[j] <= '9' && j-start < 6 {
		n = n*10 + int(p[j]-'0')
		j++
	}
	return n, j
}

// skipBracket skips "{...}" or "<...>" right after an escape letter.
func (s *shapeScan) skipBracket(open, close byte) {
	if s.i < len(s.p) && s.p[s.i] == open {
		if j := strings.IndexByte(s.p[s.i:], close); j >= 0 {
			s.i += j + 1
		} else {
			s.i = len(s.p)
		}
	}
}

// skipClass skips a character class, with escapes, a leading "]" and
// .NET class subtraction ([a-z-[aeiou]]).
func (s *shapeScan) skipClass() {
	p := s.p
	j := s.i + 1
	if j < len(p) && p[j] == '^' {
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++
	}
	depth := 1
	for j < len(p) && depth > 0 {
		switch p[j] {
		case '\\':
			j++
		case '[':
			if p[j-1] == '-' {
				depth++
			}
		case ']':
			depth--
		}
		j++
	}
	s.i = min(j, len(p))
}
