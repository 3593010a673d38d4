// The shared HTTP transport against a local stand-in for a CRM: an OAuth token endpoint that rotates refresh
// tokens, and an API that answers the first call with 429 + Retry-After. Run with `npx tsx examples/transport.ts`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOAuthTokenProvider, createTransport } from "crmkit";

let apiCalls = 0;
const server = createServer((req, res) => {
  if (req.url === "/oauth/token") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ access_token: "at-1", refresh_token: "rt-2", expires_in: 1800, api_domain: base() }),
    );
    return;
  }
  apiCalls++;
  if (apiCalls === 1) {
    res.writeHead(429, { "retry-after": "1" });
    res.end();
    return;
  }
  res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-42" });
  res.end(JSON.stringify({ data: [{ id: 1, name: "Ada Lovelace" }] }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = (): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const tokens = createOAuthTokenProvider({
  provider: "pipedrive",
  tokenUrl: `${base()}/oauth/token`,
  clientId: "my-client-id",
  clientSecret: "my-client-secret",
  clientAuth: "basic",
  refreshToken: "rt-1",
  // Persist the rotated refresh token: the old one stops working.
  onTokens: (t) => console.log(`persist refresh token (rotated: ${t.rotated})`),
});

const transport = createTransport({
  provider: "pipedrive",
  auth: { type: "bearer", token: tokens },
  // Pipedrive OAuth calls go to the api_domain from the token response.
  baseUrl: (token) => `${token?.apiDomain ?? "https://api.pipedrive.com"}/api/v2`,
  retry: { retries: 3, maxRetryTimeMs: 30_000 },
  hooks: {
    onRetry: (e) =>
      console.log(`retry after ${e.reason}: waiting ${e.delayMs} ms (budget used: ${e.consumesRetry})`),
    onResponse: (e) => console.log(`${e.method} ${e.url} → ${e.status} in ${e.durationMs} ms`),
  },
});

const result = await transport.request<{ data: Array<{ id: number; name: string }> }>({
  method: "GET",
  path: "persons",
  searchParams: { limit: 1 },
});
result.match(
  (response) =>
    console.log(
      `got ${response.body.data[0]?.name} after ${response.attempts} attempts (${response.requestId})`,
    ),
  (error) => console.error(`${error.reason} (${error.action}): ${error.message}`),
);
server.close();
