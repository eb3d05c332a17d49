// Proxy for the outbound fetch() benchmark (bench/fetch-proxy.sh): each request fetches the upstream and
// answers with its body. The same module runs on NANO, deno serve and workerd; the script writes the
// upstream's URL in place of __UPSTREAM__.
const UPSTREAM = '__UPSTREAM__';

export default {
  async fetch() {
    const upstream = await fetch(UPSTREAM);
    return new Response(await upstream.text(), {
      status: upstream.status,
      headers: { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' },
    });
  },
};
