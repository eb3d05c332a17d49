// Response (Fetch §5.5), with Cloudflare Workers' `webSocket` init member.
//
// For the HTTP server and the future fetch(), on internal.fetch:
//   responseParts(response) -> { status, statusText, headerList, body, webSocket }
//       read without promises: `headerList` is a copy of the flat [name, value, ...] list (names
//       lowercase, Set-Cookie headers separate); `body` is null | string | Uint8Array | Blob |
//       ReadableStream (write a string as UTF-8; a Blob's bytes are internal.fetch.blobBytes(blob)).
//       The body is marked used; a response whose body was already used is a TypeError.
//   responseOut(response) -> { status, statusText, headerLines, body, webSocket }
//       as responseParts, for the HTTP server: the header list comes joined by '\n' (no copy of it).
//   newResponse(status, statusText, headerList, body, guard = 'immutable', url = '', redirected = false)
//       -> Response, without the constructor's checks; headerList and a Uint8Array body are adopted.
const {
  ArrayPrototypeJoin, ArrayPrototypePush, ArrayPrototypeSlice, JSONStringify, ObjectAssign, ObjectDefineProperty, ObjectFreeze,
  MathFloor, StringPrototypeCharCodeAt, TypeError, RangeError,
} = internal.primordials;
const { configureInterface, exposeInterface, requiredArguments, toUSVString, illegalConstructorKey } = internal.webidl;
const fetch = internal.fetch;

// Fetch §2.2.3 null body status; redirect status.
const isNullBodyStatus = (s) => s === 101 || s === 103 || s === 204 || s === 205 || s === 304;
const isRedirectStatus = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

// RFC 9112 reason-phrase: HTAB, SP, VCHAR, obs-text.
function isReasonPhrase(s) {
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c !== 0x09 && (c < 0x20 || c === 0x7f)) return false; // ByteString: nothing above 0xFF
  }
  return true;
}

// WebIDL unsigned short.
function toUnsignedShort(v) {
  let x = +v;
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return 0;
  x = x < 0 ? -MathFloor(-x) : MathFloor(x);
  x %= 65536;
  return x < 0 ? x + 65536 : x;
}

// `new Response(body)` with no init, the usual case: one shared, read-only answer.
const NO_INIT = ObjectFreeze({ headers: undefined, status: 200, statusText: '', webSocket: null });

// WebIDL conversion of ResponseInit (members in lexicographic order).
function readResponseInit(init, what) {
  init = fetch.toDictionary(init, what);
  if (init === undefined) return NO_INIT;
  const out = { headers: undefined, status: 200, statusText: '', webSocket: null };
  let v;
  if ((v = init.headers) !== undefined) out.headers = v;
  if ((v = init.status) !== undefined) out.status = toUnsignedShort(v);
  if ((v = init.statusText) !== undefined) out.statusText = fetch.toByteString(v, `${what}: statusText`);
  if ((v = init.webSocket) !== undefined && v !== null) {
    if (typeof v !== 'object') throw new TypeError(`${what}: webSocket must be a WebSocket`);
    out.webSocket = v;
  }
  return out;
}

let responseBody; // set in the class's static block
let responseHeaders;
let isResponse;
let initializeResponse;
let newResponse;
let responseParts;
let responseOut;

// The last header list joined by responseOut, and the result: an app's responses mostly carry the
// same headers (often only the Content-Type its body set), so the next one likely joins to the same.
let lastLines = [];
let lastJoined = '';
function joinLines(list) {
  const n = list.length;
  if (n === lastLines.length) {
    let i = 0;
    while (i < n && list[i] === lastLines[i]) i++;
    if (i === n) return lastJoined;
  }
  lastJoined = ArrayPrototypeJoin(list, '\n');
  lastLines = ArrayPrototypeSlice(list);
  return lastJoined;
}

class Response {
  #type = 'default';
  #status = 200;
  #statusText = '';
  #headers;
  #body = null;
  #url = ''; // the last URL of the URL list, '' if none
  #redirected = false;
  #webSocket = null;

  constructor(body = null, init = undefined) {
    if (body === illegalConstructorKey) return;
    const what = "Failed to construct 'Response'";
    this.#headers = fetch.newHeaders('response');
    const extracted = body === null || body === undefined ? null : fetch.extractBody(body, what);
    initializeResponse(this, readResponseInit(init, what), extracted, what);
  }

  static error() {
    const r = new Response(illegalConstructorKey);
    r.#type = 'error';
    r.#status = 0;
    r.#headers = fetch.headersFromList([], 'immutable');
    return r;
  }

  static redirect(url, status = 302) {
    const what = "Failed to execute 'redirect' on 'Response'";
    requiredArguments(arguments.length, 1, what);
    const href = fetch.parseHref(toUSVString(url), what);
    status = toUnsignedShort(status);
    if (!isRedirectStatus(status)) throw new RangeError(`${what}: ${status} is not a redirect status (301, 302, 303, 307 or 308)`);
    const r = new Response(illegalConstructorKey);
    r.#status = status;
    r.#headers = fetch.headersFromList(['location', href], 'immutable');
    return r;
  }

  static json(data, init = undefined) {
    const what = "Failed to execute 'json' on 'Response'";
    requiredArguments(arguments.length, 1, what);
    const text = JSONStringify(data);
    if (text === undefined) throw new TypeError(`${what}: the data is not JSON serializable`);
    const r = new Response(illegalConstructorKey);
    r.#headers = fetch.newHeaders('response');
    initializeResponse(r, readResponseInit(init, what), { body: fetch.newBody(text), type: 'application/json' }, what);
    return r;
  }

  get type() { return this.#check().#type; }
  get url() { return this.#check().#url; }
  get redirected() { return this.#check().#redirected; }
  get status() { return this.#check().#status; }
  get ok() { const s = this.#check().#status; return s >= 200 && s <= 299; }
  get statusText() { return this.#check().#statusText; }
  get headers() { return this.#check().#headers; }
  // Cloudflare Workers: the client end of a WebSocket pair accepted with status 101.
  get webSocket() { return this.#check().#webSocket; }

  clone() {
    this.#check();
    if (this.#body !== null && fetch.bodyUnusable(this.#body)) {
      throw new TypeError("Failed to execute 'clone' on 'Response': the body has already been used");
    }
    const copy = new Response(illegalConstructorKey);
    copy.#type = this.#type;
    copy.#status = this.#status;
    copy.#statusText = this.#statusText;
    const list = ArrayPrototypeSlice(fetch.headerListOf(this.#headers));
    copy.#headers = fetch.headersFromList(list, fetch.headersGuardOf(this.#headers));
    copy.#body = this.#body === null ? null : fetch.cloneBody(this.#body);
    copy.#url = this.#url;
    copy.#redirected = this.#redirected;
    copy.#webSocket = this.#webSocket;
    return copy;
  }

  #check() {
    if (!(#type in this)) throw new TypeError('Illegal invocation: the receiver is not a Response');
    return this;
  }

  static {
    isResponse = (v) => typeof v === 'object' && v !== null && #type in v;
    responseBody = (r) => r.#check().#body;
    responseHeaders = (r) => fetch.headerListOf(r.#check().#headers);
    // Fetch §5.5 "initialize a response".
    initializeResponse = (r, init, extracted, what) => {
      const status = init.status;
      // Workers: status 101 is how a handler accepts a WebSocket upgrade.
      if ((status < 200 || status > 599) && !(status === 101 && init.webSocket !== null)) {
        throw new RangeError(`${what}: status ${status} is outside the range 200 to 599`);
      }
      if (!isReasonPhrase(init.statusText)) throw new TypeError(`${what}: invalid statusText '${init.statusText}'`);
      r.#status = status;
      r.#statusText = init.statusText;
      r.#webSocket = init.webSocket;
      if (init.headers !== undefined) fetch.fillHeaders(r.#headers, init.headers, what);
      if (extracted !== null) {
        if (isNullBodyStatus(status)) throw new TypeError(`${what}: a response with status ${status} cannot have a body`);
        r.#body = extracted.body;
        const list = fetch.headerListOf(r.#headers);
        if (extracted.type !== null && fetch.getHeader(list, 'content-type') === null) {
          ArrayPrototypePush(list, 'content-type', extracted.type);
          fetch.setHeaderList(r.#headers, list); // drops the sorted cache
        }
      }
    };
    newResponse = (status, statusText, headerList, body, guard = 'immutable', url = '', redirected = false) => {
      const r = new Response(illegalConstructorKey);
      r.#status = status;
      r.#statusText = statusText;
      r.#headers = fetch.headersFromList(fetch.lowercaseNames(headerList), guard);
      if (body !== null && body !== undefined) {
        const inner = fetch.newBody(body);
        if (typeof body !== 'string' && !(body instanceof Uint8Array) && !fetch.isBlob(body)) inner.stream = body;
        r.#body = inner;
      }
      r.#url = url;
      r.#redirected = redirected;
      if (url !== '') r.#type = 'basic';
      return r;
    };
    // Marks the body used and answers it: null | string | Uint8Array | Blob | ReadableStream.
    const takeBody = (r) => {
      const inner = r.#body;
      if (inner === null) return null;
      if (fetch.bodyUnusable(inner)) throw new TypeError('The response body has already been used');
      const body = inner.stream ?? inner.source;
      inner.used = true;
      inner.source = null;
      return body;
    };
    responseParts = (r) => {
      r.#check();
      const body = takeBody(r);
      return {
        status: r.#status, statusText: r.#statusText,
        headerList: ArrayPrototypeSlice(fetch.headerListOf(r.#headers)), body, webSocket: r.#webSocket,
      };
    };
    responseOut = (r) => {
      r.#check();
      const body = takeBody(r);
      return {
        status: r.#status, statusText: r.#statusText,
        headerLines: joinLines(fetch.headerListOf(r.#headers)), body, webSocket: r.#webSocket,
      };
    };
  }
}

ObjectDefineProperty(Response, 'length', { value: 0 });
fetch.mixinBody(Response, (r) => responseBody(r), (r) => responseHeaders(r));
configureInterface(Response);
// Static operations are enumerable too (WebIDL §3.7.6).
for (const key of ['error', 'redirect', 'json']) ObjectDefineProperty(Response, key, { enumerable: true });
exposeInterface('Response', Response);

ObjectAssign(fetch, { Response, isResponse, newResponse, responseParts, responseOut, isNullBodyStatus, isRedirectStatus });
