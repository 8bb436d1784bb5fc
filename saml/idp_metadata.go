package saml

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"time"

	crewsaml "github.com/crewjam/saml"
)

// IdPMetadataConfig describes the IdP for its metadata document.
type IdPMetadataConfig struct {
	EntityID string
	// SSOURL serves AuthnRequests with both the HTTP-Redirect and the
	// HTTP-POST binding; SLOURL serves LogoutRequests ("" = none).
	SSOURL, SLOURL string
	// Certificate is the signing certificate.
	Certificate *x509.Certificate
	// NameIDFormats advertised; nil means SupportedNameIDFormats.
	NameIDFormats []string
	// WantAuthnRequestsSigned is set only when every app requires signed
	// requests: metadata speaks for the whole IdP.
	WantAuthnRequestsSigned bool
	// ValidUntil, when not zero, bounds how long SPs may cache the document.
	ValidUntil time.Time
}

// IdPMetadata returns the IdP's SAML metadata (an md:EntityDescriptor with
// one IDPSSODescriptor) as indented XML with an XML declaration.
func IdPMetadata(c IdPMetadataConfig) ([]byte, error) {
	var errs []error
	if c.EntityID == "" {
		errs = append(errs, errors.New("saml: metadata: no entity ID"))
	}
	if c.SSOURL == "" {
		errs = append(errs, errors.New("saml: metadata: no SSO URL"))
	}
	if c.Certificate == nil {
		errs = append(errs, errors.New("saml: metadata: no signing certificate"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	formats := c.NameIDFormats
	if formats == nil {
		formats = SupportedNameIDFormats
	}
	idp := crewsaml.IDPSSODescriptor{
		SSODescriptor: crewsaml.SSODescriptor{
			RoleDescriptor: crewsaml.RoleDescriptor{
				ProtocolSupportEnumeration: "urn:oasis:names:tc:SAML:2.0:protocol",
				KeyDescriptors: []crewsaml.KeyDescriptor{{
					Use: "signing",
					KeyInfo: crewsaml.KeyInfo{X509Data: crewsaml.X509Data{X509Certificates: []crewsaml.X509Certificate{
						{Data: base64.StdEncoding.EncodeToString(c.Certificate.Raw)},
					}}},
				}},
			},
		},
		SingleSignOnServices: []crewsaml.Endpoint{
			{Binding: crewsaml.HTTPRedirectBinding, Location: c.SSOURL},
			{Binding: crewsaml.HTTPPostBinding, Location: c.SSOURL},
		},
	}
	if c.WantAuthnRequestsSigned {
		t := true
		idp.WantAuthnRequestsSigned = &t
	}
	if c.SLOURL != "" {
		idp.SingleLogoutServices = []crewsaml.Endpoint{
			{Binding: crewsaml.HTTPRedirectBinding, Location: c.SLOURL},
			{Binding: crewsaml.HTTPPostBinding, Location: c.SLOURL},
		}
	}
	for _, f := range formats {
		idp.NameIDFormats = append(idp.NameIDFormats, crewsaml.NameIDFormat(f))
	}
	ed := crewsaml.EntityDescriptor{
		EntityID:          c.EntityID,
		IDPSSODescriptors: []crewsaml.IDPSSODescriptor{idp},
	}
	if !c.ValidUntil.IsZero() {
		ed.ValidUntil = c.ValidUntil.UTC()
	}
	b, err := xml.MarshalIndent(ed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("saml: metadata: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
