// Package provision is Microsoft Entra ID's provisioning service as a
// library: the SCIM 2.0 client that pushes a tenant's users and groups to
// an enterprise application, such as AWS IAM Identity Center.
//
// A [Job] holds an app's attribute mappings ([Mapping]: direct, constant
// or expression, with Entra's expression language from package
// provision/expression; apply always or on creation only; default if
// null; matching attributes) and settings (scope, PATCH dialect,
// quarantine and accidental-deletions thresholds). With no mappings it
// uses the IdC gallery app's defaults ([DefaultUserMappings],
// [DefaultGroupMappings]).
//
// [Job.Run] runs one cycle as Entra does: match each user in scope with
// GET ?filter, then POST it or PATCH only what changed; disable users that
// left the scope or are soft-deleted, delete those deleted from the
// tenant; then groups, with member PATCHes in batches of 100. The [State]
// (kept by a [Runner] in a file, 0600, written atomically) makes later
// cycles incremental. It reproduces Entra's known behaviours: a value
// removed in the tenant is not cleared in the target ([NoteStale]), each
// object fails alone with the target's error, repeated failures put the
// job in quarantine, and too many deletions stop the cycle.
//
// The result is a provisioning log ([Result], [Event]) that [WriteText] and
// [WriteJSON] print. `samlab provision` and the schedule of `samlab serve`
// are thin clients; docs/provisioning.md describes every option.
package provision
