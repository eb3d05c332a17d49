// Request dispatch, NANO's side of the Workers runtime API: the host hands a request in, this file
// builds the Request, runs the app's handler and hands the Response back through the ops.
//   module syntax:          export default { fetch(request, env, ctx) { ... } }
//   service-worker syntax:  addEventListener('fetch', (event) => event.respondWith(...))
// One app per context: `install` runs once, after the app's module was evaluated.
const {
  ArrayPrototypeJoin, ArrayPrototypePush, JSONParse, ObjectFreeze, ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf, ObjectKeys,
  PromisePrototypeThen, PromiseResolve, StringPrototypeSplit, TypeError, Uint8Array, uncurryThis,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetByteLength,
} = internal.primordials;
const fetchApi = internal.fetch;
const { requiredArguments, configureInterface, exposeInterface, illegalConstructorKey } = internal.webidl;

let handler = null; // the default export, when it has a fetch() method
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

// Returns '' when the app has a fetch handler, else why not.
function install(namespace, envJson) {
  env = deepFreeze(JSONParse(envJson));
  const exported = namespace !== null && typeof namespace === 'object' ? namespace.default : undefined;
  if (exported !== null && exported !== undefined && typeof exported.fetch === 'function') {
    handler = exported;
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

function newState(id) {
  return { id, pending: 1, answered: false };
}

function settle(state) {
  if (--state.pending === 0) ops.done(state.id);
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
const EventPhase = uncurryThis(ObjectGetOwnPropertyDescriptor(internal.Event.prototype, 'eventPhase').get);
const stopImmediatePropagation = uncurryThis(internal.Event.prototype.stopImmediatePropagation);

class FetchEvent extends internal.Event {
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
const attachState = FetchEvent.attach;
const fetchEventResult = FetchEvent.result;
delete FetchEvent.attach;
delete FetchEvent.result;
configureInterface(FetchEvent);
exposeInterface('FetchEvent', FetchEvent);

// ---- Request in ----

// `body` is a host ByteBuffer owned by this request: the Uint8Array is a view of it, adopted as is.
function newRequest(method, url, headerLines, body) {
  const list = headerLines === '' ? [] : StringPrototypeSplit(headerLines, '\n');
  const bytes = body === null || body === undefined || method === 'GET' || method === 'HEAD'
    ? null : new Uint8Array(body);
  return fetchApi.newRequest(method, url, list, bytes);
}

// ---- Response out ----

function sendBytes(state, parts, headers, bytes) {
  ops.respondBytes(state.id, parts.status, parts.statusText, headers, TypedArrayPrototypeGetBuffer(bytes),
    TypedArrayPrototypeGetByteOffset(bytes), TypedArrayPrototypeGetByteLength(bytes));
  settle(state);
}

// A ReadableStream body is read whole for now: streaming it to the socket chunk by chunk (with
// backpressure) is the next step, and the only place to change is here and HttpExchange.
function collectStream(state, parts, headers, stream) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  const next = () => PromisePrototypeThen(reader.read(), (result) => {
    if (result.done) return sendBytes(state, parts, headers, fetchApi.concatBytes(chunks, size));
    const chunk = result.value;
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('a response body stream must produce Uint8Array chunks');
    }
    ArrayPrototypePush(chunks, chunk);
    size += TypedArrayPrototypeGetByteLength(chunk);
    return next();
  });
  PromisePrototypeThen(next(), undefined, (error) => {
    state.answered = false;
    fail(state, error);
  });
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
    parts = fetchApi.responseParts(response);
  } catch (error) {
    return fail(state, error);
  }
  state.answered = true;
  if (parts.status === 0) {
    ops.invalidResponse(state.id, 'the fetch handler returned Response.error()');
    return settle(state);
  }
  const headers = ArrayPrototypeJoin(parts.headerList, '\n');
  if (parts.webSocket !== null && parts.webSocket !== undefined) return answerWebSocket(state, parts, headers);
  const body = parts.body;
  if (body === null || body === undefined) {
    ops.respondBytes(state.id, parts.status, parts.statusText, headers, null, 0, 0);
    return settle(state);
  }
  if (typeof body === 'string') {
    ops.respondText(state.id, parts.status, parts.statusText, headers, body);
    return settle(state);
  }
  if (body instanceof Uint8Array) return sendBytes(state, parts, headers, body);
  if (fetchApi.isBlob(body)) return sendBytes(state, parts, headers, fetchApi.blobBytes(body));
  collectStream(state, parts, headers, body);
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

function dispatch(id, method, url, headerLines, body) {
  const state = newState(id);
  let result;
  try {
    const request = newRequest(method, url, headerLines, body);
    if (useFetchEvents) {
      const event = new FetchEvent('fetch', { request });
      attachState(event, state);
      internal.dispatchGlobalEvent(event);
      const responded = fetchEventResult(event);
      if (responded === null) {
        state.answered = true;
        ops.invalidResponse(id, "no 'fetch' event listener called event.respondWith()");
        return settle(state);
      }
      result = responded.value;
    } else {
      result = handler.fetch(request, env, new ExecutionContext(illegalConstructorKey, state));
    }
  } catch (error) {
    return fail(state, error);
  }
  if (fetchApi.isResponse(result)) return answer(state, result); // no promise turn needed
  PromisePrototypeThen(PromiseResolve(result), (response) => answer(state, response), (error) => fail(state, error));
}

ops.register(install, dispatch);
internal.httpOps = ops; // where Java finds this context's ops (HttpOps.of)
