package saml

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	crewsaml "github.com/crewjam/saml"
)

// CertificatesFromMetadata reads IdP metadata (an EntityDescriptor, or an
// EntitiesDescriptor holding exactly one entity with an IDPSSODescriptor)
// and returns the IdP's entityID and its signing certificates: those of the
// KeyDescriptors with use="signing" or no use, in document order, without
// duplicates. They are meant as ReadOptions.Certificates.
//
// The metadata is parsed with ParseSafe first. A signature on the metadata
// itself is not checked: the caller vouches for the file. Errors wrap
// ErrMalformed or ErrUnsafeXML.
func CertificatesFromMetadata(data []byte) (entityID string, certs []*x509.Certificate, err error) {
	limits := Limits{MaxBytes: 4 << 20, Roots: []xml.Name{
		{Space: readNSMetadata, Local: "EntityDescriptor"},
		{Space: readNSMetadata, Local: "EntitiesDescriptor"},
	}}
	doc, err := ParseSafe(data, limits)
	if err != nil {
		return "", nil, fmt.Errorf("saml: metadata: %w", err)
	}
	var entities []crewsaml.EntityDescriptor
	if doc.Root().Tag == "EntityDescriptor" {
		var ed crewsaml.EntityDescriptor
		if err := xml.Unmarshal(data, &ed); err != nil {
			return "", nil, fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
		}
		entities = append(entities, ed)
	} else {
		var eds crewsaml.EntitiesDescriptor
		if err := xml.Unmarshal(data, &eds); err != nil {
			return "", nil, fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
		}
		entities = metadataFlatten(eds)
	}

	var idps []*crewsaml.EntityDescriptor
	for i := range entities {
		if len(entities[i].IDPSSODescriptors) > 0 {
			idps = append(idps, &entities[i])
		}
	}
	switch {
	case len(idps) == 0:
		return "", nil, fmt.Errorf("%w: metadata has no IDPSSODescriptor", ErrMalformed)
	case len(idps) > 1:
		ids := make([]string, len(idps))
		for i, e := range idps {
			ids[i] = fmt.Sprintf("%q", e.EntityID)
		}
		return "", nil, fmt.Errorf("%w: metadata describes %d identity providers (%s); give the metadata of one", ErrMalformed, len(idps), strings.Join(ids, ", "))
	case len(idps[0].IDPSSODescriptors) > 1:
		return "", nil, fmt.Errorf("%w: entity %q has %d IDPSSODescriptors; want one", ErrMalformed, idps[0].EntityID, len(idps[0].IDPSSODescriptors))
	}
	idp := idps[0]
	var errs []error
	for i, kd := range idp.IDPSSODescriptors[0].KeyDescriptors {
		if kd.Use != "" && kd.Use != "signing" {
			continue
		}
		for j, xc := range kd.KeyInfo.X509Data.X509Certificates {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Data), ""))
			if err != nil {
				errs = append(errs, fmt.Errorf("%w: metadata KeyDescriptor %d certificate %d: bad base64: %v", ErrMalformed, i+1, j+1, err))
				continue
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				errs = append(errs, fmt.Errorf("%w: metadata KeyDescriptor %d certificate %d: %v", ErrMalformed, i+1, j+1, err))
				continue
			}
			if !metadataHasCert(certs, cert) {
				certs = append(certs, cert)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return "", nil, err
	}
	if len(certs) == 0 {
		return "", nil, fmt.Errorf("%w: IdP %q has no signing certificate in its metadata", ErrMalformed, idp.EntityID)
	}
	return idp.EntityID, certs, nil
}

// metadataFlatten lists the entities of an EntitiesDescriptor, nested ones
// included.
func metadataFlatten(eds crewsaml.EntitiesDescriptor) []crewsaml.EntityDescriptor {
	out := append([]crewsaml.EntityDescriptor(nil), eds.EntityDescriptors...)
	for _, inner := range eds.EntitiesDescriptors {
		out = append(out, metadataFlatten(inner)...)
	}
	return out
}

func metadataHasCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, have := range certs {
		if have.Equal(c) {
			return true
		}
	}
	return false
}
