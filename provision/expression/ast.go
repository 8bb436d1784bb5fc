package expression

import (
	"sort"
	"strconv"
	"strings"
)

// Expression is a parsed attribute-mapping expression. It is immutable and
// safe for concurrent use by several goroutines.
type Expression struct {
	root  node
	src   string
	attrs []string
}

// node is one element of the syntax tree.
type node interface {
	write(b *strings.Builder)
}

// callNode is FunctionName(arg, …).
type callNode struct {
	fn   *function
	args []node
	off  int // offset of the function name in the source
	// re is the compiled regexPattern of Replace when it is a literal, so a
	// bad pattern is a syntax error and evaluation does not recompile it.
	re *compiledRegex
	// form is the Replace form the written parameters select.
	form replaceForm
	// condAttrs are the attributes IIF's condition reads (see Options.LenientIIF).
	condAttrs []string
}

// attrNode is [attributeName].
type attrNode struct{ name string }

// strNode is a "string constant".
type strNode struct{ val string }

// numNode is a number: 7, -10 or the VBA hexadecimal form &HF7.
type numNode struct {
	val int64
	hex bool
}

// boolNode is True or False; its value is the string "True" or "False".
type boolNode struct{ val bool }

// enumNode is a bare VBA constant such as vbBinaryCompare (InStr).
type enumNode struct{ name string }

// emptyNode is an argument left out, as in Replace([mail], "x", , , "", , ).
type emptyNode struct{}

// cmpNode is a comparison a = b, a <> b, a > b, a >= b, a < b, a <= b, as
// Microsoft documents for IIF's condition.
type cmpNode struct {
	op   string
	l, r node
}

func (n *callNode) write(b *strings.Builder) {
	b.WriteString(n.fn.name)
	b.WriteByte('(')
	for i, a := range n.args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b)
	}
	b.WriteByte(')')
}

func (n *attrNode) write(b *strings.Builder) {
	b.WriteByte('[')
	b.WriteString(n.name)
	b.WriteByte(']')
}

func (n *strNode) write(b *strings.Builder) { b.WriteString(quote(n.val)) }

func (n *numNode) write(b *strings.Builder) {
	if n.hex {
		b.WriteString("&H")
		b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(n.val), 16)))
		return
	}
	b.WriteString(strconv.FormatInt(n.val, 10))
}

func (n *boolNode) write(b *strings.Builder) { b.WriteString(boolString(n.val)) }

func (n *enumNode) write(b *strings.Builder) { b.WriteString(n.name) }

func (n *emptyNode) write(*strings.Builder) {}

func (n *cmpNode) write(b *strings.Builder) {
	n.l.write(b)
	b.WriteByte(' ')
	b.WriteString(n.op)
	b.WriteByte(' ')
	n.r.write(b)
}

// quote writes s as an Entra string constant: backslash and double quote are
// escaped with a backslash, everything else is literal.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func boolString(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// String returns the canonical form of the expression: arguments separated
// by ", ", comparisons spaced, strings re-escaped. Parsing it again yields the
// same String.
func (e *Expression) String() string {
	var b strings.Builder
	e.root.write(&b)
	return b.String()
}

// Source returns the text the expression was parsed from.
func (e *Expression) Source() string { return e.src }

// Attributes returns the source attributes the expression references,
// sorted and without duplicates.
func (e *Expression) Attributes() []string { return append([]string(nil), e.attrs...) }

// collectAttrs appends every attribute name under n to dst.
func collectAttrs(n node, dst []string) []string {
	switch n := n.(type) {
	case *attrNode:
		dst = append(dst, n.name)
	case *callNode:
		for _, a := range n.args {
			dst = collectAttrs(a, dst)
		}
	case *cmpNode:
		dst = collectAttrs(n.l, dst)
		dst = collectAttrs(n.r, dst)
	}
	return dst
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
