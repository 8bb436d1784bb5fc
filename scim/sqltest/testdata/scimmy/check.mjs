// Runs SCIMMY, an independent SCIM 2.0 implementation (npm "scimmy"), against
// a samlab SCIM server: SCIMMY's schema classes coerce and validate what the
// server answers, its PatchOp and Filter classes read the requests samlab
// accepts, and RFC 7643/7644 behaviours that IAM Identity Center does not
// have are checked to differ the way IdC differs.
//
//   SCIM_URL=http://127.0.0.1:8080/scim/v2 SCIM_TOKEN=... node check.mjs
//
// Prints one JSON object per check: {"name", "kind", "ok", "detail", "rule"}.
// kind "conforms": SCIMMY accepts what samlab does; kind "differs": the RFC
// says one thing and IdC (so samlab) another, rule names the AWS-SCIM rule.
import SCIMMY from "scimmy";

const base = process.env.SCIM_URL;
const token = process.env.SCIM_TOKEN;
if (!base || !token) {
  console.error("set SCIM_URL and SCIM_TOKEN");
  process.exit(2);
}

SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser, false);

async function call(method, path, body, auth = true) {
  const headers = { "Content-Type": "application/scim+json" };
  if (auth) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

const results = [];
function record(name, kind, ok, detail = "", rule = "") {
  results.push({ name, kind, ok, detail: String(detail).slice(0, 300), rule });
}
function conforms(name, fn) {
  try {
    fn();
    record(name, "conforms", true);
  } catch (e) {
    record(name, "conforms", false, e.message);
  }
}

const stamp = Date.now().toString(36);
const userIn = {
  schemas: [SCIMMY.Schemas.User.id, SCIMMY.Schemas.EnterpriseUser.id],
  userName: `scimmy-${stamp}@example.com`,
  externalId: `ext-${stamp}`,
  name: { givenName: "Scim", familyName: "My", formatted: "Scim My" },
  displayName: "Scim My",
  title: "Tester",
  active: true,
  emails: [{ value: `scimmy-${stamp}@example.com`, type: "work", primary: true }],
  phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
  addresses: [{ streetAddress: "1 Main St", locality: "Springfield", region: "IL", postalCode: "62701", country: "US", type: "work", primary: true }],
  [SCIMMY.Schemas.EnterpriseUser.id]: { employeeNumber: "42", department: "QA", manager: { value: "mgr-1" } },
};

// What SCIMMY itself would send is what samlab takes.
conforms("SCIMMY coerces the request user (inbound)", () => new SCIMMY.Schemas.User(userIn, "in"));

const spc = await call("GET", "/ServiceProviderConfig");
conforms("ServiceProviderConfig validates", () => new SCIMMY.Schemas.ServiceProviderConfig(spc.json));
const rts = await call("GET", "/ResourceTypes");
conforms("ResourceTypes is a ListResponse", () => new SCIMMY.Messages.ListResponse(rts.json));
conforms("each ResourceType validates", () => rts.json.Resources.forEach((r) => new SCIMMY.Schemas.ResourceType(r)));
const schemas = await call("GET", "/Schemas");
conforms("Schemas is a ListResponse with User, Group, EnterpriseUser", () => {
  new SCIMMY.Messages.ListResponse(schemas.json);
  const ids = schemas.json.Resources.map((s) => s.id).sort().join(",");
  const want = [SCIMMY.Schemas.Group.id, SCIMMY.Schemas.User.id, SCIMMY.Schemas.EnterpriseUser.id].sort().join(",");
  if (ids !== want) throw new Error(`schema ids ${ids}`);
});
conforms("every schema attribute SCIMMY knows exists in samlab's User schema", () => {
  const ours = schemas.json.Resources.find((s) => s.id === SCIMMY.Schemas.User.id);
  const names = new Set(ours.attributes.map((a) => a.name));
  for (const n of ["userName", "name", "displayName", "emails", "active", "externalId"]) {
    if (!names.has(n)) throw new Error(`no ${n}`);
  }
});

const created = await call("POST", "/Users", userIn);
record("POST /Users answers 201", "conforms", created.status === 201, created.text);
const id = created.json?.id;
conforms("the created user validates as SCIMMY's User (outbound)", () => new SCIMMY.Schemas.User(created.json, "out"));
conforms("the enterprise extension round-trips", () => {
  const u = new SCIMMY.Schemas.User(created.json, "out");
  const ent = u[SCIMMY.Schemas.EnterpriseUser.id];
  if (!ent || ent.department !== "QA" || ent.manager?.value !== "mgr-1") throw new Error(JSON.stringify(ent));
});
const got = await call("GET", `/Users/${id}`);
conforms("GET /Users/{id} validates", () => new SCIMMY.Schemas.User(got.json, "out"));
conforms("meta has resourceType, created and lastModified", () => {
  const m = got.json.meta;
  if (m.resourceType !== "User" || Number.isNaN(Date.parse(m.created)) || Number.isNaN(Date.parse(m.lastModified))) throw new Error(JSON.stringify(m));
});

const filter = `userName eq "${userIn.userName}"`;
conforms("SCIMMY parses the filter Entra sends (userName eq)", () => new SCIMMY.Types.Filter(filter));
conforms("SCIMMY parses the id and manager filter", () => new SCIMMY.Types.Filter(`id eq "${id}" and manager eq "mgr-1"`));
const listed = await call("GET", `/Users?filter=${encodeURIComponent(filter)}`);
conforms("the filtered list is a ListResponse of valid users", () => {
  const lr = new SCIMMY.Messages.ListResponse(listed.json);
  if (listed.json.totalResults !== 1) throw new Error(`totalResults ${listed.json.totalResults}`);
  listed.json.Resources.forEach((r) => new SCIMMY.Schemas.User(r, "out"));
  return lr;
});
conforms("SCIMMY's filter matches the user samlab returned", () => {
  const f = new SCIMMY.Types.Filter(filter);
  if (f.match(listed.json.Resources).length !== 1) throw new Error("no match");
});

const patch = {
  schemas: [SCIMMY.Messages.PatchOp.id],
  Operations: [
    { op: "replace", path: "title", value: "Lead" },
    { op: "replace", value: { displayName: "Scim Patched" } },
    { op: "add", path: "nickName", value: "scimmy" },
  ],
};
conforms("SCIMMY accepts the RFC PatchOp samlab accepts", () => new SCIMMY.Messages.PatchOp(patch));
const patched = await call("PATCH", `/Users/${id}`, patch);
record("PATCH /Users/{id} answers 200 with the user", "conforms", patched.status === 200 && patched.json?.title === "Lead" && patched.json?.displayName === "Scim Patched", patched.text);
conforms("the patched user validates", () => new SCIMMY.Schemas.User(patched.json, "out"));
{
  const op = new SCIMMY.Messages.PatchOp(patch);
  const mine = new SCIMMY.Schemas.User(got.json, "out");
  try {
    const r = await op.apply(mine);
    record("SCIMMY's own PATCH result equals samlab's", "conforms",
      r.title === patched.json.title && r.displayName === patched.json.displayName && r.nickName === patched.json.nickName,
      JSON.stringify({ title: r.title, displayName: r.displayName, nickName: r.nickName }));
  } catch (e) {
    record("SCIMMY's own PATCH result equals samlab's", "conforms", false, e.message);
  }
}

const group = await call("POST", "/Groups", { schemas: [SCIMMY.Schemas.Group.id], displayName: `grp-${stamp}`, members: [{ value: id }] });
record("POST /Groups answers 201", "conforms", group.status === 201, group.text);
conforms("the group validates as SCIMMY's Group", () => new SCIMMY.Schemas.Group(group.json, "out"));
const gid = group.json?.id;
const gpatch = { schemas: [SCIMMY.Messages.PatchOp.id], Operations: [{ op: "remove", path: `members[value eq "${id}"]` }] };
conforms("SCIMMY accepts the member-removal PatchOp", () => new SCIMMY.Messages.PatchOp(gpatch));
const gp = await call("PATCH", `/Groups/${gid}`, gpatch);
record("PATCH /Groups/{id} answers 204", "conforms", gp.status === 204, gp.text);

const missing = await call("GET", "/Users/does-not-exist");
conforms("a 404 is an RFC error message (schemas, status as a string, detail)", () => {
  const e = missing.json;
  if (missing.status !== 404 || !e.schemas?.includes("urn:ietf:params:scim:api:messages:2.0:Error") || e.status !== "404" || !e.detail) throw new Error(missing.text);
  new SCIMMY.Messages.ErrorResponse({ status: 404, message: e.detail });
});

// Where IdC is not the RFC: samlab must answer like IdC.
async function differs(name, rule, fn) {
  try {
    const [ok, detail] = await fn();
    record(name, "differs", ok, detail, rule);
  } catch (e) {
    record(name, "differs", false, e.message, rule);
  }
}
await differs("error bodies carry IdC's extra schema, exceptionRequestId and timeStamp", "AWS-SCIM-013", async () => {
  const e = missing.json;
  return [Array.isArray(e.schema) && typeof e.exceptionRequestId === "string" && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(e.timeStamp), missing.text];
});
await differs("409 has no scimType uniqueness (RFC 7644 §3.3 MUST)", "AWS-SCIM-013", async () => {
  const r = await call("POST", "/Users", userIn);
  return [r.status === 409 && r.json?.scimType === undefined, r.text];
});
await differs("two emails (RFC: multi-valued) are refused", "AWS-SCIM-004", async () => {
  const two = { ...userIn, userName: `two-${stamp}@example.com`, emails: [{ value: `a-${stamp}@example.com`, primary: true }, { value: `b-${stamp}@example.com` }] };
  new SCIMMY.Schemas.User(two, "in"); // the RFC schema takes it
  const r = await call("POST", "/Users", two);
  return [r.status === 400 && r.json?.detail === "Currently list attributes only allow single item", r.text];
});
await differs("a non-primary single email (RFC: fine) is refused", "AWS-SCIM-005", async () => {
  const u = { ...userIn, userName: `np-${stamp}@example.com`, emails: [{ value: `np-${stamp}@example.com`, type: "work" }] };
  new SCIMMY.Schemas.User(u, "in");
  const r = await call("POST", "/Users", u);
  return [r.status === 400, r.text];
});
await differs("a user without name.givenName (RFC: optional) is refused", "AWS-SCIM-003", async () => {
  const u = { schemas: [SCIMMY.Schemas.User.id], userName: `nogn-${stamp}@example.com`, name: { familyName: "X" }, displayName: "X" };
  new SCIMMY.Schemas.User(u, "in");
  const r = await call("POST", "/Users", u);
  return [r.status === 400, r.text];
});
await differs("the co operator (RFC filter) is refused", "AWS-SCIM-009", async () => {
  const f = `userName co "scimmy"`;
  new SCIMMY.Types.Filter(f);
  const r = await call("GET", `/Users?filter=${encodeURIComponent(f)}`);
  return [r.status === 400, r.text];
});
await differs("or in a filter is refused", "AWS-SCIM-009", async () => {
  const f = `userName eq "a" or userName eq "b"`;
  new SCIMMY.Types.Filter(f);
  const r = await call("GET", `/Users?filter=${encodeURIComponent(f)}`);
  return [r.status === 400, r.text];
});
await differs("startIndex paging is refused (cursor paging instead)", "AWS-SCIM-010", async () => {
  const r = await call("GET", "/Users?startIndex=1&count=10");
  return [r.status === 400, r.text];
});
await differs("attributes= is refused", "AWS-SCIM-010", async () => {
  const r = await call("GET", `/Users?attributes=userName`);
  return [r.status === 400, r.text];
});
await differs("cursor paging answers itemsPerPage and nextCursor, no totalResults", "AWS-SCIM-010", async () => {
  const r = await call("GET", "/Users?cursor=&count=1");
  return [r.status === 200 && r.json.totalResults === undefined && typeof r.json.itemsPerPage === "number", r.text];
});
await differs("GET /Groups/{id} returns empty members", "AWS-SCIM-012", async () => {
  await call("PATCH", `/Groups/${gid}`, { schemas: [SCIMMY.Messages.PatchOp.id], Operations: [{ op: "add", path: "members", value: [{ value: id }] }] });
  const r = await call("GET", `/Groups/${gid}`);
  return [r.status === 200 && Array.isArray(r.json.members) && r.json.members.length === 0, r.text];
});
await differs("PUT /Groups/{id} is refused", "AWS-SCIM-002", async () => {
  const r = await call("PUT", `/Groups/${gid}`, { schemas: [SCIMMY.Schemas.Group.id], displayName: "x" });
  return [r.status === 400, r.text];
});
await differs("replacing all members is refused", "AWS-SCIM-012", async () => {
  const p = { schemas: [SCIMMY.Messages.PatchOp.id], Operations: [{ op: "replace", path: "members", value: [] }] };
  new SCIMMY.Messages.PatchOp(p);
  const r = await call("PATCH", `/Groups/${gid}`, p);
  return [r.status === 400, r.text];
});
await differs("/Me, /Bulk and /.search are refused with 400", "AWS-SCIM-002", async () => {
  const rs = await Promise.all([call("GET", "/Me"), call("POST", "/Bulk", {}), call("POST", "/.search", {})]);
  return [rs.every((r) => r.status === 400), rs.map((r) => r.status).join(",")];
});
await differs("Entra's older PatchOp (op \"Replace\", active as the string \"False\"; RFC: a boolean) is applied", "AWS-SCIM-011", async () => {
  const p = { schemas: [SCIMMY.Messages.PatchOp.id], Operations: [{ op: "Replace", path: "active", value: "False" }] };
  let scimmyRefuses = false;
  try { new SCIMMY.Messages.PatchOp(p); } catch { scimmyRefuses = true; }
  const r = await call("PATCH", `/Users/${id}`, p);
  return [r.status === 200 && r.json.active === false, `SCIMMY's PatchOp refuses it: ${scimmyRefuses}; samlab: ${r.status}`];
});
await differs("a missing token is 401 with IdC's body", "AWS-SCIM-001", async () => {
  const r = await call("GET", "/Users", undefined, false);
  return [r.status === 401 && r.json?.status === "401", r.text];
});

for (const r of results) console.log(JSON.stringify(r));
