package expression

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// badExpressions are mistakes people make writing Entra expressions; the
// golden file shows the message each one gets, so a change in wording is
// reviewed.
var badExpressions = []string{
	`Joinn(" ", [givenName], [surname])`,
	`join(" ", [givenName], [surname])`,
	`IIf([country]="USA", "US", "Other")`,
	`Trim([displayName])`,
	`Left([displayName])`,
	`Mid([displayName], 1)`,
	`Switch([state], "Australia/Sydney", "NSW")`,
	`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney", "QLD")`,
	`Replace([mail], "@contoso.com", "")`,
	`Replace([mail], , "(?<user>[^@]+", "user", "x", , )`,
	`Replace([mail], , "(?<user>[^@]+)@", "name", "x", , )`,
	`Append([userPrincipalName], ".test"`,
	`Append([userPrincipalName], ".test"))`,
	`Append([userPrincipalName, ".test")`,
	`Append([userPrincipalName], ".test)`,
	`Append([userPrincipalName], '.test')`,
	`Append(userPrincipalName, ".test")`,
	`Append([userPrincipalName] ".test")`,
	`Join(" ", [givenName], [surname]) & "x"`,
	`IIF([country]="USA" AND [state]="CA", "True", "False")`,
	`ToLower(SelectUniqueValue([a], [b]))`,
	`SelectUniqueValue([a])`,
	`CBool(Ture)`,
	`DateAdd("days", 7, Now())`,
	`FormatDateTime([d], , "yyyy-MM-dd'", "yyyy")`,
	`Guid`,
	``,
	`[]`,
	"Join(\" \",\n  [givenName],\n  Lef([surname], 1))",
}

func TestSyntaxErrorsGolden(t *testing.T) {
	var b strings.Builder
	for _, src := range badExpressions {
		_, err := Parse(src)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", src)
			continue
		}
		b.WriteString(src)
		b.WriteString("\n→ ")
		b.WriteString(err.Error())
		b.WriteString("\n\n")
	}
	const path = "testdata/syntax-errors.golden"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("messages differ from %s (go test -update rewrites it):\n%s", path, b.String())
	}
}
