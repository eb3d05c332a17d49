// Request dispatch, NANO's side of the Workers runtime API: the host hands a request in, this file
// builds the Request, runs the app's handler and hands the Response back through the ops.
//   module syntax:          export default { fetch(request, env, ctx) { ... } }
//   class syntax:           export default class extends WorkerEntrypoint { fetch(request) { ... } }
//                           (from 'cloudflare:workers'; an instance per request, with ctx and env)
//   service-worker syntax:  addEventListener('fetch', (event) => event.respondWith(...))
// One app per context: `install` runs once, after the app's module was evaluated.
const {
  JSONParse, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, ObjectDefineProperty, ObjectFreeze,
  ObjectGetPrototypeOf, ObjectKeys, Promise,
  PromisePrototypeThen, PromiseResolve, SafeMap, TypeError, Uint8Array,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet, SafeWeakMap, WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} = internal.primordials;
const fetchApi = internal.fetch;
const { requiredArguments, configureInterface, exposeInterface, illegalConstructorKey } = internal.webidl;

let handler = null; // the default export, when it has a fetch() method
let HandlerClass = null; // the default export, when it is a class whose instances have one
let useFetchEvents = false; // service-worker syntax
let env; // the app's variables, deep-frozen: one object per context, shared by its requests

function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) deepFreeze(value[keys[i]]);
    ObjectFreeze(value);
  }
  return value;
}

// What a value is, for messages a client may read: its type, never its contents.
function typeName(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const proto = ObjectGetPrototypeOf(value);
  const ctor = proto !== null && typeof proto.constructor === 'function' ? proto.constructor.name : '';
  return ctor ? `an object (${ctor})` : 'an object';
}

// The operator's view of a thrown value that is not an Error (Errors are formatted in Java).
function describe(value) {
  try {
    return internal.inspect ? internal.inspect(value) : `${value}`;
  } catch {
    return typeName(value);
  }
}

// The app's env, before its module is evaluated: `import { env } from 'cloudflare:workers'` reads it
// at the top level (through a registered symbol, from the module ModuleFileSystem serves).
const ENV_KEY = Symbol.for('nano.env'); // taken at bootstrap, before any app code runs
function setEnv(envJson) {
  env = deepFreeze(JSONParse(envJson));
  ObjectDefineProperty(globalThis, ENV_KEY, { value: env, writable: false, enumerable: false, configurable: true });
}

// Returns '' when the app has a fetch handler, else why not.
function install(namespace, envJson) {
  if (env === undefined) setEnv(envJson);
  const exported = namespace !== null && typeof namespace === 'object' ? namespace.default : undefined;
  if (exported !== null && exported !== undefined && typeof exported.fetch === 'function') {
    handler = exported;
    return '';
  }
  if (typeof exported === 'function' && exported.prototype !== null && typeof exported.prototype === 'object'
      && typeof exported.prototype.fetch === 'function') {
    HandlerClass = exported;
    return '';
  }
  if (internal.hasEventListeners(globalThis, 'fetch')) {
    useFetchEvents = true;
    return '';
  }
  if (exported !== undefined) {
    return `the default export (${typeName(exported)}) has no fetch(request, env, ctx) method`;
  }
  return "the app has no fetch handler: use `export default { fetch(request, env, ctx) { ... } }` "
    + "or `addEventListener('fetch', (event) => event.respondWith(...))`";
}

// ---- per-request state: the response plus every waitUntil() promise must settle ----

// What HttpOps tells a request later: onEvent(id, kind, payload). Must match HttpOps's constants.
const EVENT_BODY_CHUNK = 1; // payload: a host ByteBuffer with the next bytes of the request body
const EVENT_BODY_END = 2;
const EVENT_BODY_ERROR = 3; // payload: why the body cannot be read to its end
const EVENT_WRITABLE = 4; // a streamed response paused by the socket may go on
const EVENT_CLIENT_GONE = 5;
const EVENT_ABANDONED = 6; // the answer deadline passed
const EVENT_PIPE_END = 7; // a body passed on by Java (see pipeResponse) is over
// What ops.respondStart answers; must match HttpOps's START_*.
const START_REFUSED = 0;
const START_BODY = 1;
const START_NO_BODY = 2;

// Requests that may still hear from the server (an async handler, a streamed body): id -> state.
// A handler that answers synchronously never enters it.
const live = new SafeMap();

function newState(id) {
  return {
    id, pending: 1, answered: false, request: null, live: false,
    body: null, bodyWait: null, // a streamed request body: its PullSource and the pending pull's resolve
    response: null, // a streamed response body: { stream, resume, finished }
  };
}

function makeLive(state) {
  if (!state.live) {
    state.live = true;
    MapPrototypeSet(live, state.id, state);
  }
}

function settle(state) {
  if (--state.pending === 0) {
    if (state.live) MapPrototypeDelete(live, state.id);
    ops.done(state.id);
  }
}

// Before a whole response goes out: true when it is the request's last piece of work (no
// waitUntil() pending), which the respond op then ends in the same call (one crossing instead of
// two). The request is settled here in that case, else the caller settles it after the op.
function lastAct(state) {
  if (state.pending !== 1) return false;
  state.pending = 0;
  if (state.live) MapPrototypeDelete(live, state.id);
  return true;
}

function waitUntil(state, promise) {
  state.pending++;
  PromisePrototypeThen(PromiseResolve(promise), () => settle(state), (error) => {
    // Workers logs a rejected waitUntil() promise as uncaught; the response is already out.
    internal.reportException(error);
    settle(state);
  });
}

function fail(state, error) {
  if (!state.answered) {
    state.answered = true;
    ops.fail(state.id, error, describe(error));
  }
  settle(state);
}

// The Workers ExecutionContext (`ctx`), one per request.
class ExecutionContext {
  #state;

  constructor(key, state) {
    if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    this.#state = state;
  }

  waitUntil(promise) {
    requiredArguments(arguments.length, 1, "Failed to execute 'waitUntil' on 'ExecutionContext'");
    waitUntil(this.#state, promise);
  }

  // There is no origin behind NANO to fall back to: accepted so that Workers code runs unchanged.
  passThroughOnException() {}
}
configureInterface(ExecutionContext);

// Service Workers §4.6 FetchEvent (ExtendableEvent's waitUntil included), as Workers has it.
// Built on first use: by an app with a fetch event listener, or one touching the global.
function createFetchEvent() {
  const { Event, eventPhaseOf: EventPhase, stopImmediatePropagation } = internal.events();

  class FetchEvent extends Event {
    #request;
    #state = null;
    #respondWithEntered = false;
    #response = undefined;

    constructor(type, eventInitDict) {
      requiredArguments(arguments.length, 2, "Failed to construct 'FetchEvent'");
      super(type, eventInitDict);
      const request = eventInitDict.request;
      if (!fetchApi.isRequest(request)) {
        throw new TypeError("Failed to construct 'FetchEvent': member request is not of type Request.");
      }
      this.#request = request;
    }

    get request() {
      return this.#request;
    }

    respondWith(r) {
      requiredArguments(arguments.length, 1, "Failed to execute 'respondWith' on 'FetchEvent'");
      if (EventPhase(this) === 0) {
        throw new internal.DOMException(
          "Failed to execute 'respondWith' on 'FetchEvent': it must be called synchronously in the event listener",
          'InvalidStateError');
      }
      if (this.#respondWithEntered) {
        throw new internal.DOMException(
          "Failed to execute 'respondWith' on 'FetchEvent': respondWith() was already called", 'InvalidStateError');
      }
      this.#respondWithEntered = true;
      this.#response = r;
      stopImmediatePropagation(this);
    }

    waitUntil(promise) {
      requiredArguments(arguments.length, 1, "Failed to execute 'waitUntil' on 'FetchEvent'");
      if (this.#state !== null) waitUntil(this.#state, promise);
    }

    passThroughOnException() {}

    static attach(event, state) {
      event.#state = state;
    }

    static result(event) {
      return event.#respondWithEntered ? { value: event.#response } : null;
    }
  }
  const attach = FetchEvent.attach;
  const result = FetchEvent.result;
  delete FetchEvent.attach;
  delete FetchEvent.result;
  configureInterface(FetchEvent);
  return { FetchEvent, attach, result };
}
const fetchEvents = internal.exposeLazily(['FetchEvent'], createFetchEvent);

// ---- Request in ----

// `body` is a host ByteBuffer owned by this request (the Uint8Array is a view of it, adopted as is),
// or null; `streamed`: the body is still arriving, and becomes a stream the app pulls from the socket.
function newRequest(state, method, url, headerLines, body, streamed) {
  let bytes = null;
  if (method !== 'GET' && method !== 'HEAD') {
    if (streamed) bytes = requestBodyStream(state);
    else if (body !== null && body !== undefined) bytes = new Uint8Array(body);
  }
  return fetchApi.newRequest(method, url, headerLines, bytes); // the lines are split if the app reads them
}

// The request body as a byte stream: each pull asks HttpOps for the next piece, which arrives as an
// EVENT_BODY_* (the socket is read only while someone pulls).
function requestBodyStream(state) {
  makeLive(state);
  const id = state.id;
  const pull = () => new Promise((resolve) => {
    state.bodyWait = resolve;
    ops.bodyPull(id);
  });
  state.body = internal.streams.createPullStream(pull, () => ops.bodyCancel(id), 0);
  if (bodyStates === null) bodyStates = new SafeWeakMap();
  WeakMapPrototypeSet(bodyStates, state.body.stream, state);
  return state.body.stream;
}

// A request body stream -> its request's state (made on the first streamed body)
let bodyStates = null;

// The incoming request's own body stream, not read yet, can be moved by Java: sent upstream by
// fetch() (FetchOps.pipeUpload) or echoed back as a response (streamResponse, HttpOps.pipeRequestBody). pipeableBody answers its request id (0: not such a stream), takeBody then
// takes it from JS: locked for good, and its events no longer come here.
internal.http = {
  pipeableBody(stream) {
    const state = bodyStates === null ? undefined : WeakMapPrototypeGet(bodyStates, stream);
    if (state === undefined || state.body === null || state.bodyWait !== null) return 0;
    const streams = internal.streams;
    return streams.isLocked(stream) || streams.isDisturbed(stream) ? 0 : state.id;
  },
  takeBody(stream) {
    internal.streams.getReader(stream);
    WeakMapPrototypeGet(bodyStates, stream).body = null;
  },
};

function bodyEvent(state, kind, payload) {
  const source = state.body;
  const resolve = state.bodyWait;
  state.bodyWait = null;
  if (kind === EVENT_BODY_CHUNK) {
    // The host's buffer cannot be transferred into the stream: copy it into one of ours.
    const view = new Uint8Array(payload);
    const bytes = new Uint8Array(TypedArrayPrototypeGetByteLength(view));
    TypedArrayPrototypeSet(bytes, view);
    source.enqueue(bytes);
  } else if (kind === EVENT_BODY_END) {
    source.close();
  } else if (source.desiredSize !== null) {
    source.error(new TypeError(`Failed to read the request body: ${payload}`));
  }
  if (resolve !== null) resolve();
}

// ---- Response out ----

function sendBytes(state, parts, headers, bytes) {
  const last = lastAct(state);
  ops.respondBytes(state.id, parts.status, parts.statusText, headers, TypedArrayPrototypeGetBuffer(bytes),
    TypedArrayPrototypeGetByteOffset(bytes), TypedArrayPrototypeGetByteLength(bytes), last);
  if (!last) settle(state);
}

// A ReadableStream body goes to the socket chunk by chunk as the app produces it. The next chunk is
// read only while the socket takes more (ops.respondChunk answers false: wait for EVENT_WRITABLE),
// and what was written is flushed whenever the stream has nothing more ready, so that a slow
// producer's chunks (server-sent events) reach the client at once.
// Bytes of a streamed response written in one task at most: while the client keeps up, the rest is
// written in later tasks, so one response neither holds its worker thread (other requests and
// timers wait for the task to end) nor counts, for the watchdog's limits, as one task that
// allocated the whole body.
const PUMP_TURN_BYTES = 1 << 20;

function streamResponse(state, parts, headers, stream) {
  const fetchId = internal.fetchBodyToPipe(stream);
  if (fetchId !== 0) {
    const fetchOps = internal.fetchOps;
    return pipeResponse(state, parts, headers, stream, (sink) => fetchOps.pipeBody(fetchId, sink),
      () => fetchOps.abort(fetchId), 'the fetched body ended before it could be passed on');
  }
  const requestId = internal.http.pipeableBody(stream);
  if (requestId !== 0) { // a request's own body, untouched, echoed back
    internal.http.takeBody(stream);
    return pipeResponse(state, parts, headers, stream, (sink) => ops.pipeRequestBody(requestId, sink),
      () => ops.bodyCancel(requestId), 'the request body ended before it could be passed on');
  }
  const id = state.id;
  const streams = internal.streams;
  const start = ops.respondStart(id, parts.status, parts.statusText, headers);
  if (start === START_REFUSED || start === START_NO_BODY) {
    // nothing will read it (HEAD, 204/304, or the client is gone): the app's source is cancelled
    PromisePrototypeThen(streams.cancel(stream, undefined), undefined, () => {});
    if (start === START_NO_BODY) ops.respondEnd(id);
    return settle(state);
  }
  const reader = streams.getReader(stream);
  const response = { stream, resume: null, finished: false };
  state.response = response;
  makeLive(state);
  let inRead = false; // a chunk that arrives while read() runs loops instead of recursing
  let readAgain = false;
  let gotChunk = false;
  let unflushed = false; // chunks written since the last flush
  let turnBytes = 0; // written in this task (see PUMP_TURN_BYTES)
  const finish = () => {
    response.finished = true;
    streams.releaseReader(reader);
    settle(state);
  };
  const request = {
    chunk(value) {
      if (response.finished) return;
      gotChunk = true;
      if (TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Uint8Array') {
        const message = `a response body stream must produce Uint8Array chunks, but it produced ${typeName(value)}`;
        PromisePrototypeThen(streams.cancel(stream, new TypeError(message)), undefined, () => {});
        ops.streamInvalid(id, message);
        return finish();
      }
      unflushed = true;
      const length = TypedArrayPrototypeGetByteLength(value);
      const more = ops.respondChunk(id, TypedArrayPrototypeGetBuffer(value), TypedArrayPrototypeGetByteOffset(value),
        length);
      if (!more) return; // EVENT_WRITABLE or EVENT_CLIENT_GONE comes next
      turnBytes += length;
      if (turnBytes >= PUMP_TURN_BYTES) { // a fast client: go on in a later task
        unflushed = false;
        ops.respondFlush(id);
        internal.queueBodyTask(resume);
        return;
      }
      if (inRead) readAgain = true;
      else pump();
    },
    close() {
      if (response.finished) return;
      ops.respondEnd(id);
      finish();
    },
    error(e) {
      if (response.finished) return;
      ops.streamFailed(id, e, describe(e));
      finish();
    },
  };
  function pump() {
    do {
      readAgain = false;
      gotChunk = false;
      inRead = true;
      streams.read(reader, request);
      inRead = false;
    } while (readAgain && !response.finished);
    if (!gotChunk && unflushed && !response.finished) { // the stream has nothing ready now
      unflushed = false;
      ops.respondFlush(id);
    }
  }
  // A later task: the socket has room again (EVENT_WRITABLE), or this task wrote its share.
  function resume() {
    turnBytes = 0;
    if (!response.finished) pump();
  }
  response.resume = resume;
  pump();
}

// An unread body passed on as the response (a fetch() body, or a request's own body): Java moves its
// bytes to the client (HttpOps.pipeSink; passOn connects the source to it) and sends EVENT_PIPE_END
// when it is over. giveUp drops the source when nothing will take it.
function pipeResponse(state, parts, headers, stream, passOn, giveUp, gone) {
  const id = state.id;
  const start = ops.respondStart(id, parts.status, parts.statusText, headers);
  const sink = start === START_BODY ? ops.pipeSink(id) : null;
  if (sink === null || !passOn(sink)) {
    giveUp();
    if (start === START_NO_BODY) ops.respondEnd(id);
    else if (start === START_BODY) ops.streamInvalid(id, gone);
    return settle(state);
  }
  state.response = { stream, resume: () => {}, finished: false }; // HttpOps gives the pipe the socket's WRITABLE
  makeLive(state);
}

// The client went away (or the server stopped waiting): the app hears it through request.signal,
// a response stream's source is cancelled, and a request body stream errors.
function clientGone(state, reason) {
  if (state.live) {
    state.live = false;
    MapPrototypeDelete(live, state.id);
  }
  if (state.request !== null) fetchApi.abortRequest(state.request, reason);
  if (state.body !== null) bodyEvent(state, EVENT_BODY_ERROR, reason.message);
  const response = state.response;
  if (response !== null && !response.finished) {
    response.finished = true;
    PromisePrototypeThen(internal.streams.cancel(response.stream, reason), undefined, () => {});
    settle(state);
  }
}

function onEvent(id, kind, payload) {
  const state = MapPrototypeGet(live, id);
  if (state === undefined) return;
  if (kind <= EVENT_BODY_ERROR) {
    if (state.body !== null) bodyEvent(state, kind, payload);
  } else if (kind === EVENT_WRITABLE) {
    if (state.response !== null && !state.response.finished) state.response.resume();
  } else if (kind === EVENT_PIPE_END) {
    if (state.response !== null && !state.response.finished) {
      state.response.finished = true;
      settle(state);
    }
  } else {
    clientGone(state, kind === EVENT_CLIENT_GONE
      ? new internal.DOMException('The client closed the connection', 'AbortError')
      : new internal.DOMException('The server stopped waiting for the response (limits.timeoutMs)', 'TimeoutError'));
  }
}

function answer(state, response) {
  if (state.answered) return settle(state);
  if (!fetchApi.isResponse(response)) {
    state.answered = true;
    ops.invalidResponse(state.id, `the fetch handler returned ${typeName(response)} instead of a Response`);
    return settle(state);
  }
  let parts;
  try {
    parts = fetchApi.responseOut(response);
  } catch (error) {
    return fail(state, error);
  }
  state.answered = true;
  if (parts.status === 0) {
    ops.invalidResponse(state.id, 'the fetch handler returned Response.error()');
    return settle(state);
  }
  const headers = parts.headerLines;
  if (parts.webSocket !== null && parts.webSocket !== undefined) return answerWebSocket(state, parts, headers);
  const body = parts.body;
  if (body === null || body === undefined) {
    const last = lastAct(state);
    ops.respondBytes(state.id, parts.status, parts.statusText, headers, null, 0, 0, last);
    return last ? undefined : settle(state);
  }
  if (typeof body === 'string') {
    const last = lastAct(state);
    ops.respondText(state.id, parts.status, parts.statusText, headers, body, last);
    return last ? undefined : settle(state);
  }
  if (body instanceof Uint8Array) return sendBytes(state, parts, headers, body);
  if (fetchApi.isBlob(body)) return sendBytes(state, parts, headers, fetchApi.blobBytes(body));
  streamResponse(state, parts, headers, body);
}

// Workers: `new Response(null, { status: 101, webSocket: client })` accepts a WebSocket upgrade; the
// connection then belongs to the pair's other end (ext/websocket).
function answerWebSocket(state, parts, headers) {
  let problem = parts.status === 101 ? internal.websocket.checkAttach(parts.webSocket)
    : `a Response with a webSocket must have status 101, not ${parts.status}`;
  if (problem === '') {
    const socketId = ops.respondWebSocket(state.id, headers);
    if (socketId > 0) {
      internal.websocket.attach(parts.webSocket, socketId);
      return settle(state);
    }
    problem = ops.webSocketError();
  }
  ops.invalidResponse(state.id, problem);
  return settle(state);
}

function dispatch(id, method, url, headerLines, body, streamed) {
  const state = newState(id);
  let result;
  try {
    const request = newRequest(state, method, url, headerLines, body, streamed);
    state.request = request;
    if (useFetchEvents) {
      const { FetchEvent, attach, result: fetchEventResult } = fetchEvents();
      const event = new FetchEvent('fetch', { request });
      attach(event, state);
      internal.dispatchGlobalEvent(event);
      const responded = fetchEventResult(event);
      if (responded === null) {
        state.answered = true;
        ops.invalidResponse(id, "no 'fetch' event listener called event.respondWith()");
        return settle(state);
      }
      result = responded.value;
    } else if (HandlerClass !== null) {
      result = new HandlerClass(new ExecutionContext(illegalConstructorKey, state), env).fetch(request);
    } else {
      result = handler.fetch(request, env, new ExecutionContext(illegalConstructorKey, state));
    }
  } catch (error) {
    return fail(state, error);
  }
  if (fetchApi.isResponse(result)) return answer(state, result); // no promise turn needed
  makeLive(state); // the handler runs on: it hears if the client goes away
  PromisePrototypeThen(PromiseResolve(result), (response) => answer(state, response), (error) => fail(state, error));
}

ops.register(install, dispatch, onEvent, setEnv);
internal.httpOps = ops; // where Java finds this context's ops (HttpOps.of)
