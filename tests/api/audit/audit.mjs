// Runs graphql-http's GraphQL-over-HTTP server audit against URL and prints a JSON report:
//   node audit.mjs http://127.0.0.1:8000/graphql
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs URL");
  process.exit(2);
}
const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
const count = (status) => results.filter((r) => r.status === status).length;
console.log(JSON.stringify({ ok: count("ok"), warn: count("warn"), error: count("error"), results }));
