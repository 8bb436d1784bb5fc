package claims

import (
	"sync"
	"testing"
	"time"
)

// TestEvaluateConcurrent runs one engine from many goroutines (run with
// -race): a Directory and an Engine are shared read-only.
func TestEvaluateConcurrent(t *testing.T) {
	d := testDir(t)
	p := awsSTSPolicy()
	p.Claims = append(p.Claims, Rule{Name: "rx", Transformations: []Transformation{{Function: "RegexReplace", Input: "user.mail", Regex: `(?<u>[^@]+)@`, Replacement: "{u}#"}}})
	p.GroupClaim = &GroupClaim{Format: "samaccountname", Regex: `(?<g>.+)`, Replacement: "g-{g}"}
	// A generous regex timeout: this test is about races, and a loaded
	// machine under -race can stall a goroutine for longer than 100 ms.
	e, err := Compile(App{Name: "aws", ID: "app-aws"}, p, CompileOptions{Extensions: testExtensions, RegexTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := mustEval(t, e, d, "alice", EvalOptions{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				got, err := e.Evaluate(d, mustUser(t, d, "alice"), EvalOptions{Explain: j%2 == 0})
				if err != nil {
					t.Error(err)
					return
				}
				for k, a := range got.Attributes {
					if !eq(a.Values, want.Attributes[k].Values) {
						t.Errorf("%s: %q != %q (omitted %+v)", a.Name, a.Values, want.Attributes[k].Values, got.Omitted)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
