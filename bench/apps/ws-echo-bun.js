// WebSocket echo for bench/ws-echo.sh, bun's way (Bun.serve's websocket handlers); same behaviour as
// apps/ws-echo.js: every message goes back as it came (text as text, binary as binary).
Bun.serve({
  port: Number(process.env.PORT),
  fetch(request, server) {
    if (server.upgrade(request)) return undefined;
    return new Response('expected a WebSocket upgrade', { status: 426 });
  },
  websocket: {
    message(ws, message) {
      ws.send(message);
    },
  },
});
