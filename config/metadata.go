package config

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/crewjam/saml"
)

// maxMetadataSize bounds an SP metadata file; real ones are a few KB.
const maxMetadataSize = 1 << 20

// SPMetadata is what samlab takes from a service provider's metadata.
type SPMetadata struct {
	EntityID string
	// ACSURLs are the HTTP-POST AssertionConsumerService locations, the
	// default one first, then by index.
	ACSURLs []string
	// AuthnRequestsSigned is the SP's promise to sign its requests.
	AuthnRequestsSigned bool
	// SigningCerts are base64 DER certificates of keys with use "signing"
	// or no use; EncryptionCert is the first with use "encryption" or no
	// use.
	SigningCerts   []string
	EncryptionCert string
	// SLOURL is the first HTTP-POST SingleLogoutService location (samlab
	// answers LogoutRequests with the POST binding); "" when none.
	SLOURL string
}

// ReadSPMetadata reads an SP metadata file.
func ReadSPMetadata(path string) (*SPMetadata, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxMetadataSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxMetadataSize {
		return nil, fmt.Errorf("%s: larger than %d bytes; is it SP metadata?", path, maxMetadataSize)
	}
	md, err := ParseSPMetadata(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return md, nil
}

// ParseSPMetadata parses an EntityDescriptor with one SPSSODescriptor.
// Documents with a DOCTYPE are refused (SEC-07).
func ParseSPMetadata(data []byte) (*SPMetadata, error) {
	if err := refuseDirectives(data); err != nil {
		return nil, err
	}
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(data, &ed); err != nil {
		return nil, fmt.Errorf("not SAML metadata (want an md:EntityDescriptor): %w", err)
	}
	if ed.EntityID == "" {
		return nil, errors.New("EntityDescriptor has no entityID")
	}
	if len(ed.SPSSODescriptors) == 0 {
		return nil, errors.New("EntityDescriptor has no SPSSODescriptor; is this an IdP's metadata?")
	}
	md := &SPMetadata{EntityID: ed.EntityID}
	for _, sp := range ed.SPSSODescriptors {
		if sp.AuthnRequestsSigned != nil && *sp.AuthnRequestsSigned {
			md.AuthnRequestsSigned = true
		}
		acs := slices.Clone(sp.AssertionConsumerServices)
		// Default first (isDefault="true"), then by index; a stable sort
		// keeps document order for equal indexes.
		slices.SortStableFunc(acs, func(a, b saml.IndexedEndpoint) int {
			da, db := a.IsDefault != nil && *a.IsDefault, b.IsDefault != nil && *b.IsDefault
			switch {
			case da && !db:
				return -1
			case db && !da:
				return 1
			}
			return a.Index - b.Index
		})
		for _, e := range acs {
			if e.Binding == saml.HTTPPostBinding && !slices.Contains(md.ACSURLs, e.Location) {
				md.ACSURLs = append(md.ACSURLs, e.Location)
			}
		}
		for _, e := range sp.SingleLogoutServices {
			if e.Binding == saml.HTTPPostBinding && md.SLOURL == "" {
				md.SLOURL = e.Location
			}
		}
		for _, kd := range sp.KeyDescriptors {
			for _, c := range kd.KeyInfo.X509Data.X509Certificates {
				data := strings.Join(strings.Fields(c.Data), "")
				if data == "" {
					continue
				}
				if kd.Use == "" || kd.Use == "signing" {
					md.SigningCerts = append(md.SigningCerts, data)
				}
				if (kd.Use == "" || kd.Use == "encryption") && md.EncryptionCert == "" {
					md.EncryptionCert = data
				}
			}
		}
	}
	return md, nil
}

// refuseDirectives rejects any <!DOCTYPE ...> or other directive before
// the document is decoded.
func refuseDirectives(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return errors.New("metadata contains a DOCTYPE or other directive; remove it (refused for safety)")
		}
	}
}
