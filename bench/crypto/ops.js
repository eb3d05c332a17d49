// WebCrypto throughput: the same operations on whatever runtime runs this file (`node` or
// `nano run`). Web APIs only (crypto.subtle, performance.now, console.log) and no import/export
// or top-level await, so it runs unchanged as a Node CommonJS script and as a NANO module.
//
// A pre-warm runs all operations in turn; then each operation: a warm-up in 1-second windows until
// the rate is steady (NANO's JIT needs tens of seconds on one core), then timed phases; one JSON
// line per timed phase (and one just before it). Each result is checked once, before all that.
//
// Settings come from globalThis.CRYPTO_BENCH when set (bench/crypto.sh prepends that line):
//   seconds     timed phase per operation (default 5)
//   prewarm     seconds of all operations in turn before the first one is warmed up (default 30)
//   warmup      minimum warm-up seconds per operation (default 10)
//   maxWarmup   warm-up stops here even if the rate still moves (default 60)
//   minAttempts timed phases run at least (default 2; see main)
//   attempts    timed phases run at most, until one is steady (default 6)
//   modes       list of 'seq' (await each call) and/or 'batchN' (N calls in flight, then await all);
//               default ['batch8']
//   only        list of operation names to run (default: all)
'use strict';

const config = Object.assign(
  { seconds: 5, prewarm: 30, warmup: 10, maxWarmup: 60, minAttempts: 2, attempts: 6, modes: ['batch8'], only: null },
  globalThis.CRYPTO_BENCH || {});
const subtle = globalThis.crypto.subtle;

function randomBytes(length) {
  const out = new Uint8Array(length);
  // getRandomValues takes at most 65536 bytes per call (WebCrypto §10.2.1).
  for (let i = 0; i < length; i += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  }
  return out;
}

const KiB = randomBytes(1024);
const MiB = randomBytes(1024 * 1024);

// Each operation: setup() returns { run, check }. run() starts one call and returns its promise;
// check(result) throws unless the result is what the operation should give.
const operations = [
  {
    name: 'aes-gcm-256-encrypt-1k',
    async setup() {
      const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
      // A counter nonce (NIST SP 800-38D §8.2.1): unique per call, and costs the same in both runtimes.
      // subtle copies the iv when called (§14.3.1 step 2), so the next call may change it.
      const iv = new Uint8Array(12);
      const ivView = new DataView(iv.buffer);
      let counter = 0;
      return {
        run() {
          ivView.setUint32(8, ++counter);
          return subtle.encrypt({ name: 'AES-GCM', iv }, key, KiB);
        },
        check(ct) { if (ct.byteLength !== 1024 + 16) throw new Error(`ciphertext of ${ct.byteLength} bytes`); },
      };
    },
  },
  {
    name: 'hmac-sha256-sign-1k',
    async setup() {
      const key = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return {
        run: () => subtle.sign('HMAC', key, KiB),
        check(mac) { if (mac.byteLength !== 32) throw new Error(`MAC of ${mac.byteLength} bytes`); },
      };
    },
  },
  {
    name: 'ecdsa-p256-sign',
    async setup() {
      const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const alg = { name: 'ECDSA', hash: 'SHA-256' };
      return {
        run: () => subtle.sign(alg, pair.privateKey, KiB),
        async check(sig) {
          if (!(await subtle.verify(alg, pair.publicKey, sig, KiB))) throw new Error('signature does not verify');
        },
      };
    },
  },
  {
    name: 'ecdsa-p256-verify',
    async setup() {
      const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const alg = { name: 'ECDSA', hash: 'SHA-256' };
      const sig = await subtle.sign(alg, pair.privateKey, KiB);
      return {
        run: () => subtle.verify(alg, pair.publicKey, sig, KiB),
        check(ok) { if (ok !== true) throw new Error('verify gave ' + ok); },
      };
    },
  },
  {
    name: 'rsa-pss-2048-sign',
    async setup() {
      const pair = await subtle.generateKey({
        name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256',
      }, false, ['sign', 'verify']);
      const alg = { name: 'RSA-PSS', saltLength: 32 };
      return {
        run: () => subtle.sign(alg, pair.privateKey, KiB),
        async check(sig) {
          if (!(await subtle.verify(alg, pair.publicKey, sig, KiB))) throw new Error('signature does not verify');
        },
      };
    },
  },
  {
    name: 'ed25519-sign',
    async setup() {
      const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      return {
        run: () => subtle.sign('Ed25519', pair.privateKey, KiB),
        async check(sig) {
          if (!(await subtle.verify('Ed25519', pair.publicKey, sig, KiB))) throw new Error('signature does not verify');
        },
      };
    },
  },
  {
    name: 'sha256-digest-1m',
    async setup() {
      return {
        run: () => subtle.digest('SHA-256', MiB),
        check(d) { if (d.byteLength !== 32) throw new Error(`digest of ${d.byteLength} bytes`); },
      };
    },
  },
];

// Runs `run` until `ms` have passed; returns [calls, elapsed ms]. A batch starts `batch` calls
// before awaiting them all: with batch 1 every call is awaited before the next starts.
async function runFor(run, batch, ms) {
  const start = performance.now();
  const end = start + ms;
  const pending = new Array(batch);
  let calls = 0;
  let now;
  do {
    if (batch === 1) {
      await run();
    } else {
      for (let i = 0; i < batch; i++) pending[i] = run();
      await Promise.all(pending);
    }
    calls += batch;
    now = performance.now();
  } while (now < end);
  return [calls, now - start];
}

// Warm-up: 1-second windows until at least config.warmup seconds have passed and the last
// `stall` windows agree within 10% and do not beat the best window before them by more than 3%,
// or until config.maxWarmup seconds. (A few windows agreeing is not enough: NANO's JIT raises the
// rate in steps, with flat stretches and dips of several seconds between them, while it compiles
// on the same core.) Returns the window rates.
async function warmUp(run, batch) {
  const stall = 5;
  const rates = [];
  for (let s = 0; s < config.maxWarmup; s++) {
    const [calls, ms] = await runFor(run, batch, 1000);
    rates.push(Math.round(calls / ms * 1000));
    if (rates.length >= Math.max(stall + 1, config.warmup)) {
      const last = rates.slice(-stall);
      const top = Math.max(...last);
      if (Math.min(...last) >= top * 0.9 && top <= Math.max(...rates.slice(0, -stall)) * 1.03) break;
    }
  }
  return rates;
}

function batchOf(mode) {
  if (mode === 'seq') return 1;
  const m = /^batch(\d+)$/.exec(mode);
  if (!m || +m[1] < 1) throw new Error(`unknown mode ${mode} (seq or batchN)`);
  return +m[1];
}

async function main() {
  const modes = config.modes.map((mode) => [mode, batchOf(mode)]);
  const selected = operations.filter((op) => !config.only || config.only.includes(op.name));
  const prepared = [];
  for (const op of selected) {
    const { run, check } = await op.setup();
    await check(await run());
    prepared.push({ name: op.name, run });
  }
  // Pre-warm: every operation in turn, 1 s each in the first mode, for config.prewarm seconds.
  // It compiles what all operations share (promises, subtle's argument handling, the host
  // boundary) before anything is timed, so the first operation does not carry that JIT work
  // alone; the profiles then also hold several algorithms, as in a server.
  for (let s = 0; s < config.prewarm && prepared.length > 0; s++) {
    await runFor(prepared[s % prepared.length].run, modes[0][1], 1000);
  }
  for (const op of prepared) {
    const run = op.run;
    for (const [mode, batch] of modes) {
      const warmupRates = await warmUp(run, batch);
      // Timed phases of config.seconds 1-second windows, each reported: at least
      // config.minAttempts, then more until one is steady (windows within 10%), at most
      // config.attempts. bench/crypto.sh reports, of the steady ones, the one where the JVM's
      // compiler threads took the least CPU (NANO's JIT can be busy for a long while on one core
      // without the rate moving); a runtime without them gets its last one.
      for (let attempt = 1; ; attempt++) {
        // Tells bench/crypto.sh a timed phase starts: it reads the process's CPU time here and at
        // the result line, for ops per CPU-second (the fairer figure on a shared core).
        console.log(JSON.stringify({ timing: op.name, mode }));
        let calls = 0, ms = 0;
        const rates = [];
        for (let s = 0; s < config.seconds; s++) {
          const [c, t] = await runFor(run, batch, 1000);
          calls += c;
          ms += t;
          rates.push(Math.round(c / t * 1000));
        }
        const steady = Math.min(...rates) >= Math.max(...rates) * 0.9;
        console.log(JSON.stringify({
          op: op.name, mode, attempt, steady, opsPerSec: Math.round(calls / ms * 1000), calls,
          seconds: +(ms / 1000).toFixed(3), rates, warmupRates,
        }));
        if ((steady && attempt >= config.minAttempts) || attempt >= config.attempts) break;
      }
    }
  }
  // Lets bench/crypto.sh read the CPU times of the last result before the process exits.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

main().catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  throw e;
});
