module github.com/samlab/samlab

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/beevik/etree v1.8.1 // indirect
	github.com/crewjam/saml v0.6.3 // indirect
	github.com/dlclark/regexp2 v1.12.0 // indirect
	github.com/gorilla/mux v1.8.1 // indirect
	github.com/jonboulle/clockwork v0.5.0 // indirect
	github.com/russellhaering/goxmldsig v1.6.1 // indirect
	golang.org/x/crypto v0.59.0 // indirect
)
