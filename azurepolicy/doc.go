// Package azurepolicy imports a Microsoft Entra ID Claims Mapping Policy
// (the JSON that Microsoft Graph and PowerShell create and export) into
// samlab's claim rules, so that an application configured in Azure with a
// policy can be reproduced in samlab.
//
// [Convert] reads the policy in any of the shapes it is usually found in:
// the bare {"ClaimsMappingPolicy":{...}} definition, a Graph
// claimsMappingPolicy object whose "definition" is an array holding the
// definition as a JSON string, a Graph list response holding one such
// object, or a PowerShell export with "Definition". It returns a
// [claims.Policy] and the warnings that say, entry by entry, what could not
// be carried over and why. [EncodeTOML] writes the result as an [[apps]]
// fragment of a samlab configuration file.
//
// The package reads no files and knows nothing of the command line; the
// `samlab import azure-policy FILE` command is a thin client of it.
package azurepolicy
