// The training run for the JDK's AOT cache (./nano builds target/nano.aot with it once per build):
// it loads and links the classes a served request needs, so the next starts skip that work.
const url = new URL('https://example.com/a/b?c=d#e');
const request = new Request(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
const text = await request.text();
const response = new Response(JSON.stringify({ text, path: url.pathname, q: url.searchParams.get('c') }), {
  headers: new Headers({ 'content-type': 'application/json' }),
});
await response.json();
new TextDecoder().decode(new TextEncoder().encode('x'));
await crypto.subtle.digest('SHA-256', new Uint8Array(8));
crypto.randomUUID();
await new Promise((resolve) => setTimeout(resolve, 1));
structuredClone({ a: [1] });
new AbortController().abort();
