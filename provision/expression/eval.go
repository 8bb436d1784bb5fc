package expression

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Input gives an expression its source attributes (Entra's [attributeName]).
// ok=false means the attribute is absent, which Entra calls null; a present
// attribute with no values is null too.
type Input interface {
	Attribute(name string) ([]string, bool)
}

// Uniqueness is implemented by an Input that can check a candidate value
// against the target directory, as SelectUniqueValue needs. Without it,
// SelectUniqueValue returns its first non-null candidate.
type Uniqueness interface {
	Unique(candidate string) (bool, error)
}

// Bounds on one evaluation.
const (
	// MaxValueBytes bounds every intermediate value, so nested Replace or
	// Join calls cannot grow a value exponentially.
	MaxValueBytes = 1 << 20
	// RegexMatchTimeout bounds one regex match (regexes backtrack, as .NET's do).
	RegexMatchTimeout = 100 * time.Millisecond
	// RegexEvalBudget bounds the time all regexes of one evaluation may take.
	RegexEvalBudget = time.Second
)

// Options adjusts evaluation. The zero value behaves like Entra.
type Options struct {
	// Now is the clock of Now(); nil means time.Now. Tests inject a fixed one.
	Now func() time.Time
	// Rand is the source of Guid() and RandomString(); nil means crypto/rand.
	Rand io.Reader
	// LenientIIF evaluates an IIF whose condition reads a null or empty
	// attribute, treating null as "". By default that IIF fails, as
	// Microsoft's reference says ("If the source attribute used within the
	// IIF function is empty or null, the condition check fails"), with an
	// error that suggests the Switch workaround.
	LenientIIF bool
}

// Eval evaluates the expression against one object's attributes, as Entra's
// provisioning service does for one attribute mapping. The error is an
// *EvalError; a null Value means the target attribute gets no value.
func (e *Expression) Eval(in Input) (Value, error) { return e.EvalWith(in, Options{}) }

// EvalWith is Eval with options.
func (e *Expression) EvalWith(in Input, opt Options) (Value, error) {
	ev := &evaluator{in: in, opt: opt}
	if u, ok := in.(Uniqueness); ok {
		ev.uniq = u
	}
	v, err := ev.eval(e.root)
	if err != nil {
		return Value{}, err
	}
	return v, nil
}

type evaluator struct {
	in         Input
	uniq       Uniqueness
	opt        Options
	regexSpent time.Duration
}

func (ev *evaluator) attr(name string) Value {
	if ev.in == nil {
		return Value{}
	}
	vals, ok := ev.in.Attribute(name)
	if !ok {
		return Value{}
	}
	return MultiValue(vals)
}

func (ev *evaluator) eval(n node) (Value, error) {
	switch n := n.(type) {
	case *attrNode:
		return ev.attr(n.name), nil
	case *strNode:
		return StringValue(n.val), nil
	case *numNode:
		return StringValue(strconv.FormatInt(n.val, 10)), nil
	case *boolNode:
		return BoolValue(n.val), nil
	case *enumNode:
		return StringValue(n.name), nil
	case *emptyNode:
		return Value{}, nil
	case *cmpNode:
		return ev.compare(n)
	case *callNode:
		v, err := n.fn.eval(ev, n)
		if err != nil {
			return Value{}, err
		}
		if v.size() > MaxValueBytes {
			return Value{}, &EvalError{Function: n.fn.name, Msg: fmt.Sprintf("result is %d bytes, over the %d-byte limit", v.size(), MaxValueBytes)}
		}
		return v, nil
	}
	panic(fmt.Sprintf("expression: unknown node %T", n))
}

// arg evaluates argument i of c; a left-out or missing argument is null.
func (ev *evaluator) arg(c *callNode, i int) (Value, error) {
	if i >= len(c.args) {
		return Value{}, nil
	}
	return ev.eval(c.args[i])
}

// given reports whether argument i of c was written (not left out).
func given(c *callNode, i int) bool {
	if i >= len(c.args) {
		return false
	}
	_, empty := c.args[i].(*emptyNode)
	return !empty
}

// str evaluates argument i as one string; null is ok=false. A multi-valued
// argument is an error naming the parameter.
func (ev *evaluator) str(c *callNode, i int) (string, bool, error) {
	v, err := ev.arg(c, i)
	if err != nil {
		return "", false, err
	}
	s, ok, multi := v.single()
	if multi {
		return "", false, c.errf("%s has %d values; it takes one", c.fn.param(i), len(v.vals))
	}
	return s, ok, nil
}

// int evaluates argument i as a whole number.
func (ev *evaluator) int(c *callNode, i int) (int, error) {
	s, ok, err := ev.str(c, i)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, c.errf("%s is null; it must be a number", c.fn.param(i))
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, c.errf("%s is %q; it must be a whole number", c.fn.param(i), s)
	}
	return n, nil
}

func (c *callNode) errf(format string, a ...any) *EvalError {
	return &EvalError{Function: c.fn.name, Msg: fmt.Sprintf(format, a...)}
}

// compare evaluates a = b and the other comparisons: numerically when both
// sides are whole numbers, otherwise as case-sensitive (ordinal) strings.
func (ev *evaluator) compare(n *cmpNode) (Value, error) {
	l, err := ev.eval(n.l)
	if err != nil {
		return Value{}, err
	}
	r, err := ev.eval(n.r)
	if err != nil {
		return Value{}, err
	}
	ls, _, lm := l.single()
	rs, _, rm := r.single()
	if lm || rm {
		return Value{}, &EvalError{Msg: fmt.Sprintf("comparison %q: a multi-valued operand cannot be compared", n.op)}
	}
	c := strings.Compare(ls, rs)
	if li, err1 := strconv.ParseInt(strings.TrimSpace(ls), 10, 64); err1 == nil {
		if ri, err2 := strconv.ParseInt(strings.TrimSpace(rs), 10, 64); err2 == nil {
			c = 0
			if li < ri {
				c = -1
			} else if li > ri {
				c = 1
			}
		}
	}
	var b bool
	switch n.op {
	case "=":
		b = c == 0
	case "<>":
		b = c != 0
	case "<":
		b = c < 0
	case "<=":
		b = c <= 0
	case ">":
		b = c > 0
	case ">=":
		b = c >= 0
	}
	return BoolValue(b), nil
}
