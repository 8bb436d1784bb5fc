package scim

// The discovery documents (RFC 7643 §5–7) as IdC describes itself: PATCH
// yes; bulk, sort, etag, changePassword no; filter with at most 100 results.

func serviceProviderConfig() map[string]any {
	return map[string]any{
		"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/developerguide/what-is-scim.html",
		"authenticationSchemes": []map[string]any{{
			"type":             "oauthbearertoken",
			"name":             "OAuth Bearer Token",
			"description":      "Authentication scheme using the OAuth Bearer Token Standard",
			"specUri":          "https://www.rfc-editor.org/info/rfc6750",
			"documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/userguide/provision-automatically.html",
			"primary":          true,
		}},
		"patch":          map[string]any{"supported": true},
		"bulk":           map[string]any{"supported": false, "maxOperations": 1, "maxPayloadSize": 1048576},
		"filter":         map[string]any{"supported": true, "maxResults": 100},
		"changePassword": map[string]any{"supported": false},
		"sort":           map[string]any{"supported": false},
		"etag":           map[string]any{"supported": false},
		"meta":           map[string]any{"resourceType": "ServiceProviderConfig", "location": "/ServiceProviderConfig"},
	}
}

func attr(name, typ string, extra ...any) map[string]any {
	a := map[string]any{
		"name": name, "type": typ, "multiValued": false, "required": false,
		"caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none",
	}
	if typ == "complex" {
		delete(a, "caseExact")
	}
	for i := 0; i+1 < len(extra); i += 2 {
		a[extra[i].(string)] = extra[i+1]
	}
	return a
}

func strs(names ...string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = attr(n, "string")
	}
	return out
}

func multiAttr(name string, subs ...any) map[string]any {
	return attr(name, "complex", "multiValued", true, "subAttributes", subs)
}

func schemas() []map[string]any {
	required := func(a map[string]any) map[string]any { a["required"] = true; return a }
	userName := required(attr("userName", "string", "uniqueness", "server"))
	name := attr("name", "complex", "subAttributes", []any{
		attr("formatted", "string"), required(attr("familyName", "string")), required(attr("givenName", "string")),
		attr("middleName", "string"), attr("honorificPrefix", "string"), attr("honorificSuffix", "string"),
	})
	name["required"] = true
	valueTypePrimary := func() []any {
		return []any{attr("value", "string"), attr("type", "string"), attr("primary", "boolean")}
	}
	user := map[string]any{
		"id": UserSchema, "name": "User", "description": "User Account",
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"},
		"meta":    map[string]any{"resourceType": "Schema", "location": "/Schemas/" + UserSchema},
		"attributes": append([]any{
			userName, name, required(attr("displayName", "string")),
		}, append(strs("nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone", "externalId"),
			attr("active", "boolean"),
			multiAttr("emails", valueTypePrimary()...),
			multiAttr("phoneNumbers", valueTypePrimary()...),
			multiAttr("roles", valueTypePrimary()...),
			multiAttr("addresses", append(strs("formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"), attr("primary", "boolean"))...),
		)...),
	}
	group := map[string]any{
		"id": GroupSchema, "name": "Group", "description": "Group",
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"},
		"meta":    map[string]any{"resourceType": "Schema", "location": "/Schemas/" + GroupSchema},
		"attributes": []any{
			required(attr("displayName", "string")),
			attr("externalId", "string"),
			multiAttr("members", attr("value", "string", "mutability", "immutable")),
		},
	}
	ent := map[string]any{
		"id": EnterpriseSchema, "name": "EnterpriseUser", "description": "Enterprise User",
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"},
		"meta":    map[string]any{"resourceType": "Schema", "location": "/Schemas/" + EnterpriseSchema},
		"attributes": append(strs("employeeNumber", "costCenter", "organization", "division", "department"),
			attr("manager", "complex", "subAttributes", []any{attr("value", "string")})),
	}
	return []map[string]any{user, group, ent}
}

func resourceTypes() []map[string]any {
	rt := []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}
	return []map[string]any{
		{"schemas": rt, "id": "User", "name": "User", "endpoint": "/Users", "description": "User Account",
			"schema": UserSchema, "schemaExtensions": []map[string]any{{"schema": EnterpriseSchema, "required": false}},
			"meta": map[string]any{"resourceType": "ResourceType", "location": "/ResourceTypes/User"}},
		{"schemas": rt, "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "Group",
			"schema": GroupSchema, "schemaExtensions": []map[string]any{},
			"meta": map[string]any{"resourceType": "ResourceType", "location": "/ResourceTypes/Group"}},
	}
}
