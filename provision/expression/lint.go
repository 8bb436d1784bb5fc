package expression

import "fmt"

// Warnings returns what Microsoft's reference advises against in this
// expression although Entra accepts it, each with its line and column, for
// a configuration check to print:
//
//   - an IIF condition that tests for null or empty (IsNull, IsNullOrEmpty,
//     IsPresent, or a comparison with ""), which Microsoft lists as
//     unsupported: the condition check fails when the attribute is null;
//   - IsPresent, IsNull or IsNullOrEmpty as Switch's source (Microsoft's
//     caution: use a literal "" key instead);
//   - SelectUniqueValue, which Microsoft supports only for Workday,
//     SuccessFactors and API-driven provisioning to Active Directory;
//   - SingleAppRoleAssignment, AppRoleAssignmentsComplex or
//     AssertiveAppRoleAssignmentsComplex on anything but [appRoleAssignments].
func (e *Expression) Warnings() []string {
	var out []string
	p := &parser{src: e.src}
	warn := func(c *callNode, format string, a ...any) {
		se := p.errAt(c.off, "")
		out = append(out, fmt.Sprintf("line %d col %d: %s: %s", se.Line, se.Col, c.fn.name, fmt.Sprintf(format, a...)))
	}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *cmpNode:
			walk(n.l)
			walk(n.r)
		case *callNode:
			switch n.fn.name {
			case "IIF":
				if testsEmpty(n.args[0]) {
					warn(n, "the condition tests for null or empty, which Microsoft lists as unsupported (the condition check fails when the attribute is null or empty); use Switch([attr], [attr], \"\", \"Other\")")
				}
			case "Switch":
				if c, ok := n.args[0].(*callNode); ok && isEmptyTest(c.fn.name) {
					warn(n, "do not use %s as the source; Microsoft recommends a literal \"\" key, e.g. Switch([attr], \"Default\", \"\", \"empty\")", c.fn.name)
				}
			case "SelectUniqueValue":
				warn(n, "Microsoft supports it only for Workday, SuccessFactors and API-driven provisioning to Active Directory, with \"Apply this mapping\" set to only during object creation")
			case "SingleAppRoleAssignment", "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex":
				if a, ok := n.args[0].(*attrNode); !ok || a.name != "appRoleAssignments" {
					warn(n, "its argument is the [appRoleAssignments] object")
				}
			}
			for _, a := range n.args {
				walk(a)
			}
		}
	}
	walk(e.root)
	return out
}

func isEmptyTest(name string) bool {
	return name == "IsNull" || name == "IsNullOrEmpty" || name == "IsPresent"
}

// testsEmpty reports whether an IIF condition tests for null or empty.
func testsEmpty(n node) bool {
	switch n := n.(type) {
	case *callNode:
		if isEmptyTest(n.fn.name) {
			return true
		}
		if n.fn.name == "Not" || n.fn.name == "CBool" {
			return testsEmpty(n.args[0])
		}
	case *cmpNode:
		for _, side := range []node{n.l, n.r} {
			if s, ok := side.(*strNode); ok && s.val == "" {
				return true
			}
		}
	}
	return false
}
