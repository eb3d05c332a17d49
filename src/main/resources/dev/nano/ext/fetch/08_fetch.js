// fetch() (Fetch §5.6), as server runtimes (Deno, workerd) have it: no CORS, no cookies, no cache.
// http: and https: go to the network through FetchOps (java.net.http on non-blocking sockets, one
// exchange per redirect hop); data: and blob: URLs are answered here. Redirects (§4.4 HTTP-redirect
// fetch), AbortSignal and the Response are JS's; the body streams from the socket as the app reads it.
const {
  ArrayPrototypeJoin, ArrayPrototypePush, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, Promise,
  PromiseReject, SafeMap, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeSplit, StringPrototypeToLowerCase, TypeError,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet, Uint8Array, SafeWeakRef, WeakRefPrototypeDeref,
  SafeFinalizationRegistry, FinalizationRegistryPrototypeRegister, SafeWeakMap, WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} = internal.primordials;
const { requiredArguments, exposeOperation, setFunctionName } = internal.webidl;
const fetchApi = internal.fetch;
const abort = internal.abortSignal;

// Events from FetchOps; must match FetchOps.HEAD ... NEED.
const HEAD = 1;
const CHUNK = 2;
const END = 3;
const ERROR = 4;
const NEED = 5;

// No read-ahead of a response body: a piece is asked for only when the app reads, so an unread body
// keeps neither a script's loop alive nor (through a pending pull) its own stream from being collected.
const BODY_HIGH_WATER_MARK = 0;
const MAX_REDIRECTS = 20; // Fetch §4.4 step 8
const PIPED = { __proto__: null }; // a Fetch's reader when Java sends its request body (FetchOps.pipeUpload)

// Everything behind fetch() (the exchanges, redirects, body streaming, the handler FetchOps calls)
// is built on the first call, not in every context: most apps never fetch, and its ~30 functions
// would cost each context a few KB (ARCHITECTURE.md, "Keeping a context small").
let start; // (request parts) -> Promise<Response>
let takeUnread; // (stream) -> exchange id or 0; see internal.fetchBodyToPipe

function fetch(input, init = undefined) {
  let parts;
  try {
    requiredArguments(arguments.length, 1, "Failed to execute 'fetch'");
    parts = fetchApi.requestParts(new fetchApi.Request(input, init));
  } catch (e) {
    return PromiseReject(e);
  }
  if (start === undefined) start = buildFetch();
  return start(parts);
}
setFunctionName(fetch, 'fetch');

function buildFetch() {
  const exchanges = new SafeMap(); // exchange id -> Fetch (the one whose current hop it is)
  const bodyFetches = new SafeWeakMap(); // response body stream -> its Fetch

  // One fetch() call across its redirect hops.
  class Fetch {
    constructor(parts, resolve, reject) {
      this.method = parts.method;
      this.url = parts.url;
      this.headerList = parts.headerList;
      this.body = parts.body; // null | Uint8Array | ReadableStream
      this.redirectMode = parts.redirect;
      this.blob = parts.blob; // a blob: URL's Blob, resolved when the Request was made
      this.signal = parts.signal;
      this.resolve = resolve;
      this.reject = reject;
      this.redirects = 0;
      this.id = 0; // the current hop's exchange
      this.settled = false; // the promise is settled
      this.sourceRef = null; // a WeakRef to the response body's PullSource: an app may drop the body unread
      this.pulled = null; // resolves the pending pull
      this.reader = null; // of a streamed request body
      this.onAbort = null;
      this.done = false;
    }
  }

  function toBodyBytes(body) {
    if (body === null || body === undefined) return null;
    if (typeof body === 'string') return fetchApi.utf8Encode(body);
    if (body instanceof Uint8Array) return body;
    if (fetchApi.isBlob(body)) return fetchApi.blobBytes(body);
    return body; // a ReadableStream
  }

  function startFetch(parts) {
    return new Promise((resolve, reject) => {
      const f = new Fetch(parts, resolve, reject);
      f.body = toBodyBytes(parts.body);
      const signal = f.signal;
      if (abort.isAborted(signal)) {
        abortFetch(f, abort.reason(signal));
        return;
      }
      f.onAbort = () => abortFetch(f, abort.reason(signal));
      abort.addAlgorithm(signal, f.onAbort);
      schemeFetch(f);
    });
  }

  // Fetch §4.3 scheme fetch.
  function schemeFetch(f) {
    const url = f.url;
    const colon = StringPrototypeIndexOf(url, ':');
    const scheme = StringPrototypeToLowerCase(StringPrototypeSlice(url, 0, colon + 1));
    if ((scheme === 'http:' || scheme === 'https:') && isWebSocketUpgrade(f.headerList)) return webSocketFetch(f);
    if (scheme === 'http:' || scheme === 'https:') return httpFetch(f);
    if (scheme === 'data:') return dataFetch(f);
    if (scheme === 'blob:') return blobFetch(f);
    fail(f, new TypeError(`fetch failed: unsupported URL scheme '${scheme}' in '${url}' `
      + '(fetch() takes http:, https:, data: and blob: URLs)'));
  }

  // Workers: `Upgrade: websocket` opens a WebSocket and resolves with a 101 Response carrying it
  // (ext/websocket/00_websocket.js connectForFetch); the app accept()s response.webSocket.
  function isWebSocketUpgrade(list) {
    const v = headerValue(list, 'upgrade');
    return v !== null && StringPrototypeToLowerCase(v) === 'websocket';
  }

  function webSocketFetch(f) {
    if (f.method !== 'GET') return fail(f, new TypeError(`fetch failed: a WebSocket upgrade must be a GET, not ${f.method}`));
    internal.websocket.connectForFetch(f.url, f.headerList, (response) => {
      if (f.done) { // aborted meanwhile
        response.webSocket.close();
        return;
      }
      settle(f);
      answer(f, response);
    }, (error) => fail(f, error));
  }

  function dataFetch(f) {
    const bytes = ops.dataUrl(f.url);
    if (bytes === null) return fail(f, new TypeError(`fetch failed: '${f.url}' is not a valid data: URL`));
    const mime = fetchApi.parseMimeType(ops.dataUrlType());
    const type = mime === null ? 'text/plain;charset=US-ASCII' : fetchApi.serializeMimeType(mime);
    finishLocal(f, ['content-type', type], copyBytes(bytes));
  }

  // File API §8.4 / Fetch §4.3 "blob": GET only, the Blob's bytes with its type and size.
  function blobFetch(f) {
    if (f.method !== 'GET') {
      return fail(f, new TypeError(`fetch failed: a blob: URL can only be fetched with GET, not ${f.method}`));
    }
    const blob = f.blob;
    if (blob === null) return fail(f, new TypeError(`fetch failed: the blob URL '${f.url}' is revoked or unknown`));
    finishLocal(f, ['content-length', `${fetchApi.blobSize(blob)}`, 'content-type', fetchApi.blobTypeOf(blob)], blob);
  }

  function finishLocal(f, headerList, body) {
    if (f.settled) return;
    cancelRequestStream(f, undefined);
    const response = fetchApi.newResponse(200, 'OK', headerList, body, 'immutable', withoutFragment(f.url), f.redirects > 0);
    settle(f);
    answer(f, response);
  }

  // ---- network ----

  function hasHeader(list, name) {
    for (let i = 0; i < list.length; i += 2) if (StringPrototypeToLowerCase(list[i]) === name) return true;
    return false;
  }

  function httpFetch(f) {
    const list = f.headerList;
    // Fetch §4.5 step 7 (Accept) and the codings fetch() decodes; both only when the app set none.
    if (!hasHeader(list, 'accept')) ArrayPrototypePush(list, 'accept', '*/*');
    if (!hasHeader(list, 'accept-encoding')) ArrayPrototypePush(list, 'accept-encoding', 'gzip, deflate, br');
    const headers = ArrayPrototypeJoin(list, '\n');
    const body = f.body;
    let id;
    if (body === null) {
      id = ops.start(f.method, f.url, headers, null, 0, 0, false);
    } else if (body instanceof Uint8Array) {
      id = ops.start(f.method, f.url, headers, TypedArrayPrototypeGetBuffer(body),
        TypedArrayPrototypeGetByteOffset(body), TypedArrayPrototypeGetByteLength(body), false);
    } else {
      id = ops.start(f.method, f.url, headers, null, 0, 0, true);
      // the incoming request's own body, untouched (`fetch(request)` of a POST): Java moves it
      if (id !== 0 && f.reader === null) {
        const http = internal.http; // (none in `nano run`)
        const requestId = http === undefined ? 0 : http.pipeableBody(body);
        if (requestId !== 0 && ops.pipeUpload(id, requestId)) {
          http.takeBody(body);
          f.reader = PIPED;
        }
      }
    }
    if (id === 0) return fail(f, new TypeError(ops.lastError()));
    f.id = id;
    MapPrototypeSet(exchanges, id, f);
  }

  ops.setHandler((id, event, a, b, c) => {
    const f = MapPrototypeGet(exchanges, id);
    if (f === undefined) return;
    if (event === HEAD) return onHead(f, a, b, c);
    if (event === CHUNK) return onChunk(f, a);
    if (event === END) return onEnd(f);
    if (event === ERROR) return onError(f, a, b);
    if (event === NEED) return sendNextChunk(f);
  });

  function onHead(f, status, statusText, headerLines) {
    const headerList = headerLines === '' ? [] : StringPrototypeSplit(headerLines, '\n');
    if (fetchApi.isRedirectStatus(status) && f.redirectMode !== 'manual') {
      const location = headerValue(headerList, 'location');
      if (location !== null) return redirect(f, status, location);
    }
    let body = null;
    if (f.method === 'HEAD' || fetchApi.isNullBodyStatus(status)) {
      ops.discard(f.id);
      MapPrototypeDelete(exchanges, f.id);
      settle(f);
    } else {
      const id = f.id;
      let source = null;
      source = internal.streams.createPullStream(() => {
        if (f.done || source === null) return undefined; // (the stream keeps its source alive through this)
        ops.pull(id);
        return new Promise((resolve) => { f.pulled = resolve; });
      }, () => {
        if (!f.done) {
          ops.abort(id);
          MapPrototypeDelete(exchanges, id);
          settle(f);
        }
        wakePull(f);
      }, BODY_HIGH_WATER_MARK);
      f.sourceRef = new SafeWeakRef(source);
      body = source.stream;
      dropped().register(body, id);
      WeakMapPrototypeSet(bodyFetches, body, f);
    }
    const response = fetchApi.newResponse(status, statusText, headerList, body, 'immutable', withoutFragment(f.url), f.redirects > 0);
    answer(f, response);
  }

  // Response.url is serialized with "exclude fragment" (Fetch §5.5).
  function withoutFragment(url) {
    const hash = StringPrototypeIndexOf(url, '#');
    return hash < 0 ? url : StringPrototypeSlice(url, 0, hash);
  }

  function headerValue(list, name) {
    for (let i = 0; i < list.length; i += 2) if (StringPrototypeToLowerCase(list[i]) === name) return list[i + 1];
    return null;
  }

  // Fetch §4.4 HTTP-redirect fetch, for redirect mode 'follow' and 'error'.
  function redirect(f, status, location) {
    ops.discard(f.id); // the redirect's own body is not wanted: read it off so the connection is reused
    MapPrototypeDelete(exchanges, f.id);
    const target = internal.url.parseHref(location, f.url);
    if (target === null) return fail(f, new TypeError(`fetch failed: the redirect location '${location}' is not a valid URL`));
    if (f.redirectMode === 'error') {
      return fail(f, new TypeError(`fetch failed: ${f.url} redirected (${status}) to ${target} and the redirect mode is 'error'`));
    }
    const scheme = StringPrototypeSlice(target, 0, StringPrototypeIndexOf(target, ':') + 1);
    if (scheme !== 'http:' && scheme !== 'https:') {
      return fail(f, new TypeError(`fetch failed: redirect to '${target}', which is not an http: or https: URL`));
    }
    if (f.redirects === MAX_REDIRECTS) {
      return fail(f, new TypeError(`fetch failed: too many redirects (more than ${MAX_REDIRECTS}), the last to ${target}`));
    }
    f.redirects++;
    // Step 12: 301/302 turn POST into GET, 303 turns everything but GET/HEAD into GET; the body goes.
    if (((status === 301 || status === 302) && f.method === 'POST') || (status === 303 && f.method !== 'GET' && f.method !== 'HEAD')) {
      f.method = 'GET';
      f.body = null;
      f.headerList = withoutHeaders(f.headerList, ['content-encoding', 'content-language', 'content-location',
        'content-type', 'content-length']);
    } else if (f.body !== null && !(f.body instanceof Uint8Array)) {
      // Step 11: a body made from a stream has been sent and cannot be sent again.
      return fail(f, new TypeError(`fetch failed: ${f.url} redirected (${status}) to ${target}, `
        + 'and a streamed request body cannot be sent twice'));
    }
    if (origin(f.url) !== origin(target)) f.headerList = withoutHeaders(f.headerList, ['authorization']);
    f.url = target;
    httpFetch(f);
  }

  function origin(href) {
    const url = internal.url.parse(href);
    return url === null ? '' : url.origin;
  }

  function withoutHeaders(list, names) {
    const out = [];
    for (let i = 0; i < list.length; i += 2) {
      const name = StringPrototypeToLowerCase(list[i]);
      let drop = false;
      for (let k = 0; k < names.length; k++) if (names[k] === name) drop = true;
      if (!drop) ArrayPrototypePush(out, list[i], list[i + 1]);
    }
    return out;
  }

  function copyBytes(buffer) {
    const view = new Uint8Array(buffer);
    const chunk = new Uint8Array(TypedArrayPrototypeGetByteLength(view));
    TypedArrayPrototypeSet(chunk, view);
    return chunk;
  }

  function sourceOf(f) {
    return f.sourceRef === null ? null : WeakRefPrototypeDeref(f.sourceRef) ?? null;
  }

  function onChunk(f, buffer) {
    const source = sourceOf(f);
    if (source !== null) source.enqueue(copyBytes(buffer));
    wakePull(f);
  }

  function onEnd(f) {
    MapPrototypeDelete(exchanges, f.id);
    settle(f);
    const source = sourceOf(f);
    if (source !== null) source.close();
    wakePull(f);
  }

  // A response body the app dropped unread: its exchange (a connection, a slot of the app's
  // concurrency) is released when the stream is collected instead of at the fetch timeout.
  let registry = null;
  function dropped() {
    if (registry === null) {
      const r = new SafeFinalizationRegistry((id) => {
        const f = MapPrototypeGet(exchanges, id);
        if (f === undefined || f.done) return;
        ops.abort(id);
        MapPrototypeDelete(exchanges, id);
        settle(f);
      });
      registry = { register: (stream, id) => FinalizationRegistryPrototypeRegister(r, stream, id) };
    }
    return registry;
  }

  function onError(f, name, message) {
    MapPrototypeDelete(exchanges, f.id);
    fail(f, name === 'TimeoutError' ? new internal.DOMException(message, 'TimeoutError') : new TypeError(message));
  }

  function wakePull(f) {
    const wake = f.pulled;
    f.pulled = null;
    if (wake !== null) wake();
  }

  // ---- streamed request bodies: one chunk each time the connection wants more ----

  function sendNextChunk(f) {
    const id = f.id;
    if (f.reader === null) {
      try {
        f.reader = internal.streams.getReader(f.body);
      } catch (e) {
        ops.abort(id);
        return fail(f, new TypeError(`fetch failed: the request body stream cannot be read: ${e}`));
      }
    }
    internal.streams.read(f.reader, {
      chunk(value) {
        if (f.done || f.id !== id) return;
        if (typeof value !== 'object' || value === null || TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Uint8Array') {
          ops.abort(id);
          MapPrototypeDelete(exchanges, id);
          fail(f, new TypeError('fetch failed: the request body stream gave a chunk that is not a Uint8Array'));
          return;
        }
        ops.bodyChunk(id, TypedArrayPrototypeGetBuffer(value), TypedArrayPrototypeGetByteOffset(value),
          TypedArrayPrototypeGetByteLength(value));
      },
      close() {
        if (!f.done && f.id === id) ops.bodyEnd(id);
      },
      error(e) {
        if (f.done || f.id !== id) return;
        ops.abort(id);
        MapPrototypeDelete(exchanges, id);
        fail(f, new TypeError(`fetch failed: the request body stream errored: ${e}`));
      },
    });
  }

  function cancelRequestStream(f, reason) {
    const body = f.body;
    if (body !== null && body !== undefined && !(body instanceof Uint8Array) && f.reader === null) {
      // never read: nobody else can (it was locked into the request), so cancel it as Fetch §5.6 aborts do
      try {
        internal.streams.cancel(body, reason);
      } catch {
        // already errored or closed
      }
    }
  }

  // ---- ends ----

  // The fetch is over for the network side: no more abort algorithm, no more exchange.
  function settle(f) {
    if (f.done) return;
    f.done = true;
    if (f.onAbort !== null) abort.removeAlgorithm(f.signal, f.onAbort);
  }

  function answer(f, response) {
    const resolve = f.resolve;
    forgetPromise(f);
    resolve(response);
  }

  // The resolving functions keep their promise, and so the Response, reachable: dropped once used, so
  // that a body the app drops can be collected while its exchange is still in the map.
  function forgetPromise(f) {
    f.settled = true;
    f.resolve = null;
    f.reject = null;
  }

  // A network error (or timeout): rejects the promise, or errors the body once the response is out.
  function fail(f, error) {
    settle(f);
    if (!f.settled) {
      cancelRequestStream(f, error);
      const reject = f.reject;
      forgetPromise(f);
      reject(error);
    } else {
      const source = sourceOf(f);
      if (source !== null) source.error(error);
      wakePull(f);
    }
  }

  // Fetch §5.6 "abort the fetch() call": the signal's reason rejects the promise or errors the body.
  function abortFetch(f, reason) {
    if (f.id !== 0 && !f.done) {
      ops.abort(f.id);
      MapPrototypeDelete(exchanges, f.id);
    }
    if (f.reader !== null) {
      internal.streams.cancel(f.body, reason);
    }
    fail(f, reason);
  }

  takeUnread = (stream) => {
    const f = WeakMapPrototypeGet(bodyFetches, stream);
    const streams = internal.streams;
    if (f === undefined || f.done || streams.isLocked(stream) || streams.isDisturbed(stream)) return 0;
    streams.getReader(stream); // locked for good: its bytes no longer pass through JS
    MapPrototypeDelete(exchanges, f.id);
    settle(f);
    return f.id;
  };
  return startFetch;
}

// A response body from fetch() that JS has not touched, about to go out as another response's body
// (`return fetch(url)`, `new Response(upstream.body, upstream)`): takes it from JS and answers its
// exchange id, which FetchOps.pipeBody then hands to a Java sink, so that no JS task runs per chunk.
// 0: the stream is not such a body (or was read, locked, or ended), and JS pumps it as any other.
internal.fetchBodyToPipe = (stream) => (takeUnread === undefined ? 0 : takeUnread(stream));

exposeOperation('fetch', fetch);
internal.fetchOps = ops; // where Java finds this context's ops (FetchOps.of)
