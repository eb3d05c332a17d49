// The example the README serves:  ./nano serve examples/hello   then   curl http://127.0.0.1:8080/
// A Workers-style module: one default export with a fetch(request, env, ctx) handler.
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/json') {
      return Response.json({ hello: 'NANO', method: request.method, path: url.pathname });
    }
    if (url.pathname === '/echo' && request.method === 'POST') {
      const type = request.headers.get('content-type') ?? 'text/plain;charset=UTF-8';
      return new Response(await request.text(), { headers: { 'content-type': type } });
    }
    return new Response('Hello from NANO\n');
  },
};
