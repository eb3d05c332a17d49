// WebSocket (WHATWG WebSockets Standard, as far as it applies to a server), MessageEvent, CloseEvent
// and Cloudflare Workers' WebSocketPair. A server socket is one end of a pair:
//   const [client, server] = Object.values(new WebSocketPair());
//   server.accept();  server.addEventListener('message', ...);
//   return new Response(null, { status: 101, webSocket: client });
// ext/http/00_dispatch.js then upgrades the connection (internal.websocket.attach) and the server end
// talks to the network through Java (dev.nano.ext.websocket.WebSocketOps; the Netty side is
// dev.nano.server.WebSocketUpgrade/WebSocketSession). Events arrive in order on the context's loop;
// those that arrive before accept() wait for it. When both ends are accept()ed, the pair talks
// in-process. `new WebSocket(url, protocols)` opens a connection to another server (WebSocketOps.connect,
// on the JDK's WebSocket client, under the app's fetch address rules); fetch() with `Upgrade: websocket`
// gets one as a 101 Response's webSocket (connectForFetch), which the app accept()s.
// Nothing here is built until the app first touches one of these globals.

// Must match WebSocketOps' kinds.
const KIND_TEXT = 0;
const KIND_BINARY = 1;
const KIND_CLOSE = 2;
const KIND_ERROR = 3;
const KIND_OPEN = 4;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

function createApi() {
  const {
    configureInterface, illegalConstructorKey, requiredArguments, toDOMString, toUSVString, toUnsignedLong,
  } = internal.webidl;
  const {
    ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayPrototypeIncludes, ArrayPrototypeJoin,
    StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeStartsWith,
    SymbolIterator, FunctionPrototypeCall, ArrayPrototypePush, ArrayPrototypeShift, ObjectDefineProperty,
    PromisePrototypeThen, PromiseResolve, SafeMap, MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete,
    TypeError, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet,
    Uint8Array, StringPrototypeSplit, StringPrototypeTrim, StringPrototypeToLowerCase,
    ArrayBufferViewGetBuffer, ArrayBufferViewGetByteOffset, ArrayBufferViewGetByteLength,
  } = internal.primordials;
  const { DOMException, EventTarget } = internal;
  const { Event, ErrorEvent } = internal.events();
  const fetch = internal.fetch;
  const sockets = new SafeMap(); // Java id -> socket state, while the connection is open

  // HTML's MessageEvent, shared with MessagePort (ext/web/09_message_channel.js).
  const MessageEvent = internal.messageEventClass();

  // WebSockets Standard §6 CloseEvent.
  class CloseEvent extends Event {
    #wasClean = false;
    #code = 0;
    #reason = '';

    constructor(type, eventInitDict = undefined) {
      requiredArguments(arguments.length, 1, "Failed to construct 'CloseEvent'");
      super(type, eventInitDict);
      const init = fetch.toDictionary(eventInitDict, "Failed to construct 'CloseEvent'");
      if (init !== undefined) {
        if (init.code !== undefined) this.#code = toUnsignedLong(init.code) & 0xffff;
        if (init.reason !== undefined) this.#reason = toUSVString(init.reason);
        if (init.wasClean !== undefined) this.#wasClean = !!init.wasClean;
      }
    }

    get wasClean() { return this.#check().#wasClean; }
    get code() { return this.#check().#code; }
    get reason() { return this.#check().#reason; }

    #check() {
      if (!(#code in this)) throw new TypeError('Illegal invocation');
      return this;
    }
  }
  configureInterface(CloseEvent);

  // Bytes of a BufferSource or Blob, copied (the app may change its buffer after send()).
  function bytesOf(data) {
    if (fetch.isBlob(data)) return fetch.blobBytes(data);
    let buffer;
    let offset = 0;
    let length;
    if (ArrayBufferIsView(data)) {
      buffer = ArrayBufferViewGetBuffer(data);
      offset = ArrayBufferViewGetByteOffset(data);
      length = ArrayBufferViewGetByteLength(data);
    } else {
      buffer = data;
      length = ArrayBufferPrototypeGetByteLength(data);
    }
    const out = new Uint8Array(length);
    TypedArrayPrototypeSet(out, new Uint8Array(buffer, offset, length));
    return out;
  }

  function isArrayBuffer(v) {
    if (typeof v !== 'object' || v === null) return false;
    try {
      ArrayBufferPrototypeGetByteLength(v);
      return true;
    } catch {
      return false;
    }
  }

  // UTF-8 length of a string, for bufferedAmount and the 123-byte close reason limit.
  function utf8Length(s) {
    return TypedArrayPrototypeGetByteLength(internal.encodeUtf8(s));
  }

  let stateOf;
  const later = (fn) => { PromisePrototypeThen(PromiseResolve(), fn); }; // a microtask, in order

  // The one place events are fired; before accept() they wait in s.pending.
  function fire(s, event) {
    if (!s.accepted) {
      ArrayPrototypePush(s.pending, event);
      return;
    }
    internal.dispatchTrusted(s.socket, event);
  }

  function message(s, data) {
    if (s.readyState === CLOSED) return; // (a server end not accept()ed yet keeps its messages for accept())
    fire(s, new MessageEvent('message', { data }));
  }

  function closed(s, code, reason, wasClean) {
    if (s.readyState === CLOSED) return;
    s.readyState = CLOSED;
    fire(s, new CloseEvent('close', { code, reason, wasClean }));
  }

  function binaryData(s, bytes) { // bytes: a fresh Uint8Array covering its whole buffer
    return s.binaryType === 'blob' ? new (fetch.blobApi().Blob)([bytes]) : TypedArrayPrototypeGetBuffer(bytes);
  }

  // WebSockets Standard §3 "new WebSocket(url, protocols)" steps 1-4 (there is no base URL on a
  // server): the URL to connect to, with http(s) mapped to ws(s), or a SyntaxError.
  function webSocketUrl(input, what) {
    const url = internal.url.parse(input);
    if (url === null) throw new DOMException(`${what}: the URL '${input}' is invalid`, 'SyntaxError');
    let href = internal.url.hrefOf(url);
    if (StringPrototypeStartsWith(href, 'http:')) href = 'ws:' + StringPrototypeSlice(href, 5);
    else if (StringPrototypeStartsWith(href, 'https:')) href = 'wss:' + StringPrototypeSlice(href, 6);
    if (!StringPrototypeStartsWith(href, 'ws:') && !StringPrototypeStartsWith(href, 'wss:')) {
      const scheme = StringPrototypeSlice(href, 0, StringPrototypeIndexOf(href, ':'));
      throw new DOMException(`${what}: the URL's scheme must be 'ws', 'wss', 'http' or 'https'; '${scheme}' is not allowed`,
        'SyntaxError');
    }
    if (StringPrototypeIndexOf(href, '#') >= 0) {
      throw new DOMException(`${what}: the URL '${href}' contains a fragment; fragments are not allowed in WebSocket URLs`,
        'SyntaxError');
    }
    return href;
  }

  const TOKEN_CHARS = "!#$%&'*+-.^_`|~";
  function isToken(v) {
    if (v.length === 0) return false;
    for (let i = 0; i < v.length; i++) {
      const c = StringPrototypeCharCodeAt(v, i);
      const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (!alnum && (c > 127 || StringPrototypeIndexOf(TOKEN_CHARS, v[i]) < 0)) return false;
    }
    return true;
  }

  // protocols: (DOMString or sequence<DOMString>); steps 5-6: tokens, each at most once.
  function protocolList(protocols, what) {
    const list = [];
    if (protocols === undefined) return list;
    if (typeof protocols === 'object' && protocols !== null && typeof protocols[SymbolIterator] === 'function') {
      const iterator = FunctionPrototypeCall(protocols[SymbolIterator], protocols);
      for (;;) {
        const step = iterator.next();
        if (step.done) break;
        ArrayPrototypePush(list, toDOMString(step.value));
      }
    } else {
      ArrayPrototypePush(list, toDOMString(protocols));
    }
    for (let i = 0; i < list.length; i++) {
      if (!isToken(list[i])) throw new DOMException(`${what}: the subprotocol '${list[i]}' is invalid`, 'SyntaxError');
      for (let j = 0; j < i; j++) {
        if (list[j] === list[i]) throw new DOMException(`${what}: the subprotocol '${list[i]}' is duplicated`, 'SyntaxError');
      }
    }
    return list;
  }

  // Opens a connection for a new client socket state `s` (accepted: events go to the app at once).
  function connect(s, href, list, headerLines) {
    s.url = href;
    s.id = ops.connect(href, ArrayPrototypeJoin(list, '\n'), headerLines);
    MapPrototypeSet(sockets, s.id, s);
  }

  class WebSocket extends EventTarget {
    #s;

    constructor(url, protocols = undefined) {
      if (url === illegalConstructorKey) {
        super();
        this.#s = protocols; // the pair's state
        return;
      }
      const what = "Failed to construct 'WebSocket'";
      requiredArguments(arguments.length, 1, what);
      const href = webSocketUrl(toUSVString(url), what);
      const list = protocolList(protocols, what);
      super();
      const s = newState();
      s.socket = this;
      s.accepted = true;
      s.binaryType = 'blob'; // the Standard's default; Workers' pair and fetch() sockets keep 'arraybuffer'
      this.#s = s;
      connect(s, href, list, '');
    }

    get url() { return this.#check().url; }
    get readyState() { return this.#check().readyState; }
    get protocol() { return this.#check().protocol; }
    get extensions() { return this.#check().extensions; }

    get bufferedAmount() {
      const s = this.#check();
      return s.queuedBytes + (s.id > 0 ? ops.bufferedAmount(s.id) : 0);
    }

    get binaryType() { return this.#check().binaryType; }
    set binaryType(value) {
      const s = this.#check();
      const v = toDOMString(value);
      if (v === 'blob' || v === 'arraybuffer') s.binaryType = v; // other values are ignored (WebIDL enum attribute)
    }

    // Workers: start delivering this end's events to the app; required before send().
    accept() {
      const s = this.#check();
      if (s.accepted) throw new DOMException("Failed to execute 'accept' on 'WebSocket': it was already accepted", 'InvalidStateError');
      if (s.inResponse) {
        throw new DOMException("Failed to execute 'accept' on 'WebSocket': this end was returned in a Response; accept the other end",
          'InvalidStateError');
      }
      s.accepted = true;
      if (s.readyState === CONNECTING) s.readyState = OPEN;
      const pending = s.pending;
      s.pending = [];
      later(() => { for (let i = 0; i < pending.length; i++) internal.dispatchTrusted(this, pending[i]); });
      // In-process pair: what the other end sent (or its close) while this end was not accepted.
      const peer = s.peer;
      if (peer !== null && peer.id === 0 && (peer.outbox.length > 0 || peer.pendingClose !== null)) {
        const outbox = peer.outbox;
        const close = peer.pendingClose;
        peer.outbox = [];
        peer.queuedBytes = 0;
        peer.pendingClose = null;
        later(() => {
          for (let i = 0; i < outbox.length; i++) {
            message(s, typeof outbox[i] === 'string' ? outbox[i] : binaryData(s, outbox[i]));
          }
          if (close !== null) {
            const code = close.code < 0 ? 1005 : close.code;
            closed(s, code, close.reason, true);
            closed(peer, code, close.reason, true);
          }
        });
      }
    }

    // WebSockets Standard §4 send(): (BufferSource or Blob or USVString).
    send(data) {
      const s = this.#check();
      requiredArguments(arguments.length, 1, "Failed to execute 'send' on 'WebSocket'");
      if (s.readyState === CONNECTING) {
        throw new DOMException("Failed to execute 'send' on 'WebSocket': "
          + (s.peer === null ? 'the WebSocket is still connecting; wait for its open event' : 'call accept() first'),
          'InvalidStateError');
      }
      let text = null;
      let bytes = null;
      if (typeof data === 'string') text = toUSVString(data); // first: isArrayBuffer() throws inside for a non-buffer
      else if (fetch.isBlob(data) || ArrayBufferIsView(data) || isArrayBuffer(data)) bytes = bytesOf(data);
      else text = toUSVString(data);
      if (s.readyState !== OPEN) return; // closing or closed: discarded
      const peer = s.peer;
      if (s.id > 0) {
        if (text !== null) ops.sendText(s.id, text);
        else ops.sendBinary(s.id, TypedArrayPrototypeGetBuffer(bytes), 0, TypedArrayPrototypeGetByteLength(bytes));
      } else if (peer.accepted && peer.id === 0 && !peer.inResponse) { // both ends here: in-process
        later(() => message(peer, text !== null ? text : binaryData(peer, bytes)));
      } else { // the Response carrying the other end has not gone out yet
        ArrayPrototypePush(s.outbox, text !== null ? text : bytes);
        s.queuedBytes += text !== null ? utf8Length(text) : TypedArrayPrototypeGetByteLength(bytes);
      }
    }

    // WebSockets Standard §4 close(code, reason).
    close(code = undefined, reason = undefined) {
      const s = this.#check();
      const what = "Failed to execute 'close' on 'WebSocket'";
      if (code !== undefined) {
        code = toUnsignedLong(code) & 0xffff; // [Clamp] unsigned short
        if (code !== 1000 && (code < 3000 || code > 4999)) {
          throw new DOMException(`${what}: the code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
            'InvalidAccessError');
        }
      }
      if (reason !== undefined) {
        reason = toUSVString(reason);
        if (utf8Length(reason) > 123) {
          throw new DOMException(`${what}: the reason must not be longer than 123 bytes of UTF-8`, 'SyntaxError');
        }
      } else {
        reason = '';
      }
      if (s.readyState === CLOSING || s.readyState === CLOSED) return;
      s.readyState = CLOSING;
      const peer = s.peer;
      if (s.id > 0) {
        ops.close(s.id, code === undefined ? -1 : code, reason);
      } else if (peer.accepted && peer.id === 0 && !peer.inResponse) {
        const c = code === undefined ? 1005 : code;
        later(() => { closed(peer, c, reason, true); closed(s, c, reason, true); });
      } else {
        s.pendingClose = { code: code === undefined ? -1 : code, reason };
      }
    }

    #check() {
      if (!(#s in this)) throw new TypeError('Illegal invocation: the receiver is not a WebSocket');
      return this.#s;
    }

    static {
      stateOf = (ws) => (typeof ws === 'object' && ws !== null && #s in ws ? ws.#s : null);
    }
  }
  const CONSTANTS = [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]];
  for (let i = 0; i < CONSTANTS.length; i++) {
    const desc = { value: CONSTANTS[i][1], writable: false, enumerable: true, configurable: false };
    ObjectDefineProperty(WebSocket, CONSTANTS[i][0], desc);
    ObjectDefineProperty(WebSocket.prototype, CONSTANTS[i][0], desc);
  }
  const isWebSocket = (v) => stateOf(v) !== null;
  internal.defineEventHandler(WebSocket.prototype, 'open', isWebSocket);
  internal.defineEventHandler(WebSocket.prototype, 'message', isWebSocket);
  internal.defineEventHandler(WebSocket.prototype, 'error', isWebSocket);
  internal.defineEventHandler(WebSocket.prototype, 'close', isWebSocket);
  configureInterface(WebSocket);

  function newState() {
    return {
      socket: null, peer: null, id: 0, readyState: CONNECTING, binaryType: 'arraybuffer', accepted: false,
      inResponse: false, pending: [], outbox: [], queuedBytes: 0, pendingClose: null, url: null, protocol: '',
      extensions: '', upgrade: null,
    };
  }

  // Cloudflare Workers: two connected WebSockets, reachable as pair[0] (client) and pair[1] (server).
  class WebSocketPair {
    constructor() {
      const a = newState();
      const b = newState();
      a.peer = b;
      b.peer = a;
      a.socket = new WebSocket(illegalConstructorKey, a);
      b.socket = new WebSocket(illegalConstructorKey, b);
      ObjectDefineProperty(this, 0, { value: a.socket, writable: true, enumerable: true, configurable: true });
      ObjectDefineProperty(this, 1, { value: b.socket, writable: true, enumerable: true, configurable: true });
    }
  }
  configureInterface(WebSocketPair);

  // ---- for ext/http/00_dispatch.js and the ops ----

  // Checks the webSocket of a 101 Response before the upgrade; returns why not, or ''.
  function checkAttach(ws) {
    const s = stateOf(ws);
    if (s === null) return 'the webSocket of the Response is not a WebSocket';
    if (s.peer === null) return 'the webSocket of the Response is not one end of a WebSocketPair';
    if (s.accepted) return "the webSocket of the Response was accept()ed: return the other end of the pair";
    if (s.inResponse || s.peer.id > 0) return 'this WebSocket was already returned in a Response';
    return '';
  }

  // The network connection `id` now backs the pair's other end (the one the app keeps).
  function attach(ws, id) {
    const s = stateOf(ws);
    s.inResponse = true;
    s.readyState = OPEN;
    const server = s.peer;
    server.id = id;
    server.protocol = ops.protocol(id);
    server.extensions = ops.extensions(id);
    MapPrototypeSet(sockets, id, server);
    const outbox = server.outbox;
    server.outbox = [];
    server.queuedBytes = 0;
    for (let i = 0; i < outbox.length; i++) {
      const m = outbox[i];
      if (typeof m === 'string') ops.sendText(id, m);
      else ops.sendBinary(id, TypedArrayPrototypeGetBuffer(m), 0, TypedArrayPrototypeGetByteLength(m));
    }
    if (server.pendingClose !== null) ops.close(id, server.pendingClose.code, server.pendingClose.reason);
  }

  function deliver(id, kind, data, code, reason) {
    const s = MapPrototypeGet(sockets, id);
    if (s === undefined) return;
    if (kind === KIND_TEXT) {
      message(s, data);
    } else if (kind === KIND_BINARY) {
      const view = new Uint8Array(data);
      const bytes = new Uint8Array(TypedArrayPrototypeGetByteLength(view));
      TypedArrayPrototypeSet(bytes, view);
      message(s, binaryData(s, bytes));
    } else if (kind === KIND_OPEN) {
      if (s.readyState !== CONNECTING) return; // close() was called meanwhile: the failure follows
      s.readyState = OPEN;
      s.protocol = data;
      s.extensions = reason;
      if (s.upgrade !== null) { // fetch() with Upgrade: websocket
        const upgrade = s.upgrade;
        s.upgrade = null;
        const headers = s.protocol === '' ? undefined : { 'sec-websocket-protocol': s.protocol };
        upgrade.resolve(new fetch.Response(null, { status: 101, statusText: 'Switching Protocols', webSocket: s.socket, headers }));
      } else {
        fire(s, new Event('open'));
      }
    } else if (kind === KIND_ERROR) {
      if (s.upgrade !== null) {
        s.upgrade.reject(new TypeError(`fetch failed: ${data}`));
        s.upgrade = null;
        s.readyState = CLOSED;
        return;
      }
      // As Deno does: an ErrorEvent whose message says why (the Standard's plain Event says nothing).
      fire(s, s.peer === null ? new ErrorEvent('error', { message: data }) : new Event('error'));
    } else if (kind === KIND_CLOSE) {
      MapPrototypeDelete(sockets, id);
      closed(s, code, reason, data === true);
    }
  }

  // fetch(url, { headers: { Upgrade: 'websocket' } }) (Workers): resolves with a 101 Response whose
  // webSocket is connected to url; the app accept()s it before its events are delivered.
  function connectForFetch(url, headerList, resolve, reject) {
    const what = 'fetch failed';
    let href;
    let list = [];
    const rest = [];
    try {
      href = webSocketUrl(url, what);
      for (let i = 0; i < headerList.length; i += 2) {
        const name = StringPrototypeToLowerCase(headerList[i]);
        if (name === 'sec-websocket-protocol') {
          const parts = StringPrototypeSplit(headerList[i + 1], ',');
          for (let j = 0; j < parts.length; j++) ArrayPrototypePush(list, StringPrototypeTrim(parts[j]));
        } else if (name !== 'upgrade' && name !== 'connection' && name !== 'host' && name !== 'content-length'
            && !StringPrototypeStartsWith(name, 'sec-websocket-')) {
          ArrayPrototypePush(rest, headerList[i], headerList[i + 1]);
        }
      }
      list = protocolList(list, what);
    } catch (e) {
      reject(new TypeError(e.message));
      return;
    }
    const s = newState();
    s.upgrade = { resolve, reject };
    s.socket = new WebSocket(illegalConstructorKey, s);
    connect(s, href, list, ArrayPrototypeJoin(rest, '\n'));
  }

  return { WebSocket, WebSocketPair, CloseEvent, checkAttach, attach, deliver, connectForFetch };
}

const api = internal.exposeLazily(['WebSocket', 'WebSocketPair', 'CloseEvent'], createApi);
ops.register((id, kind, data, code, reason) => api().deliver(id, kind, data, code, reason));
internal.webSocketOps = ops; // where Java finds this context's ops (WebSocketOps.of)
internal.websocket = {
  __proto__: null,
  checkAttach: (ws) => api().checkAttach(ws),
  attach: (ws, id) => api().attach(ws, id),
  connectForFetch: (url, headerList, resolve, reject) => api().connectForFetch(url, headerList, resolve, reject),
};
