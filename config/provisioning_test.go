package config

import (
	"bytes"
	"strings"
	"testing"

	"github.com/samlab/samlab/provision"
)

const provisioningFile = `[idp]
base_url = "http://127.0.0.1:8080"

[[apps]]
name = "idc"
entity_id = "https://sp.example.com"
acs_urls = ["https://sp.example.com/acs"]

[apps.provisioning]
scope = "everyone"
interval = "soon"
patch_dialect = "2017"
deletion_threshold = -5
colour = "blue"

[[apps.provisioning.mappings]]
source = "userPrincipalName"
target = "userName"
matching = true

[[apps.provisioning.mappings]]
type = "expression"
expression = 'Jion(" ", [givenName], [surname])'
target = "displayName"

[[apps.provisioning.mappings]]
source = "mail"
target = 'emails[type eq work].value'
sorce = "x"

[[apps.provisioning.scoping_filters]]
title = "engineers"

[[apps.provisioning.scoping_filters.clauses]]
attribute = "department"
operator = "LIKE"
value = "Eng"
`

func TestProvisioningProblemsAtTheirLines(t *testing.T) {
	_, err := Parse("t.toml", []byte(provisioningFile))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`t.toml:10: apps[idc]: provisioning: scope: unknown scope "everyone"`,
		`t.toml:11: apps[idc]: provisioning: interval: "soon" is not a duration`,
		`t.toml:12: apps[idc]: provisioning: patch_dialect: unknown PATCH dialect "2017"`,
		`t.toml:13: apps[idc]: provisioning: deletion_threshold: -5`,
		`t.toml:14: apps[idc]: provisioning: unknown key "colour"`,
		`t.toml:21: apps[idc]: provisioning: mappings[1]: expression: line 1 col 1: unknown function "Jion" (did you mean "Join"?)`,
		`t.toml:26: apps[idc]: provisioning: mappings[2]: target: target path "emails[type eq work].value"`,
		`t.toml:29: apps[idc]: provisioning: mappings[2]: unknown key "sorce" (did you mean "source"?)`,
		`t.toml:34: apps[idc]: provisioning: scoping_filters[0]: clauses[0]: operator "LIKE": use one of`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack\n  %s\nin\n%v", want, err)
		}
	}
}

// The demo's IdC app provisions with the gallery defaults, which config
// check prints, to samlab's own SCIM server.
func TestDemoProvisioningDefaults(t *testing.T) {
	c := Demo()
	a := c.App("aws-identity-center")
	if a.Provisioning == nil {
		t.Fatal("no [apps.provisioning] in the demo")
	}
	pv := a.Provisioning
	if pv.Target != "http://127.0.0.1:8080/scim/v2" || pv.Scope != provision.ScopeAll || pv.Interval != "40m" || pv.DeletionThreshold != provision.DefaultDeletionThreshold {
		t.Fatalf("%+v", pv)
	}
	want := len(provision.DefaultUserMappings()) + len(provision.DefaultGroupMappings())
	if len(pv.Mappings) != want {
		t.Fatalf("%d mappings, want the %d defaults", len(pv.Mappings), want)
	}
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"[apps.provisioning]", `expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")"`, `target = "phoneNumbers[type eq \"mobile\"].value"`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("config check output lacks %s", s)
		}
	}
	// What config check prints loads again, the same.
	c2, err := Parse("printed.toml", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c2.App("aws-identity-center").Provisioning.Mappings); got != want {
		t.Fatalf("printed file has %d mappings", got)
	}
}
