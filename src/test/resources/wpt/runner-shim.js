// WPT runner shim, test scope only (never part of NANO): makes a fresh NANO context look enough
// like a dedicated worker for /resources/testharness.js, the way WPT's generated *.any.worker.js
// wrapper sees it, and reports results to the Java runner (dev.nano.wpt.WptRun.Host).
// Evaluated as a classic script whose value is a function of the host object.
(function (host) {
  'use strict';
  const TEST_STATUS = ['PASS', 'FAIL', 'TIMEOUT', 'NOTRUN', 'PRECONDITION_FAILED'];
  const HARNESS_STATUS = ['OK', 'ERROR', 'TIMEOUT', 'PRECONDITION_FAILED'];
  const ORIGIN = 'http://web-platform.test:8000';

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }

  // testharness.js asks the global what it is (testharness.js create_test_environment, GLOBAL).
  define('GLOBAL', { isWindow() { return false; }, isWorker() { return true; }, isShadowRealm() { return false; } });
  if (host.title() !== null) define('META_TITLE', host.title());

  // WorkerLocation of the test: testharness.js takes the default test name from its pathname,
  // subset-tests.js and others read the variant from its search.
  if (!('location' in globalThis)) {
    const pathname = host.pathname();
    const search = host.search();
    const href = ORIGIN + pathname + search;
    define('location', {
      href, origin: ORIGIN, protocol: 'http:', host: 'web-platform.test:8000', hostname: 'web-platform.test',
      port: '8000', pathname, search, hash: '', toString() { return href; },
    });
  }

  // A dedicated worker posts its results to its parent through self.postMessage; nobody listens here.
  if (typeof globalThis.postMessage !== 'function') define('postMessage', function postMessage() {});

  // importScripts(url...) loads files of the WPT folder as classic scripts, synchronously.
  define('importScripts', function importScripts(...urls) {
    for (const url of urls) host.importScript(`${url}`);
  });

  // fetch() of the test's own resources (e.g. url/resources/urltestdata.json, /interfaces/*.idl):
  // there is no web server, so the runner answers relative and same-origin URLs from the WPT folder
  // (404 when missing) and hands every other URL (data:, blob:, ...) to NANO's fetch, if it has one.
  const nanoFetch = globalThis.fetch;
  const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
  define('fetch', function fetch(input, init) {
    let url = typeof input === 'object' && input !== null && 'url' in input ? input.url : `${input}`;
    if (url.startsWith(ORIGIN + '/')) url = url.slice(ORIGIN.length);
    if (SCHEME.test(url)) {
      if (typeof nanoFetch === 'function') return nanoFetch.call(globalThis, input, init);
      return Promise.reject(new TypeError(`runner fetch shim: cannot fetch ${url} (NANO has no fetch yet)`));
    }
    if (url.split(/[?#]/)[0] === ECHO_CONTENT) return echoContent(input, init);
    return Promise.resolve().then(() => fileResponse(url));
  });

  // WPT's /fetch/api/resources/echo-content.py answers with the body of the request, its method,
  // length and type in X-Request-* headers, as text/plain. NANO's own Request makes the body (e.g.
  // the multipart encoding of a FormData), which is what such tests look at.
  const ECHO_CONTENT = '/fetch/api/resources/echo-content.py';
  function echoContent(input, init) {
    return Promise.resolve().then(() => {
      const request = new globalThis.Request(
        input instanceof globalThis.Request ? input : new URL(`${input}`, globalThis.location.href).href, init);
      return request.arrayBuffer().then((body) => {
        const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
        const headers = {
          'X-Request-Method': request.method,
          'X-Request-Content-Length': hasBody ? `${body.byteLength}` : 'NO',
          'X-Request-Content-Type': request.headers.get('Content-Type') ?? 'NO',
          'Content-Type': 'text/plain',
        };
        return new globalThis.Response(body, { status: 200, headers });
      });
    });
  }

  function fileResponse(url) {
    const found = host.exists(url);
    const status = found ? 200 : 404;
    const text = () => (found ? host.readText(url) : 'Not Found');
    const bytes = () => (found ? bytesOf(url) : new Uint8Array(0));
    if (realResponseWorks()) return new globalThis.Response(isText(url) ? text() : bytes(), { status });
    return {
      ok: found, status, url: ORIGIN + url, bodyUsed: false,
      text() { return Promise.resolve().then(text); },
      json() { return Promise.resolve().then(() => JSON.parse(text())); },
      arrayBuffer() { return Promise.resolve().then(() => bytes().buffer); },
    };
  }

  // Text files become a string body; anything else (e.g. .wasm, .webm) keeps its bytes.
  function isText(url) {
    return /\.(json|js|idl|txt|html|xml|css|vtt)([?#].*)?$/.test(url);
  }

  function bytesOf(url) {
    const bytes = host.readBytes(url);
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < out.length; i++) out[i] = bytes[i] & 0xff;
    return out;
  }

  let responseChecked = false;
  let responseOk = false;
  function realResponseWorks() {
    if (!responseChecked) {
      responseChecked = true;
      try {
        const r = new globalThis.Response('{}', { status: 200 });
        responseOk = r.status === 200 && typeof r.json === 'function' && typeof r.text === 'function';
      } catch {
        responseOk = false;
      }
    }
    return responseOk;
  }

  let harnessDone;
  let harnessTimeout;
  return {
    // testharness.js picks its DedicatedWorkerTestEnvironment with
    // `self instanceof DedicatedWorkerGlobalScope` when it loads, and idlharness.js's exposed_in()
    // asks the same at test time to know which [Exposed] interfaces must exist, so the name stays
    // (runner only: NANO itself has no such global). Tests may replace it.
    beforeHarness() {
      define('DedicatedWorkerGlobalScope', class DedicatedWorkerGlobalScope {
        static [Symbol.hasInstance](value) { return value === globalThis; }
      });
    },
    afterHarness() {
      harnessDone = done; // kept now: a test may declare globals of the same names
      harnessTimeout = timeout;
      const report = (test) => {
        host.result(`${test.name}`, TEST_STATUS[test.status] ?? `${test.status}`, test.message == null ? '' : `${test.message}`);
      };
      // Results as they come (kept if the file must be killed), then the final list, which also
      // has the tests that the harness timed out without a result callback.
      add_result_callback(report);
      add_completion_callback((tests, status) => {
        host.clearResults();
        tests.forEach(report);
        host.complete(HARNESS_STATUS[status.status] ?? `${status.status}`, status.message == null ? '' : `${status.message}`);
      });
    },
    // A script that threw at top level: in a worker that is an `error` event on the global.
    reportError(error) {
      if (typeof globalThis.reportError === 'function') {
        globalThis.reportError(error);
      } else {
        host.uncaught(`Uncaught ${error && error.stack ? error.stack : error}`);
      }
    },
    // All scripts ran: what the *.any.worker.js wrapper does after importScripts(test).
    done() { if (harnessDone) harnessDone(); },
    // The loop went idle (or the file ran too long) with tests still pending.
    timeout() { if (harnessTimeout) harnessTimeout(); },
  };
})
