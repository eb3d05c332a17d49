// The upstream of bench/fetch-proxy.sh: a minimal Node HTTP server (keep-alive) answering "Hello World".
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 18099);
createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '12' });
  res.end('Hello World\n');
}).listen(port, '127.0.0.1');
