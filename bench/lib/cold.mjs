// Cold start of new apps on a running NANO: for each app, POST /apps/<name> on the admin API (the
// module source inline; the call returns once the app has loaded), then the first GET to its host.
//   node cold.mjs <adminPort> <port> <count> <first>
// Prints one JSON line: milliseconds for add, first request and both (p50, p90, p99, max), and for a
// second request to the same app right after its first (a warm request, the baseline for "first").
// GAP_MS=n waits n ms after each app before adding the next (default 0: back to back, a storm).
import http from 'node:http';

const [adminPort, port, count, first] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(options, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', agent, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const gapMs = Number(process.env.GAP_MS || 0);
const add = [], hit = [], total = [], again = [];
for (let i = first; i < first + count; i++) {
  const name = `cold-${i}`;
  const body = JSON.stringify({
    hostnames: [`${name}.localhost`],
    module: `export default {\n  fetch() {\n    return new Response("app ${i}\\n");\n  },\n};\n`,
  });
  const t0 = process.hrtime.bigint();
  const added = await request({ port: adminPort, method: 'POST', path: `/apps/${name}`,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, body);
  const t1 = process.hrtime.bigint();
  const got = await request({ port, method: 'GET', path: '/', headers: { host: `${name}.localhost` } });
  const t2 = process.hrtime.bigint();
  const second = await request({ port, method: 'GET', path: '/', headers: { host: `${name}.localhost` } });
  const t3 = process.hrtime.bigint();
  if (added.status !== 201 || got.status !== 200 || got.text !== `app ${i}\n` || second.status !== 200) {
    console.error(`app ${name}: add ${added.status} ${added.text.slice(0, 200)}; get ${got.status} ${got.text.slice(0, 100)}`);
    process.exit(1);
  }
  add.push(Number(t1 - t0) / 1e6);
  hit.push(Number(t2 - t1) / 1e6);
  total.push(Number(t2 - t0) / 1e6);
  again.push(Number(t3 - t2) / 1e6);
  if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
}
agent.destroy();

const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return +s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))].toFixed(2);
};
const summary = (a) => ({ p50: pct(a, 50), p90: pct(a, 90), p99: pct(a, 99), max: pct(a, 100) });
console.log(JSON.stringify({ count, add: summary(add), first: summary(hit), total: summary(total), again: summary(again) }));
