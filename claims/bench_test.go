package claims

import "testing"

// awsSTSPolicy is equivalent to the demo tenant's "aws" app.
func awsSTSPolicy() Policy {
	return Policy{
		NameID: NameIDRule{Format: "persistent", Source: "user.userprincipalname"},
		Claims: []Rule{
			{Name: "Role", Namespace: awsNS, Source: "user.assignedroles"},
			{Name: "RoleSessionName", Namespace: awsNS, Transformations: []Transformation{{Function: "ExtractMailPrefix", Input: "user.userprincipalname"}}},
			{Name: "SessionDuration", Namespace: awsNS, Value: "3600"},
			{Name: "PrincipalTag:Department", Namespace: awsNS, Source: "user.department",
				Conditions: []Condition{{UserType: "all_guests", Value: "Guests"}}},
			{Name: "PrincipalTag:CostCenter", Namespace: awsNS, Source: "user.costcenter"},
			{Name: "TransitiveTagKeys", Namespace: awsNS, Value: "Department"},
		},
	}
}

func BenchmarkEvaluate(b *testing.B) {
	d := testDir(b)
	e := mustCompile(b, awsSTSPolicy())
	u := mustUser(b, d, "alice")
	if r := mustEval(b, e, d, "alice", EvalOptions{}); len(r.Attributes) != 6 {
		b.Fatalf("attributes %q", r.names())
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Evaluate(d, u, EvalOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateExplain(b *testing.B) {
	d := testDir(b)
	e := mustCompile(b, awsSTSPolicy())
	u := mustUser(b, d, "alice")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Evaluate(d, u, EvalOptions{Explain: true}); err != nil {
			b.Fatal(err)
		}
	}
}
