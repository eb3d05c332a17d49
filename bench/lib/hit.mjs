// Sends one GET to each of N apps, one after another on keep-alive connections, and checks that
// each app answered 200 with its own name in the body. Used by bench/density.sh and bench/cold-start.sh.
//   node hit.mjs hosts <port> <count> [first]   Host: app-<i>.localhost on one port (NANO)
//   node hit.mjs ports <basePort> <count>        app i listens on basePort + i (workerd)
// Prints "ok <count>" or the failures, and with TIMES=1 one line of per-request milliseconds.
import http from 'node:http';

const [mode, portArg, countArg, firstArg] = process.argv.slice(2);
const base = Number(portArg);
const count = Number(countArg);
const first = Number(firstArg ?? 0);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(i) {
  const port = mode === 'ports' ? base + i : base;
  const headers = mode === 'hosts' ? { host: `app-${i}.localhost` } : {};
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const ok = res.statusCode === 200 && body.includes(`app ${i}\n`);
        resolve({ ok, ms, why: ok ? '' : `app ${i}: ${res.statusCode} ${body.slice(0, 120)}` });
      });
    });
    req.on('error', (e) => resolve({ ok: false, ms: 0, why: `app ${i}: ${e.message}` }));
  });
}

const failures = [];
const times = [];
for (let i = first; i < first + count; i++) {
  const r = await get(i);
  times.push(r.ms);
  if (!r.ok) failures.push(r.why);
}
agent.destroy();
if (failures.length) {
  console.log(`failed ${failures.length}/${count}: ${failures.slice(0, 5).join('; ')}`);
  process.exitCode = 1;
} else {
  console.log(`ok ${count}`);
}
if (process.env.TIMES === '1') console.log(times.map((t) => t.toFixed(3)).join(' '));
