// Process start: spawns a server command, polls http://127.0.0.1:<port>/ every few milliseconds
// and prints one JSON line when the first 200 arrives: wall milliseconds since the spawn, and the
// process's CPU milliseconds by then (its threads' time on a CPU from /proc; a launcher script
// that execs its runtime is the same process). Then stops the server (SIGTERM, then SIGKILL).
//   node start.mjs <port> <timeoutSeconds> <command> [args...]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';

const [port, timeout, cmd, ...args] = process.argv.slice(2);
// CPU time of all the process's threads: schedstat's first field (ns on a CPU) is finer than the
// 10 ms ticks of /proc/<pid>/stat. Threads that already ended are not counted.
const cpuMs = (pid) => {
  let ns = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    }
  } catch { return NaN; }
  return ns / 1e6;
};
const probe = () => new Promise((resolve) => {
  const req = http.get({ host: '127.0.0.1', port: Number(port), path: '/', agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200));
  });
  req.setTimeout(1000, () => req.destroy());
  req.on('error', () => resolve(false));
});

const t0 = process.hrtime.bigint();
const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => { stderr += d; });
let exited = false;
child.on('exit', () => { exited = true; });
const deadline = Date.now() + Number(timeout) * 1000;
let ok = false;
while (!exited && Date.now() < deadline) {
  if (await probe()) { ok = true; break; }
  await new Promise((r) => setTimeout(r, 2));
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = cpuMs(child.pid);
child.kill('SIGTERM');
const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
if (!exited) await new Promise((r) => child.on('exit', r));
clearTimeout(killer);
if (!ok) {
  console.error(`${cmd}: no 200 within ${timeout}s${stderr ? `: ${stderr.slice(-500)}` : ''}`);
  process.exit(1);
}
console.log(JSON.stringify({ ms: +ms.toFixed(1), cpu: +cpu.toFixed(0) }));
