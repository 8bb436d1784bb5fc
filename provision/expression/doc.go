// Package expression parses and evaluates the expression language of
// Microsoft Entra ID's attribute mappings, the "Expression" mapping type of
// app provisioning, as Microsoft's "Reference for writing expressions for
// attribute mappings in Microsoft Entra ID" describes it.
//
// An expression is a function call, an attribute reference or a constant:
//
//	Join(" ", [givenName], [surname])
//	Switch([IsSoftDeleted], , "False", "True", "True", "False")
//	Replace([mail], "@contoso.com", , , "", , )
//
// Parse checks everything Entra checks when a mapping is saved — function
// names (case-sensitive, with a did-you-mean suggestion), argument counts,
// balanced brackets and quotes — and a few things it checks late or not at
// all (Replace's parameter combination, literal regex patterns), and returns
// a *SyntaxError with line and column. Input size and nesting depth are
// bounded (MaxLength, MaxDepth).
//
// Eval runs an expression against one object's attributes (an Input) and
// returns a Value: null, one string or several. Null follows Entra: an absent
// attribute is null; Join skips null and empty values; Coalesce returns the
// first non-null argument; IsPresent and IsNullOrEmpty treat "" as empty
// while IsNull does not; an IIF whose condition reads a null or empty
// attribute fails (Options.LenientIIF relaxes this). Booleans are the strings
// "True" and "False". Regexes use .NET semantics (github.com/dlclark/regexp2),
// each match bounded by RegexMatchTimeout and an evaluation by
// RegexEvalBudget; every intermediate value is bounded by MaxValueBytes.
//
// SelectUniqueValue asks the Input, when it implements Uniqueness, whether a
// candidate is free in the target. Now, Guid and RandomString take their
// clock and randomness from Options, so tests are deterministic.
//
// docs/expressions.md lists every function with its arity, null behaviour
// and an example, and what is not supported.
package expression
