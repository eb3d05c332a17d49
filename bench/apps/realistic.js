// A "realistic" handler for the side-by-side HTTP benchmark (issue 8 item 11), the same module on
// NANO, `deno serve` and bun: parse the URL, build a 20-field JSON object, JSON.stringify it, take
// the SHA-256 digest of the body (crypto.subtle.digest) and send it as a strong ETag.
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const q = url.searchParams;
    const id = Number(q.get("id") ?? 42);
    const item = {
      id,
      name: q.get("name") ?? "widget",
      path: url.pathname,
      host: url.hostname,
      method: request.method,
      price: id * 1.25,
      currency: "EUR",
      inStock: id % 2 === 0,
      quantity: id % 17,
      tags: ["a", "b", "c"],
      category: "tools",
      sku: "SKU-" + id,
      weight: 0.75,
      dimensions: { w: 10, h: 20, d: 5 },
      rating: 4.5,
      reviews: 128,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-11-21T00:00:00Z",
      userAgent: request.headers.get("user-agent") ?? "",
      accept: request.headers.get("accept") ?? "*/*",
    };
    const body = JSON.stringify(item);
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(body));
    return new Response(body, {
      headers: { "content-type": "application/json", etag: '"' + hex(digest) + '"' },
    });
  },
};
