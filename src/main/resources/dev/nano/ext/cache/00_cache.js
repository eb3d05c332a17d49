// The Cache API (Service Workers §5.4 Cache, §5.5 CacheStorage) with Cloudflare Workers' `caches.default`
// and its HTTP semantics: put() reads Cache-Control/Expires (no-store, private, max-age, s-maxage) and
// refuses 206 and `Vary: *`; match() misses expired entries and answers conditional requests (304) and
// Range requests (206/416). Entries belong to the app (every context of it sees the same caches, no
// other app does); the store, its byte budget and LRU eviction, and the optional disk folder are in
// Java (dev.nano.ext.cache). Nothing here is built until the app first touches `caches`, `Cache` or
// `CacheStorage` (ARCHITECTURE.md "Keeping a context small").
const { ObjectDefineProperty, ObjectGetOwnPropertyDescriptor } = internal.primordials;

// Must match CacheQuery.IGNORE_* in Java.
const IGNORE_SEARCH = 1;
const IGNORE_METHOD = 2;
const IGNORE_VARY = 4;
const PIECE = 64 * 1024; // must match CacheOps.PIECE

function createApi() {
  const {
    configureInterface, illegalConstructorKey, requiredArguments, toDOMString, toUSVString,
  } = internal.webidl;
  const {
    ArrayPrototypeJoin, ArrayPrototypePush, Promise, PromiseReject, PromiseResolve, StringPrototypeIndexOf,
    StringPrototypeSlice, StringPrototypeSplit, StringPrototypeStartsWith, TypeError,
    TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
    TypedArrayPrototypeSet, Uint8Array, SymbolIterator, ArrayIsArray,
  } = internal.primordials;
  const fetch = internal.fetch;

  const prefix = (iface, op) => `Failed to execute '${op}' on '${iface}'`;

  // CacheQueryOptions (and MultiCacheQueryOptions' cacheName), read in WebIDL's member order.
  function readOptions(options, what) {
    options = fetch.toDictionary(options, what);
    if (options === undefined) return { flags: 0, cacheName: undefined };
    const cacheName = options.cacheName === undefined ? undefined : toDOMString(options.cacheName);
    let flags = 0;
    if (options.ignoreMethod) flags |= IGNORE_METHOD;
    if (options.ignoreSearch) flags |= IGNORE_SEARCH;
    if (options.ignoreVary) flags |= IGNORE_VARY;
    return { flags, cacheName };
  }

  // RequestInfo -> Request (a string is parsed with no base: a server has none).
  function toRequest(info, what) {
    if (fetch.isRequest(info)) return info;
    return new fetch.Request(toUSVString(info));
  }

  function withoutFragment(url) {
    const hash = StringPrototypeIndexOf(url, '#');
    return hash < 0 ? url : StringPrototypeSlice(url, 0, hash);
  }

  function queryOf(request) {
    return {
      url: withoutFragment(request.url),
      method: request.method,
      headers: ArrayPrototypeJoin(fetch.headerListOf(request.headers), '\n'),
    };
  }

  // ---- matched responses: bodies come from Java in pieces ----

  function copyPiece(buffer) {
    const view = new Uint8Array(buffer);
    const out = new Uint8Array(TypedArrayPrototypeGetByteLength(view));
    TypedArrayPrototypeSet(out, view);
    return out;
  }

  function responseOf(handle) {
    const head = StringPrototypeSplit(ops.head(handle), '\n');
    const status = +head[0];
    const statusText = head[1];
    const list = [];
    for (let i = 2; i + 1 < head.length; i += 2) ArrayPrototypePush(list, head[i], head[i + 1]);
    const length = ops.bodyLength(handle);
    let body = null;
    if (length < 0) {
      ops.release(handle);
    } else if (length <= PIECE) {
      const piece = length === 0 ? null : ops.read(handle);
      ops.release(handle);
      body = piece === null ? new Uint8Array(0) : copyPiece(piece);
    } else {
      const source = internal.streams.createPullStream(() => {
        const piece = ops.read(handle); // frees the handle at the end
        if (piece === null) source.close();
        else source.enqueue(copyPiece(piece));
      }, () => ops.release(handle));
      body = source.stream;
    }
    return fetch.newResponse(status, statusText, list, body, 'immutable');
  }

  // ---- put: the response body streams into Java ----

  function writeBytes(handle, bytes) {
    if (!ops.putWrite(handle, TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes),
      TypedArrayPrototypeGetByteLength(bytes))) {
      throw new internal.QuotaExceededError(ops.error());
    }
  }

  function writeStream(handle, stream) {
    const reader = internal.streams.getReader(stream);
    return new Promise((resolve, reject) => {
      const request = {
        chunk(value) {
          try {
            if (!(value instanceof Uint8Array)) throw new TypeError('a response body stream must produce Uint8Array chunks');
            writeBytes(handle, value);
          } catch (e) {
            internal.streams.cancel(stream, e);
            reject(e);
            return;
          }
          internal.streams.read(reader, request);
        },
        close() { resolve(); },
        error(e) { reject(e); },
      };
      internal.streams.read(reader, request);
    });
  }

  async function store(cacheId, request, response, what) {
    const q = queryOf(request);
    if (!StringPrototypeStartsWith(q.url, 'http:') && !StringPrototypeStartsWith(q.url, 'https:')) {
      throw new TypeError(`${what}: the request's URL must be http or https`);
    }
    if (q.method !== 'GET') throw new TypeError(`${what}: only GET requests can be stored`);
    if (!fetch.isResponse(response)) throw new TypeError(`${what}: parameter 2 is not of type 'Response'`);
    if (response.bodyUsed) throw new TypeError(`${what}: the response body is already used`);
    const status = response.status;
    const headerList = fetch.headerListOf(response.headers);
    const parts = fetch.responseParts(response); // marks the body used: put() consumes it
    const body = parts.body;
    const handle = ops.putBegin(cacheId, q.url, q.headers, status, parts.statusText,
      ArrayPrototypeJoin(headerList, '\n'), body !== null);
    if (handle < 0) throw new TypeError(`${what}: ${ops.error()}`);
    if (handle === 0) { // Workers keeps nothing (no-store, private, stale) and resolves
      if (body !== null && internal.isReadableStream(body)) internal.streams.cancel(body, undefined);
      return undefined;
    }
    try {
      if (typeof body === 'string') writeBytes(handle, internal.encodeUtf8(body));
      else if (body instanceof Uint8Array) writeBytes(handle, body);
      else if (body !== null && fetch.isBlob(body)) writeBytes(handle, fetch.blobBytes(body));
      else if (body !== null) await writeStream(handle, body);
    } catch (e) {
      ops.putAbort(handle);
      throw e;
    }
    if (!ops.putCommit(handle)) throw new internal.QuotaExceededError(ops.error());
    return undefined;
  }

  // ---- Cache ----

  let cacheIdOf;

  class Cache {
    #id;

    constructor(key = undefined, id = 0) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      this.#id = id;
    }

    // §5.4.1 match(request, options): the first response, or undefined.
    async match(request, options = undefined) {
      const what = prefix('Cache', 'match');
      requiredArguments(arguments.length, 1, what);
      const id = this.#check();
      return matchOne(id, toRequest(request, what), readOptions(options, what).flags);
    }

    // §5.4.2 matchAll(request, options)
    async matchAll(request = undefined, options = undefined) {
      const what = prefix('Cache', 'matchAll');
      const id = this.#check();
      const { flags } = readOptions(options, what);
      let handles;
      if (request === undefined) {
        handles = ops.matchAll(id, null, 'GET', '', flags);
      } else {
        const r = toRequest(request, what);
        if (r.method !== 'GET' && !(flags & IGNORE_METHOD)) return [];
        const q = queryOf(r);
        handles = ops.matchAll(id, q.url, q.method, q.headers, flags);
      }
      const out = [];
      for (let i = 0; i < handles.length; i++) {
        if (handles[i] < 0) throw new TypeError(`${what}: ${ops.error()}`);
        ArrayPrototypePush(out, responseOf(handles[i]));
      }
      return out;
    }

    // §5.4.3 add(request) and §5.4.4 addAll(requests): fetch each, then put them all (all or nothing).
    async add(request) {
      const what = prefix('Cache', 'add');
      requiredArguments(arguments.length, 1, what);
      this.#check();
      return this.addAll([request]);
    }

    async addAll(requests) {
      const what = prefix('Cache', 'addAll');
      requiredArguments(arguments.length, 1, what);
      const id = this.#check();
      if (requests === null || typeof requests !== 'object' || typeof requests[SymbolIterator] !== 'function') {
        throw new TypeError(`${what}: parameter 1 is not iterable`);
      }
      const list = [];
      for (const r of requests) {
        const req = toRequest(r, what);
        const url = req.url;
        if (!StringPrototypeStartsWith(url, 'http:') && !StringPrototypeStartsWith(url, 'https:')) {
          throw new TypeError(`${what}: '${url}' is not an http or https URL`);
        }
        if (req.method !== 'GET') throw new TypeError(`${what}: only GET requests can be added`);
        ArrayPrototypePush(list, req);
      }
      const fetchFn = globalThis.fetch;
      if (typeof fetchFn !== 'function') throw new TypeError(`${what}: fetch() is not available in this runtime`);
      const pending = [];
      for (let i = 0; i < list.length; i++) ArrayPrototypePush(pending, fetchFn(list[i]));
      const responses = [];
      for (let i = 0; i < pending.length; i++) ArrayPrototypePush(responses, await pending[i]);
      for (let i = 0; i < responses.length; i++) {
        const r = responses[i];
        if (!fetch.isResponse(r) || r.status < 200 || r.status > 299 || r.status === 206) {
          throw new TypeError(`${what}: fetching '${list[i].url}' answered ${fetch.isResponse(r) ? r.status : 'no Response'}`);
        }
        const vary = r.headers.get('vary');
        if (vary !== null) {
          const fields = StringPrototypeSplit(vary, ',');
          for (let j = 0; j < fields.length; j++) {
            if (internal.primordials.StringPrototypeTrim(fields[j]) === '*') {
              throw new TypeError(`${what}: the response for '${list[i].url}' has 'Vary: *'`);
            }
          }
        }
      }
      for (let i = 0; i < responses.length; i++) await store(id, list[i], responses[i], what);
      return undefined;
    }

    // §5.4.5 put(request, response)
    async put(request, response) {
      const what = prefix('Cache', 'put');
      requiredArguments(arguments.length, 2, what);
      const id = this.#check();
      return store(id, toRequest(request, what), response, what);
    }

    // §5.4.6 delete(request, options)
    async delete(request, options = undefined) {
      const what = prefix('Cache', 'delete');
      requiredArguments(arguments.length, 1, what);
      const id = this.#check();
      const r = toRequest(request, what);
      const { flags } = readOptions(options, what);
      if (r.method !== 'GET' && !(flags & IGNORE_METHOD)) return false;
      const q = queryOf(r);
      return ops.delete(id, q.url, q.method, q.headers, flags);
    }

    // §5.4.7 keys(request, options): the stored requests, oldest first.
    async keys(request = undefined, options = undefined) {
      const what = prefix('Cache', 'keys');
      const id = this.#check();
      const { flags } = readOptions(options, what);
      let flat;
      if (request === undefined) {
        flat = ops.keys(id, null, 'GET', '', flags);
      } else {
        const r = toRequest(request, what);
        if (r.method !== 'GET' && !(flags & IGNORE_METHOD)) return [];
        const q = queryOf(r);
        flat = ops.keys(id, q.url, q.method, q.headers, flags);
      }
      const out = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const lines = flat[i + 1];
        ArrayPrototypePush(out, fetch.newRequest('GET', flat[i], lines === '' ? [] : StringPrototypeSplit(lines, '\n'), null));
      }
      return out;
    }

    #check() {
      if (!(#id in this)) throw new TypeError('Illegal invocation: the receiver is not a Cache');
      return this.#id;
    }

    static {
      cacheIdOf = (c) => c.#id;
    }
  }
  configureInterface(Cache);

  function matchOne(id, request, flags) {
    if (request.method !== 'GET' && !(flags & IGNORE_METHOD)) return undefined;
    const q = queryOf(request);
    const handle = ops.match(id, q.url, q.method, q.headers, flags);
    if (handle < 0) throw new TypeError(`${prefix('Cache', 'match')}: ${ops.error()}`);
    return handle === 0 ? undefined : responseOf(handle);
  }

  // ---- CacheStorage ----

  let defaultCache = null;

  class CacheStorage {
    #brand;

    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    }

    // Cloudflare Workers: the app's default cache (not one of the named caches keys() lists).
    get default() {
      this.#check();
      if (defaultCache === null) defaultCache = new Cache(illegalConstructorKey, ops.storageOpen('', true));
      return defaultCache;
    }

    // §5.5.1 match(request, options): in options.cacheName, else in each cache in creation order.
    async match(request, options = undefined) {
      const what = prefix('CacheStorage', 'match');
      requiredArguments(arguments.length, 1, what);
      this.#check();
      const r = toRequest(request, what);
      const { flags, cacheName } = readOptions(options, what);
      if (cacheName !== undefined) {
        if (!ops.storageHas(cacheName)) return undefined;
        return matchOne(ops.storageOpen(cacheName, false), r, flags);
      }
      const names = ops.storageKeys();
      for (let i = 0; i < names.length; i++) {
        const found = matchOne(ops.storageOpen(names[i], false), r, flags);
        if (found !== undefined) return found;
      }
      return undefined;
    }

    // §5.5.2 has(cacheName)
    async has(cacheName) {
      requiredArguments(arguments.length, 1, prefix('CacheStorage', 'has'));
      this.#check();
      return ops.storageHas(toDOMString(cacheName));
    }

    // §5.5.3 open(cacheName): a new Cache object on the named cache, created if needed.
    async open(cacheName) {
      requiredArguments(arguments.length, 1, prefix('CacheStorage', 'open'));
      this.#check();
      return new Cache(illegalConstructorKey, ops.storageOpen(toDOMString(cacheName), false));
    }

    // §5.5.4 delete(cacheName)
    async delete(cacheName) {
      requiredArguments(arguments.length, 1, prefix('CacheStorage', 'delete'));
      this.#check();
      return ops.storageDelete(toDOMString(cacheName));
    }

    // §5.5.5 keys(): the cache names in creation order.
    async keys() {
      this.#check();
      const names = ops.storageKeys();
      const out = [];
      for (let i = 0; i < names.length; i++) ArrayPrototypePush(out, names[i]);
      return out;
    }

    #check() {
      if (!(#brand in this)) throw new TypeError('Illegal invocation: the receiver is not a CacheStorage');
      return this;
    }
  }
  configureInterface(CacheStorage);

  return { Cache, CacheStorage, caches: new CacheStorage(illegalConstructorKey) };
}

const api = internal.exposeLazily(['Cache', 'CacheStorage'], createApi);

// WindowOrWorkerGlobalScope: `[SameObject] readonly attribute CacheStorage caches`, a getter only.
const accessor = ObjectGetOwnPropertyDescriptor({ get caches() { return api().caches; } }, 'caches');
ObjectDefineProperty(globalThis, 'caches', { get: accessor.get, enumerable: true, configurable: true });
