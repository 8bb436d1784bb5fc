// An independent SCIM 2.0 server for samlab's provisioning tests: SCIMMY
// (RFC 7643/7644 parsing, filters, PATCH) and scimmy-routers (the HTTP
// routes) on express, with users and groups kept in memory. It listens on
// 127.0.0.1 at a free port and prints "listening <port>"; the bearer token
// is $SCIMMY_TOKEN.
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const token = process.env.SCIMMY_TOKEN || "scimmy-test-token";
const stores = {User: new Map(), Group: new Map()};
let next = 1;

function declare(Resource, store) {
    SCIMMY.Resources.declare(Resource)
        .ingress((resource, instance) => {
            const data = JSON.parse(JSON.stringify(instance));
            const now = new Date().toISOString();
            if (resource.id) {
                const old = store.get(resource.id);
                if (!old) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
                const updated = {...data, id: resource.id, meta: {created: old.meta.created, lastModified: now}};
                store.set(resource.id, updated);
                return updated;
            }
            const key = Resource === SCIMMY.Resources.User ? "userName" : "displayName";
            for (const o of store.values()) {
                if (String(o[key]).toLowerCase() === String(data[key]).toLowerCase())
                    throw new SCIMMY.Types.Error(409, "uniqueness", `${key} ${data[key]} already exists`);
            }
            const id = String(next++);
            const created = {...data, id, meta: {created: now, lastModified: now}};
            store.set(id, created);
            return created;
        })
        .egress((resource) => {
            if (resource.id) {
                const o = store.get(resource.id);
                if (!o) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
                return o;
            }
            const all = [...store.values()];
            return resource.filter ? resource.filter.match(all) : all;
        })
        .degress((resource) => {
            if (!store.delete(resource.id)) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        });
}

SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser);
declare(SCIMMY.Resources.User, stores.User);
declare(SCIMMY.Resources.Group, stores.Group);

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    docUri: "https://example.com/scim",
    handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${token}`) throw new Error("Authorization not detected!");
        return "samlab-test";
    },
}));
const server = app.listen(0, "127.0.0.1", () => {
    console.log(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
