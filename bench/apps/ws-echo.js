// WebSocket echo for bench/ws-echo.sh, the Workers way (NANO). apps/ws-echo-deno.js is the same app for deno.
export default {
  fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener('message', (event) => server.send(event.data));
    return new Response(null, { status: 101, webSocket: client });
  },
};
