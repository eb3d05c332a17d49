// WebSocket echo for bench/ws-echo.sh, deno's way (Deno.upgradeWebSocket); same behaviour as apps/ws-echo.js.
export default {
  fetch(request) {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.addEventListener('message', (event) => socket.send(event.data));
    return response;
  },
};
