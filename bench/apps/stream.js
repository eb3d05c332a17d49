// Streamed bodies for the side-by-side streaming benchmark: the same module runs on NANO and deno serve.
//   GET /big?n=BYTES   a ReadableStream response of n bytes, made by enqueuing one 64 KiB block again and again
//   POST /echo         the request body streamed back: new Response(request.body)
export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/big") {
      const n = Number(url.searchParams.get("n"));
      const block = new Uint8Array(65536).fill(120);
      let sent = 0;
      return new Response(new ReadableStream({
        pull(c) {
          if (sent >= n) return c.close();
          const k = Math.min(block.length, n - sent);
          c.enqueue(k === block.length ? block : block.subarray(0, k));
          sent += k;
        },
      }));
    }
    if (url.pathname === "/echo") return new Response(request.body);
    return new Response("ok\n");
  },
};
