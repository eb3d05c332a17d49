// Request (Fetch §5.4).
//
// For the HTTP server and the future fetch(), on internal.fetch:
//   newRequest(method, url, headerList, body) -> Request
//       without the constructor's checks: `method` a valid token (normalized here), `url` an
//       absolute URL string already serialized, `headerList` a flat [name, value, ...] array of
//       valid headers (names in any case; the array is adopted, not copied) or the same joined by
//       '\n' (split only if the app looks at the headers), `body` null, a
//       string, a Uint8Array (adopted: the caller must not write to it afterwards) or a
//       ReadableStream. The Request's headers have the "request" guard.
//   requestParts(request) -> { method, url, headerList, body, redirect, signal, blob }
//       `headerList` is a copy of the flat list; `body` is null | string | Uint8Array | Blob |
//       ReadableStream and the body is marked used (null if it was already used); `blob` is the Blob
//       a blob: URL named when the Request was made (null otherwise, or if it was revoked then).
//   abortRequest(request, reason)
//       signals abort on request.signal (made now if the app never asked for it), e.g. when the
//       client that sent a server request went away.
const {
  ArrayPrototypePush, ArrayPrototypeSlice, ObjectAssign, StringPrototypeSlice, ObjectDefineProperty, ObjectFreeze, StringPrototypeToUpperCase,
  StringPrototypeSplit, TypeError,
} = internal.primordials;
const { configureInterface, exposeInterface, requiredArguments, toDOMString, toUSVString, illegalConstructorKey } = internal.webidl;
const fetch = internal.fetch;

// ---- helpers shared with Response ----

// URL Standard "parse" with no base (a server has no API base URL): a relative URL is a TypeError.
function parseUrl(input, what) {
  const url = internal.url.parse(input);
  if (url === null) {
    throw new TypeError(`${what}: invalid URL '${input}' (relative URLs need a base, which a server does not have)`);
  }
  return url;
}

// The serialized URL, or a TypeError (no URL object is made).
function parseHref(input, what) {
  const href = internal.url.parseHref(input);
  if (href === null) {
    throw new TypeError(`${what}: invalid URL '${input}' (relative URLs need a base, which a server does not have)`);
  }
  return href;
}

// Request.signal: a fresh never-aborted signal, or one following `parent` (DOM §3.1 "create a
// dependent abort signal"), made on first use.
const abort = internal.abortSignal;
function newSignal(parent) {
  return parent === null ? abort.create() : abort.createDependent([parent]);
}

// Fetch §2.2.1: methods compared case-insensitively and normalized to upper case.
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
function normalizeMethod(m) {
  if (m === 'GET') return m; // most requests
  const upper = StringPrototypeToUpperCase(m);
  for (let i = 0; i < NORMALIZED.length; i++) if (NORMALIZED[i] === upper) return upper;
  return m;
}

const REQUEST_CACHE = ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'];
const REQUEST_CREDENTIALS = ['omit', 'same-origin', 'include'];
const REQUEST_MODE = ['navigate', 'same-origin', 'no-cors', 'cors'];
const REQUEST_REDIRECT = ['follow', 'error', 'manual'];
const REQUEST_PRIORITY = ['high', 'low', 'auto'];
const REFERRER_POLICY = ['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin',
  'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url'];

// The attributes most requests never set share one frozen object; a request that sets any gets its own.
const DEFAULT_OPTIONS = ObjectFreeze({
  __proto__: null, cache: 'default', credentials: 'same-origin', mode: 'cors', redirect: 'follow',
  referrer: 'about:client', referrerPolicy: '', integrity: '', keepalive: false, priority: 'auto',
});

// WebIDL conversion of RequestInit: members read and converted in lexicographic order.
function readRequestInit(init, what) {
  init = fetch.toDictionary(init, what);
  const out = { __proto__: null, any: false, options: false };
  if (init === undefined) return out;
  const get = (key) => {
    const v = init[key];
    if (v !== undefined) out.any = true;
    return v;
  };
  const option = (key) => { // a member kept in the request's options object
    const v = get(key);
    if (v !== undefined) out.options = true;
    return v;
  };
  let v;
  if ((v = get('body')) !== undefined) out.body = v; // converted by "extract a body"
  if ((v = option('cache')) !== undefined) out.cache = fetch.toEnum(v, REQUEST_CACHE, `${what}: cache`);
  if ((v = option('credentials')) !== undefined) out.credentials = fetch.toEnum(v, REQUEST_CREDENTIALS, `${what}: credentials`);
  if ((v = get('duplex')) !== undefined) out.duplex = fetch.toEnum(v, ['half'], `${what}: duplex`);
  if ((v = get('headers')) !== undefined) out.headers = v;
  if ((v = option('integrity')) !== undefined) out.integrity = toDOMString(v);
  if ((v = option('keepalive')) !== undefined) out.keepalive = !!v;
  if ((v = get('method')) !== undefined) out.method = fetch.toByteString(v, `${what}: method`);
  if ((v = option('mode')) !== undefined) out.mode = fetch.toEnum(v, REQUEST_MODE, `${what}: mode`);
  if ((v = option('priority')) !== undefined) out.priority = fetch.toEnum(v, REQUEST_PRIORITY, `${what}: priority`);
  if ((v = option('redirect')) !== undefined) out.redirect = fetch.toEnum(v, REQUEST_REDIRECT, `${what}: redirect`);
  if ((v = option('referrer')) !== undefined) out.referrer = toUSVString(v);
  if ((v = option('referrerPolicy')) !== undefined) out.referrerPolicy = fetch.toEnum(v, REFERRER_POLICY, `${what}: referrerPolicy`);
  if ((v = get('signal')) !== undefined) {
    if (v !== null && !abort.isAbortSignal(v)) throw new TypeError(`${what}: signal is not an AbortSignal`);
    out.signal = v;
  }
  // `window` may only be null (Fetch §5.4 step 24): there is no window here.
  if ((v = get('window')) !== undefined && v !== null) throw new TypeError(`${what}: 'window' must be null`);
  return out;
}

// Set in the class's static block.
let requestBody; // (request) -> its body or null, brand-checked
let requestHeaders;
let isRequest;
let newRequest;
let abortRequest;
let requestParts;

class Request {
  #method;
  #url;
  #headers; // a Headers, or a server request's header lines until first use (#headersObject)
  #body;
  #options; // cache, credentials, mode, redirect, referrer, ... (DEFAULT_OPTIONS unless set)
  #signal = null; // created on first use
  #parentSignal; // the signal to follow, or null
  #blob = null; // a blob: URL's Blob, resolved when the URL was parsed (URL Standard "blob URL entry")

  constructor(input, init = undefined) {
    if (input === illegalConstructorKey) return; // internal: fields set by the caller
    const what = "Failed to construct 'Request'";
    requiredArguments(arguments.length, 1, what);
    const inputRequest = isRequest(input) ? input : null;
    if (inputRequest === null) input = toUSVString(input);
    const opts = readRequestInit(init, what);

    let method;
    let url;
    let options;
    let parentSignal = null;
    let inputBody = null;
    if (inputRequest === null) {
      const parsed = parseUrl(input, what);
      if (parsed.username !== '' || parsed.password !== '') {
        throw new TypeError(`${what}: the URL '${input}' includes credentials`);
      }
      url = parsed.href;
      if (StringPrototypeSlice(url, 0, 5) === 'blob:') this.#blob = fetch.resolveBlobURL(url);
      method = 'GET';
      options = DEFAULT_OPTIONS;
    } else {
      url = inputRequest.#url;
      this.#blob = inputRequest.#blob;
      method = inputRequest.#method;
      options = inputRequest.#options;
      parentSignal = inputRequest.#signal ?? inputRequest.#parentSignal;
      inputBody = inputRequest.#body;
    }

    // Fetch §5.4 step 13: a non-empty init resets mode 'navigate', the referrer and its policy.
    if (opts.any && (opts.options || options.mode === 'navigate' || options.referrer !== 'about:client'
      || options.referrerPolicy !== '')) {
      const o = { __proto__: null };
      ObjectAssign(o, options);
      if (o.mode === 'navigate') o.mode = 'same-origin';
      o.referrer = 'about:client';
      o.referrerPolicy = '';
      if (opts.referrer !== undefined) {
        if (opts.referrer === '') {
          o.referrer = '';
        } else {
          const r = parseHref(opts.referrer, `${what}: referrer`);
          o.referrer = r === 'about:client' ? 'about:client' : r;
        }
      }
      for (const key of ['referrerPolicy', 'credentials', 'cache', 'redirect', 'integrity', 'keepalive', 'priority']) {
        if (opts[key] !== undefined) o[key] = opts[key];
      }
      if (opts.mode !== undefined) {
        if (opts.mode === 'navigate') throw new TypeError(`${what}: mode 'navigate' cannot be set`);
        o.mode = opts.mode;
      }
      if (o.cache === 'only-if-cached' && o.mode !== 'same-origin') {
        throw new TypeError(`${what}: cache 'only-if-cached' requires mode 'same-origin'`);
      }
      options = ObjectFreeze(o);
    }

    if (opts.method !== undefined) {
      const m = opts.method;
      if (!fetch.isToken(m)) throw new TypeError(`${what}: '${m}' is not a valid HTTP method`);
      const upper = StringPrototypeToUpperCase(m);
      if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') {
        throw new TypeError(`${what}: the method '${m}' is forbidden`);
      }
      method = normalizeMethod(m);
    }
    if (opts.signal !== undefined) parentSignal = opts.signal;

    // Headers: a copy of the input's, or init.headers in their place (guard "request": NANO does
    // not filter forbidden request headers, as Deno and workerd do not).
    if (options.mode === 'no-cors' && method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      throw new TypeError(`${what}: method '${method}' is not allowed with mode 'no-cors'`);
    }
    const headers = fetch.newHeaders('request');
    if (opts.headers !== undefined) {
      fetch.fillHeaders(headers, opts.headers, what);
    } else if (inputRequest !== null) {
      fetch.setHeaderList(headers, ArrayPrototypeSlice(fetch.headerListOf(inputRequest.#headersObject())));
    }

    const hasInitBody = opts.body !== undefined && opts.body !== null;
    if ((hasInitBody || inputBody !== null) && (method === 'GET' || method === 'HEAD')) {
      throw new TypeError(`${what}: a ${method} request cannot have a body`);
    }
    let body = null;
    if (hasInitBody) {
      const extracted = fetch.extractBody(opts.body, what);
      body = extracted.body;
      const list = fetch.headerListOf(headers);
      if (extracted.type !== null && fetch.getHeader(list, 'content-type') === null) {
        ArrayPrototypePush(list, 'content-type', extracted.type);
        fetch.setHeaderList(headers, list); // drops the sorted cache
      }
    } else if (inputBody !== null) {
      // Fetch §5.4 step 42: the input's body moves to the new request (a "proxy"); the input is used.
      if (fetch.bodyUnusable(inputBody)) throw new TypeError(`${what}: the input request's body has already been used`);
      body = fetch.newBody(inputBody.source);
      body.stream = inputBody.stream;
      inputBody.used = true;
      inputBody.source = null;
    }
    // A streaming body would need duplex: 'half' (Fetch §5.4 step 41); like workerd, NANO does not
    // require it, so that proxies can pass request.body on as is.

    this.#method = method;
    this.#url = url;
    this.#headers = headers;
    this.#body = body;
    this.#options = options;
    this.#parentSignal = parentSignal;
  }

  get method() { return this.#check().#method; }
  get url() { return this.#check().#url; }
  get headers() { return this.#check().#headersObject(); }
  get destination() { this.#check(); return ''; }

  get referrer() {
    const r = this.#check().#options.referrer;
    return r; // '' for no-referrer, 'about:client' for client, else the URL
  }

  get referrerPolicy() { return this.#check().#options.referrerPolicy; }
  get mode() { return this.#check().#options.mode; }
  get credentials() { return this.#check().#options.credentials; }
  get cache() { return this.#check().#options.cache; }
  get redirect() { return this.#check().#options.redirect; }
  get integrity() { return this.#check().#options.integrity; }
  get keepalive() { return this.#check().#options.keepalive; }
  get isReloadNavigation() { this.#check(); return false; }
  get isHistoryNavigation() { this.#check(); return false; }
  get duplex() { this.#check(); return 'half'; }

  get signal() {
    this.#check();
    if (this.#signal === null) this.#signal = newSignal(this.#parentSignal);
    return this.#signal;
  }

  // Cloudflare Workers: request.cf carries edge metadata; NANO has none.
  get cf() { this.#check(); return undefined; }

  clone() {
    this.#check();
    if (this.#body !== null && fetch.bodyUnusable(this.#body)) {
      throw new TypeError("Failed to execute 'clone' on 'Request': the body has already been used");
    }
    const copy = new Request(illegalConstructorKey);
    copy.#method = this.#method;
    copy.#url = this.#url;
    copy.#blob = this.#blob;
    const headers = this.#headersObject();
    const list = ArrayPrototypeSlice(fetch.headerListOf(headers));
    copy.#headers = fetch.headersFromList(list, fetch.headersGuardOf(headers));
    copy.#body = this.#body === null ? null : fetch.cloneBody(this.#body);
    copy.#options = this.#options;
    copy.#parentSignal = this.#signal ?? this.#parentSignal; // Fetch §5.4 clone(): the clone's signal follows this one
    return copy;
  }

  #check() {
    if (!(#method in this)) throw new TypeError('Illegal invocation: the receiver is not a Request');
    return this;
  }

  // Most handlers never read a request's headers: the server's lines become a Headers on first use.
  #headersObject() {
    let h = this.#headers;
    if (typeof h === 'string') {
      h = fetch.headersFromList(fetch.lowercaseNames(h === '' ? [] : StringPrototypeSplit(h, '\n')), 'request');
      this.#headers = h;
    }
    return h;
  }

  static {
    isRequest = (v) => typeof v === 'object' && v !== null && #method in v;
    requestBody = (r) => r.#check().#body;
    requestHeaders = (r) => fetch.headerListOf(r.#check().#headersObject());
    newRequest = (method, url, headerList, body) => {
      const r = new Request(illegalConstructorKey);
      r.#method = normalizeMethod(method);
      r.#url = url;
      r.#headers = typeof headerList === 'string' ? headerList
        : fetch.headersFromList(fetch.lowercaseNames(headerList), 'request');
      let inner = null;
      if (body !== null && body !== undefined) {
        inner = fetch.newBody(body);
        if (typeof body !== 'string' && !(body instanceof Uint8Array)) inner.stream = body;
      }
      r.#body = inner;
      r.#options = DEFAULT_OPTIONS;
      r.#parentSignal = null;
      return r;
    };
    abortRequest = (r, reason) => {
      if (r.#signal === null) r.#signal = newSignal(r.#parentSignal);
      abort.signalAbort(r.#signal, reason);
    };
    requestParts = (r) => {
      r.#check();
      const inner = r.#body;
      let body = null;
      if (inner !== null && !fetch.bodyUnusable(inner)) {
        body = inner.stream ?? inner.source;
        inner.used = true;
        inner.source = null;
      }
      return {
        method: r.#method, url: r.#url, headerList: ArrayPrototypeSlice(fetch.headerListOf(r.#headersObject())), body,
        redirect: r.#options.redirect, signal: r.signal, blob: r.#blob,
      };
    };
  }
}

ObjectDefineProperty(Request, 'length', { value: 1 });
fetch.mixinBody(Request, (r) => requestBody(r), (r) => requestHeaders(r));
configureInterface(Request);
exposeInterface('Request', Request);

ObjectAssign(fetch, { Request, isRequest, newRequest, requestParts, abortRequest, parseUrl, parseHref });
