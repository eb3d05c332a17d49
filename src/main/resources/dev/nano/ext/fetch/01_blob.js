// Blob (File API §3) and the byte helpers the Body mixin shares.
//
// A Blob's bytes are a list of Uint8Array parts that are never written after construction: parts
// from strings are freshly encoded, parts from buffers are copied once, parts from other Blobs are
// shared. slice() therefore takes subarray views of the parts and copies nothing.
const {
  ArrayBuffer, ArrayBufferPrototypeGetByteLength, ArrayBufferPrototypeSlice, ArrayBufferIsView, MathMin,
  ObjectAssign, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray, Uint8Array, ArrayBufferViewGetBuffer, ArrayBufferViewGetByteOffset,
  ArrayBufferViewGetByteLength,
} = internal.primordials;
const fetch = internal.fetch;

// UTF-8 (Encoding Standard §9.1) from the web ext's encoding file: encode takes a USVString (lone
// surrogates become U+FFFD), decode drops a leading BOM and replaces invalid sequences.
const { encodeUtf8: utf8Encode, decodeUtf8: utf8Decode } = internal;

// ---- buffers ----

// If v is an ArrayBuffer (not shared), its byte length; otherwise -1.
function arrayBufferLength(v) {
  try { return ArrayBufferPrototypeGetByteLength(v); } catch { return -1; }
}

// A fresh Uint8Array holding a copy of the bytes of an ArrayBuffer or ArrayBufferView, or null if
// v is neither (WebIDL BufferSource: "get a copy of the bytes held by the buffer source").
function copyBufferSource(v) {
  if (typeof v !== 'object' || v === null) return null;
  if (ArrayBufferIsView(v)) {
    const buffer = ArrayBufferViewGetBuffer(v);
    const offset = ArrayBufferViewGetByteOffset(v);
    const length = ArrayBufferViewGetByteLength(v);
    return new Uint8Array(ArrayBufferPrototypeSlice(buffer, offset, offset + length));
  }
  if (arrayBufferLength(v) >= 0) return new Uint8Array(ArrayBufferPrototypeSlice(v, 0));
  return null;
}

// Joins parts into one Uint8Array; with one part, returns it as is (callers must not write to it).
function concatBytes(parts, size) {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    TypedArrayPrototypeSet(out, parts[i], n);
    n += parts[i].length;
  }
  return out;
}

// A new ArrayBuffer holding the parts' bytes: one copy, whatever the number of parts.
function freshBuffer(parts, size) {
  if (parts.length === 0) return new ArrayBuffer(0);
  return parts.length === 1 ? toArrayBuffer(parts[0]) : TypedArrayPrototypeGetBuffer(concatBytes(parts, size));
}

// An ArrayBuffer the caller owns, holding exactly the bytes.
function toArrayBuffer(bytes) {
  const buffer = TypedArrayPrototypeGetBuffer(bytes);
  const offset = TypedArrayPrototypeGetByteOffset(bytes);
  return ArrayBufferPrototypeSlice(buffer, offset, offset + bytes.length);
}

// Blob and the blob URL store, built on first use (see the end of the file).
function createBlob() {
  const { configureInterface, toDOMString, toUSVString, illegalConstructorKey } = internal.webidl;
  const {
    ArrayIsArray, ArrayPrototypePush, FunctionPrototypeCall, MathMax, NumberIsFinite, MathTrunc,
    MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, ObjectDefineProperty, PromiseReject,
    PromiseResolve, SafeMap, StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice,
    StringPrototypeToLowerCase, SymbolIterator, TypeError,
  } = internal.primordials;
  // File API §3.1 "convert line endings to native": on the Unix hosts NANO runs on, CRLF and CR become LF.
  function convertToNative(s) {
    let out = '';
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      if (StringPrototypeCharCodeAt(s, i) !== 0x0d) continue;
      out += StringPrototypeSlice(s, start, i) + '\n';
      if (i + 1 < s.length && StringPrototypeCharCodeAt(s, i + 1) === 0x0a) i++;
      start = i + 1;
    }
    return start === 0 ? s : out + StringPrototypeSlice(s, start);
  }

  // File API §3.1: a type with anything outside U+0020..U+007E is dropped, otherwise lowercased.
  function normalizeType(t) {
    for (let i = 0; i < t.length; i++) {
      const c = StringPrototypeCharCodeAt(t, i);
      if (c < 0x20 || c > 0x7e) return '';
    }
    return StringPrototypeToLowerCase(t);
  }

  // WebIDL [Clamp] long long.
  function toClampedLongLong(v) {
    let x = +v;
    if (x !== x) return 0; // NaN
    if (!NumberIsFinite(x)) return x > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
    x = MathTrunc(x);
    return x === 0 ? 0 : x;
  }

  // ---- Blob ----

  let isBlob;
  let blobPartsOf; // (blob) -> its list of Uint8Array parts (read only)
  let blobTypeOf; // (blob) -> its type, immune to an app redefining the getter

  // WebIDL conversion of the blobParts sequence: each element, as it is taken from the iterator,
  // becomes a Blob's part list, a copy of a buffer's bytes, or a USVString (File API §3.1).
  function convertBlobParts(blobParts, what) {
    const items = [];
    if (blobParts === undefined) return items;
    if (typeof blobParts !== 'object' && typeof blobParts !== 'function' || blobParts === null) {
      throw new TypeError(`${what}: the blobParts argument must be a sequence`);
    }
    const method = blobParts[SymbolIterator];
    if (typeof method !== 'function') {
      throw new TypeError(`${what}: the blobParts argument is not iterable`);
    }
    for (const element of { [SymbolIterator]: () => FunctionPrototypeCall(method, blobParts) }) {
      if (isBlob(element)) ArrayPrototypePush(items, blobPartsOf(element));
      else ArrayPrototypePush(items, copyBufferSource(element) ?? toUSVString(element));
    }
    return items;
  }

  // File API §3.1 "process blob parts" on the converted items: strings are encoded (after line
  // ending conversion when endings is 'native'); bytes and other Blobs' parts are kept as they are.
  function processBlobParts(items, endings) {
    const parts = [];
    let size = 0;
    for (let i = 0; i < items.length; i++) {
      let item = items[i];
      if (typeof item === 'string') {
        if (endings === 'native') item = convertToNative(item);
        item = utf8Encode(item);
      } else if (ArrayIsArray(item)) { // a Blob's part list
        for (let j = 0; j < item.length; j++) { ArrayPrototypePush(parts, item[j]); size += item[j].length; }
        continue;
      }
      if (item.length > 0) { ArrayPrototypePush(parts, item); size += item.length; }
    }
    return { parts, size };
  }

  // BlobPropertyBag (and the Blob members of FilePropertyBag), read in lexicographic order;
  // `between(options)` reads members that sort between endings and type (File's lastModified).
  function readBlobOptions(options, what, between) {
    options = fetch.toDictionary(options, what);
    let endings = 'transparent';
    let type = '';
    let extra;
    if (options !== undefined) {
      const e = options.endings;
      if (e !== undefined) endings = fetch.toEnum(e, ['transparent', 'native'], `${what}: endings`);
    }
    if (between !== undefined) extra = between(options);
    if (options !== undefined) {
      const t = options.type;
      if (t !== undefined) type = normalizeType(toDOMString(t));
    }
    return { endings, type, extra };
  }

  class Blob {
    #parts;
    #size;
    #type;

    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === illegalConstructorKey) { // internal: options is { parts, size, type }
        this.#parts = options.parts;
        this.#size = options.size;
        this.#type = options.type;
        return;
      }
      const what = "Failed to construct 'Blob'";
      const items = convertBlobParts(blobParts, what);
      const { endings, type } = readBlobOptions(options, what);
      const { parts, size } = processBlobParts(items, endings);
      this.#parts = parts;
      this.#size = size;
      this.#type = type;
    }

    get size() {
      this.#check();
      return this.#size;
    }

    get type() {
      this.#check();
      return this.#type;
    }

    // File API §3.3.1: start/end relative to the end when negative, clamped to [0, size].
    slice(start = undefined, end = undefined, contentType = undefined) {
      this.#check();
      const size = this.#size;
      let from = start === undefined ? 0 : toClampedLongLong(start);
      from = from < 0 ? MathMax(size + from, 0) : MathMin(from, size);
      let to = end === undefined ? size : toClampedLongLong(end);
      to = to < 0 ? MathMax(size + to, 0) : MathMin(to, size);
      const type = contentType === undefined ? '' : normalizeType(toDOMString(contentType));
      const span = MathMax(to - from, 0);
      const parts = [];
      let offset = 0;
      const mine = this.#parts;
      for (let i = 0; i < mine.length && span > 0; i++) {
        const p = mine[i];
        const pStart = offset;
        const pEnd = offset + p.length;
        offset = pEnd;
        if (pEnd <= from) continue;
        if (pStart >= from + span) break;
        const a = MathMax(from - pStart, 0);
        const b = MathMin(from + span - pStart, p.length);
        ArrayPrototypePush(parts, a === 0 && b === p.length ? p : TypedArrayPrototypeSubarray(p, a, b));
      }
      return new Blob(illegalConstructorKey, { parts, size: span, type });
    }

    stream() {
      this.#check();
      return fetch.streamFromParts(this.#parts);
    }

    text() {
      try { this.#check(); } catch (e) { return PromiseReject(e); }
      return PromiseResolve(utf8Decode(concatBytes(this.#parts, this.#size)));
    }

    arrayBuffer() {
      try { this.#check(); } catch (e) { return PromiseReject(e); }
      return PromiseResolve(freshBuffer(this.#parts, this.#size));
    }

    bytes() {
      try { this.#check(); } catch (e) { return PromiseReject(e); }
      return PromiseResolve(new Uint8Array(freshBuffer(this.#parts, this.#size)));
    }

    #check() {
      if (!(#parts in this)) throw new TypeError('Illegal invocation: the receiver is not a Blob');
    }

    static {
      isBlob = (v) => typeof v === 'object' && v !== null && #parts in v;
      blobPartsOf = (b) => b.#parts;
      blobTypeOf = (b) => b.#type;
    }
  }

  ObjectDefineProperty(Blob, 'length', { value: 0 });
  configureInterface(Blob);

  // The size of a Blob without a brand check (callers checked already).
  function blobSize(b) {
    const parts = blobPartsOf(b);
    let n = 0;
    for (let i = 0; i < parts.length; i++) n += parts[i].length;
    return n;
  }

  // A Blob made from Uint8Array parts that nobody will write to again (no copy is taken).
  function blobFromParts(parts, type) {
    let size = 0;
    for (let i = 0; i < parts.length; i++) size += parts[i].length;
    return new Blob(illegalConstructorKey, { parts, size, type });
  }

  // ---- Blob URLs (File API §8) ----
  // The blob URL store is per context: a URL made here resolves only in this context, which is the
  // "same agent cluster" rule of §8.3 for an app whose contexts share nothing. A NANO context has no
  // document or server URL that could serve as its origin (one context serves every hostname of its
  // app), so its origin is opaque and its URLs are `blob:null/<uuid>`, as in Deno without --location.
  const blobUrlStore = new SafeMap(); // serialized URL -> Blob

  // §8.3.1 "generate a new blob URL" and "add an entry to the blob URL store".
  function createObjectURL(obj) {
    if (!isBlob(obj)) {
      throw new TypeError("Failed to execute 'createObjectURL' on 'URL': parameter 1 is not of type 'Blob'.");
    }
    const url = `blob:null/${internal.crypto.ops.randomUUID()}`;
    MapPrototypeSet(blobUrlStore, url, obj);
    return url;
  }

  // §8.3.2 revokeObjectURL: only the exact URL (fragment included) revokes. The same-origin check of
  // the spec is the store being per context: every URL in it is this context's.
  function revokeObjectURL(url) {
    const href = internal.url.parseHref(url, undefined);
    if (href === null || StringPrototypeSlice(href, 0, 5) !== 'blob:') return;
    MapPrototypeDelete(blobUrlStore, href);
  }

  // §8.4 "resolve a blob URL" (for fetch of a blob: URL): the Blob, or null. The fragment is ignored.
  function resolveBlobURL(url) {
    let href = internal.url.parseHref(url, undefined);
    if (href === null || StringPrototypeSlice(href, 0, 5) !== 'blob:') return null;
    const hash = StringPrototypeIndexOf(href, '#');
    if (hash >= 0) href = StringPrototypeSlice(href, 0, hash);
    return MapPrototypeGet(blobUrlStore, href) ?? null;
  }

  ObjectAssign(fetch, {
    createObjectURL, revokeObjectURL, resolveBlobURL,
    Blob, isBlob, blobPartsOf, blobTypeOf, blobSize, blobFromParts, convertBlobParts, processBlobParts, readBlobOptions,
    normalizeType, blobBytes: (b) => concatBytes(blobPartsOf(b), blobSize(b)),
  });
}

// File API §3.3.2 "get stream": a readable byte stream over the parts, fed on demand, in chunks of at
// most STREAM_CHUNK bytes. Each chunk is a fresh copy: the stream hands its buffer to the reader.
const STREAM_CHUNK = 65536;
function streamFromParts(parts) {
  let i = 0; // the part being read
  let at = 0; // bytes of it already enqueued
  let source;
  const pull = () => {
    while (i < parts.length && at >= parts[i].length) { i++; at = 0; }
    if (i >= parts.length) {
      source.close();
      return;
    }
    const p = parts[i];
    const end = MathMin(at + STREAM_CHUNK, p.length);
    source.enqueue(new Uint8Array(toArrayBuffer(TypedArrayPrototypeSubarray(p, at, end))));
    at = end;
    if (at >= p.length && i + 1 >= parts.length) source.close();
  };
  source = internal.streams.createPullStream(pull, undefined, 0);
  return source.stream;
}

// Blob, File and FormData are built on the first use of any of them (internal.exposeLazily), or when
// NANO makes one (a body read with blob() or formData()): most requests make none. Each file's part
// puts its functions on internal.fetch, replacing the stubs below (which forward to them, should a
// caller have kept one). Until then no Blob, File or FormData exists: the checks answer false and
// the blob URL store is empty.
let built = false;
const blobApi = internal.exposeLazily(['Blob', 'File', 'FormData'], () => {
  createBlob();
  fetch.createFile();
  fetch.createFormData();
  built = true;
  return { Blob: fetch.Blob, File: fetch.File, FormData: fetch.FormData };
});

ObjectAssign(fetch, {
  blobApi,
  utf8Encode, utf8Decode, copyBufferSource, concatBytes, toArrayBuffer, streamFromParts,
  isBlob: (v) => built && fetch.isBlob(v),
  isFile: (v) => built && fetch.isFile(v),
  isFormData: (v) => built && fetch.isFormData(v),
  revokeObjectURL: (url) => { if (built) fetch.revokeObjectURL(url); },
  resolveBlobURL: (url) => (built ? fetch.resolveBlobURL(url) : null),
  createObjectURL: (obj) => (blobApi(), fetch.createObjectURL(obj)),
  blobFromParts: (parts, type) => (blobApi(), fetch.blobFromParts(parts, type)),
  formDataFromPairs: (pairs) => (blobApi(), fetch.formDataFromPairs(pairs)),
  parseMultipart: (bytes, boundary) => (blobApi(), fetch.parseMultipart(bytes, boundary)),
});
