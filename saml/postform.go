package saml

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/url"
)

// PostFields are the form fields of an HTTP-POST binding message. Exactly
// one of SAMLResponse and SAMLRequest is set, already base64-encoded.
type PostFields struct {
	SAMLResponse string
	SAMLRequest  string
	// RelayState is echoed byte for byte when not empty.
	RelayState string
	// ScriptNonce, when set, is put on the auto-submit script for a
	// Content-Security-Policy "script-src 'nonce-...'". Pages served with a
	// fixed policy can allow the script by hash instead: PostFormScriptHash.
	ScriptNonce string
}

// postFormScript is the whole inline script; PostFormScriptHash is its
// CSP hash and a test keeps the two in step.
const postFormScript = `document.forms[0].submit();`

// PostFormScriptHash is the Content-Security-Policy source that allows the
// post form's inline script: use "script-src " + PostFormScriptHash.
const PostFormScriptHash = "'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='"

// postFormTemplate is parsed once; html/template escapes every field for
// its context (the action URL is also checked for a safe scheme).
var postFormTemplate = template.Must(template.New("postform").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Signing in…</title>
</head>
<body>
<form method="post" action="{{.Action}}">
{{- if .Fields.SAMLResponse}}
<input type="hidden" name="SAMLResponse" value="{{.Fields.SAMLResponse}}">
{{- end}}
{{- if .Fields.SAMLRequest}}
<input type="hidden" name="SAMLRequest" value="{{.Fields.SAMLRequest}}">
{{- end}}
{{- if .Fields.RelayState}}
<input type="hidden" name="RelayState" value="{{.Fields.RelayState}}">
{{- end}}
<noscript><p>JavaScript is off: press Continue to send the SAML message.</p></noscript>
<button type="submit">Continue</button>
</form>
<script{{if .Fields.ScriptNonce}} nonce="{{.Fields.ScriptNonce}}"{{end}}>{{.Script}}</script>
</body>
</html>
`))

// WritePostForm writes a self-posting HTML page that sends fields to action
// (the ACS URL for a response): a small inline script submits it at once,
// and a visible Continue button does it without JavaScript. action must be
// an absolute http or https URL.
func WritePostForm(w io.Writer, action string, fields PostFields) error {
	u, err := url.Parse(action)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("saml: post form: action %q is not an absolute http(s) URL", action)
	}
	if (fields.SAMLResponse == "") == (fields.SAMLRequest == "") {
		return errors.New("saml: post form: set exactly one of SAMLResponse and SAMLRequest")
	}
	data := struct {
		Action string
		Fields PostFields
		Script template.JS
	}{action, fields, template.JS(postFormScript)}
	if err := postFormTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("saml: post form: %w", err)
	}
	return nil
}
