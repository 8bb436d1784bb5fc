package expression

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samlab/samlab/internal/suggest"
)

// Bounds on what Parse accepts, so a hostile tenant file or API call cannot
// make parsing or evaluation unbounded.
const (
	// MaxLength is the longest expression source accepted, in bytes.
	MaxLength = 16 << 10
	// MaxDepth is the deepest nesting of function calls accepted.
	MaxDepth = 64
)

// Parse parses an attribute-mapping expression in the syntax of Microsoft
// Entra ID: function calls Name(arg, …), attribute references [name], string
// constants "…" with \" and \\ escapes, numbers (7, -10, &HF7), True and
// False, left-out arguments, and comparisons (=, <>, <, <=, >, >=) as IIF's
// condition uses them. Function names are case-sensitive, as in Entra.
//
// Every function's argument count is checked, and so are Switch's key/value
// pairs, Replace's parameter combination and literal regex patterns, and
// SelectUniqueValue's top-level rule. The error is a *SyntaxError.
func Parse(src string) (*Expression, error) {
	p := &parser{src: src}
	if len(src) > MaxLength {
		return nil, p.errAt(0, fmt.Sprintf("expression is %d bytes, over the %d-byte limit", len(src), MaxLength))
	}
	if !utf8.ValidString(src) {
		return nil, p.errAt(0, "expression is not valid UTF-8")
	}
	p.skipSpace()
	if p.pos == len(src) {
		return nil, p.errAt(0, "empty expression: write a function call such as Join(\" \", [givenName], [surname]), an [attribute] or a \"constant\"")
	}
	root, err := p.parseExpr(0)
	if err != nil {
		return nil, err
	}
	if _, ok := root.(*emptyNode); ok {
		return nil, p.errAt(p.pos, fmt.Sprintf("unexpected %q at the start of the expression", p.src[p.pos]))
	}
	p.skipSpace()
	if p.pos < len(src) {
		if src[p.pos] == ')' {
			return nil, p.errAt(p.pos, "unbalanced \")\": no \"(\" is open")
		}
		if hint := p.operatorHint(); hint != "" {
			return nil, p.errAt(p.pos, hint)
		}
		return nil, p.errAt(p.pos, fmt.Sprintf("unexpected %s after the end of the expression (separate arguments with \",\" inside a function call)", p.describe()))
	}
	attrs := sortedUnique(collectAttrs(root, nil))
	return &Expression{root: root, src: src, attrs: attrs}, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errAt(off int, msg string) *SyntaxError {
	line, col := 1, 1
	for _, r := range p.src[:min(off, len(p.src))] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{Offset: off, Line: line, Col: col, Msg: msg}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// describe names the token at p.pos for an error message.
func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of expression"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

// parseExpr parses one argument: a term, optionally compared with another.
// A left-out argument (next token "," or ")") is an emptyNode.
func (p *parser) parseExpr(depth int) (node, error) {
	p.skipSpace()
	if p.pos < len(p.src) && (p.src[p.pos] == ',' || p.src[p.pos] == ')') {
		return &emptyNode{}, nil
	}
	l, err := p.parseTerm(depth)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	op := p.peekOp()
	if op == "" {
		return l, nil
	}
	opAt := p.pos
	p.pos += len(op)
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] == ',' || p.src[p.pos] == ')' {
		return nil, p.errAt(opAt, fmt.Sprintf("comparison %q needs a value on its right", op))
	}
	r, err := p.parseTerm(depth)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if op2 := p.peekOp(); op2 != "" {
		return nil, p.errAt(p.pos, "only one comparison per argument: nest IIF calls for AND / OR, as Microsoft's IIF reference shows")
	}
	return &cmpNode{op: op, l: l, r: r}, nil
}

func (p *parser) peekOp() string {
	rest := p.src[p.pos:]
	for _, op := range []string{"<>", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			return op
		}
	}
	return ""
}

func (p *parser) parseTerm(depth int) (node, error) {
	if p.pos >= len(p.src) {
		return nil, p.errAt(p.pos, "unexpected end of expression")
	}
	c := p.src[p.pos]
	switch {
	case c == '[':
		return p.parseAttr()
	case c == '"':
		return p.parseString()
	case c == '&' || c == '-' || (c >= '0' && c <= '9'):
		return p.parseNumber()
	case isIdentStart(c):
		return p.parseIdent(depth)
	case c == ']':
		return nil, p.errAt(p.pos, "unbalanced \"]\": no \"[\" is open")
	case c == ')':
		return nil, p.errAt(p.pos, "unbalanced \")\": no \"(\" is open")
	case c == '\'':
		return nil, p.errAt(p.pos, "string constants use double quotes (\"…\"), not single quotes")
	}
	return nil, p.errAt(p.pos, fmt.Sprintf("unexpected %s: expected a function call, an [attribute], a \"string\" or a number", p.describe()))
}

func isIdentStart(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' }

func (p *parser) parseAttr() (node, error) {
	open := p.pos
	p.pos++
	start := p.pos
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ']':
			name := p.src[start:p.pos]
			if strings.TrimSpace(name) == "" {
				return nil, p.errAt(open, "empty attribute name \"[]\": write the source attribute's name, e.g. [userPrincipalName]")
			}
			if name != strings.TrimSpace(name) {
				return nil, p.errAt(open, fmt.Sprintf("attribute name %q has leading or trailing spaces", name))
			}
			p.pos++
			return &attrNode{name: name}, nil
		case c == '[':
			return nil, p.errAt(p.pos, "\"[\" inside an attribute name: close the first \"[\" with \"]\"")
		case c == '"':
			return nil, p.errAt(open, "unterminated attribute name: \"[\" is not closed with \"]\" before a double quote")
		case c < 0x20 || c == 0x7f:
			return nil, p.errAt(open, "unterminated attribute name: \"[\" has no \"]\" on the same line")
		}
		p.pos++
	}
	return nil, p.errAt(open, "unterminated attribute name: \"[\" has no closing \"]\"")
}

func (p *parser) parseString() (node, error) {
	open := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return &strNode{val: b.String()}, nil
		case '\\':
			// Entra escapes only \ and ": "\\" is one backslash, "\"" one
			// quote. Any other backslash stays literal, so a regex written
			// with single backslashes still means what its author meant.
			if p.pos+1 < len(p.src) && (p.src[p.pos+1] == '\\' || p.src[p.pos+1] == '"') {
				b.WriteByte(p.src[p.pos+1])
				p.pos += 2
				continue
			}
		}
		b.WriteByte(c)
		p.pos++
	}
	return nil, p.errAt(open, "unterminated string: the \" here has no closing \" (write \\\" for a quote inside a string)")
}

func (p *parser) parseNumber() (node, error) {
	start := p.pos
	if strings.HasPrefix(p.src[p.pos:], "&H") || strings.HasPrefix(p.src[p.pos:], "&h") {
		p.pos += 2
		ds := p.pos
		for p.pos < len(p.src) && isHex(p.src[p.pos]) {
			p.pos++
		}
		if p.pos == ds {
			return nil, p.errAt(start, "\"&H\" must be followed by hexadecimal digits, e.g. &HF7")
		}
		v, err := strconv.ParseUint(p.src[ds:p.pos], 16, 63)
		if err != nil {
			return nil, p.errAt(start, fmt.Sprintf("number %s is too large", p.src[start:p.pos]))
		}
		if p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
			return nil, p.errAt(start, fmt.Sprintf("invalid hexadecimal number %q", p.src[start:p.pos+1]))
		}
		return &numNode{val: int64(v), hex: true}, nil
	}
	if p.src[p.pos] == '&' {
		return nil, p.errAt(start, "unexpected \"&\": strings are concatenated with Join or Append, and hexadecimal numbers are written &HF7")
	}
	if p.src[p.pos] == '-' {
		p.pos++
	}
	ds := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == ds {
		return nil, p.errAt(start, "\"-\" must be followed by digits")
	}
	if p.pos < len(p.src) && (isIdentChar(p.src[p.pos]) || p.src[p.pos] == '.') {
		return nil, p.errAt(start, "numbers are whole numbers written in digits; put other values in double quotes")
	}
	v, err := strconv.ParseInt(p.src[start:p.pos], 10, 64)
	if err != nil {
		return nil, p.errAt(start, fmt.Sprintf("number %s is out of range", p.src[start:p.pos]))
	}
	return &numNode{val: v}, nil
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// enums are the bare VBA constants Microsoft's reference uses as arguments.
var enums = []string{"vbBinaryCompare", "vbTextCompare"}

func (p *parser) parseIdent(depth int) (node, error) {
	start := p.pos
	for p.pos < len(p.src) && isIdentChar(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	save := p.pos
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		return p.parseCall(name, start, depth)
	}
	p.pos = save
	switch name {
	case "True":
		return &boolNode{val: true}, nil
	case "False":
		return &boolNode{val: false}, nil
	}
	for _, e := range enums {
		if name == e {
			return &enumNode{name: name}, nil
		}
	}
	if fn := lookup(name); fn != nil {
		return nil, p.fnErr(start, fn.name, fmt.Sprintf("function %s needs parentheses: %s", fn.name, fn.signature()))
	}
	if s := suggest.Closest(name, []string{"True", "False"}); s != "" {
		e := p.errAt(start, fmt.Sprintf("unknown name %q", name))
		e.Suggestion = s
		return nil, e
	}
	return nil, p.errAt(start, fmt.Sprintf("unknown name %q: attributes go in square brackets ([%s]) and string constants in double quotes (\"%s\")", name, name, name))
}

// operatorHint explains operators people expect from VBA or Excel that
// Entra's language does not have.
func (p *parser) operatorHint() string {
	rest := p.src[p.pos:]
	word := rest
	if i := strings.IndexFunc(rest, func(r rune) bool { return r > 0x7f || !isIdentChar(byte(r)) }); i >= 0 {
		word = rest[:i]
	}
	switch {
	case strings.HasPrefix(rest, "&") || strings.HasPrefix(rest, "+"):
		return fmt.Sprintf("Entra has no %q operator: concatenate with Join(\"\", a, b) or Append(a, b)", rest[:1])
	case strings.EqualFold(word, "AND"), strings.EqualFold(word, "OR"):
		return fmt.Sprintf("Entra's expressions have no %s: nest IIF calls (AND along valueIfTrue, OR along valueIfFalse), as Microsoft's IIF reference shows", strings.ToUpper(word))
	}
	return ""
}

func (p *parser) fnErr(off int, fn, msg string) *SyntaxError {
	e := p.errAt(off, msg)
	e.Function = fn
	return e
}

func (p *parser) parseCall(name string, start, depth int) (node, error) {
	fn := lookup(name)
	if fn == nil {
		e := p.errAt(start, fmt.Sprintf("unknown function %q", name))
		e.Function = name
		// Entra's function names are case-sensitive, and the match is not:
		// "join" suggests "Join".
		e.Suggestion = suggest.Closest(name, functionNames())
		return nil, e
	}
	if depth >= MaxDepth {
		return nil, p.fnErr(start, fn.name, fmt.Sprintf("functions nested more than %d deep", MaxDepth))
	}
	open := p.pos
	p.pos++ // (
	call := &callNode{fn: fn, off: start}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
	} else {
		for {
			arg, err := p.parseExpr(depth + 1)
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, arg)
			p.skipSpace()
			if p.pos >= len(p.src) {
				return nil, p.fnErr(open, fn.name, fmt.Sprintf("unbalanced \"(\": %s( is never closed with \")\"", fn.name))
			}
			if p.src[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.src[p.pos] == ')' {
				p.pos++
				break
			}
			if hint := p.operatorHint(); hint != "" {
				return nil, p.fnErr(p.pos, fn.name, hint)
			}
			return nil, p.fnErr(p.pos, fn.name, fmt.Sprintf("unexpected %s in the arguments of %s: expected \",\" or \")\"", p.describe(), fn.name))
		}
	}
	if err := fn.checkArity(len(call.args)); err != "" {
		return nil, p.fnErr(start, fn.name, err)
	}
	if err := fn.checkNumeric(call); err != "" {
		return nil, p.fnErr(start, fn.name, err)
	}
	if fn.check != nil {
		if err := fn.check(call, depth); err != "" {
			return nil, p.fnErr(start, fn.name, err)
		}
	}
	return call, nil
}
