// The Body mixin (Fetch §5.3), shared by Request and Response, with "extract a body" and the
// MIME type parsing (MIME Sniffing §4.4) that blob() and formData() need.
//
// A body is { source, used, stream }: `source` is what the body was made from (a string, a
// Uint8Array we own, a Blob or a ReadableStream), read directly by text()/arrayBuffer()/... so
// that no stream is created unless the app asks for `body`. Once `stream` exists it is the body.
const {
  ArrayPrototypePush, JSONParse, ObjectAssign, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor,
  PromisePrototypeThen, PromiseReject, PromiseResolve,
  StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeToLowerCase, TypeError, Uint8Array,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, ArrayBufferPrototypeGetByteLength,
} = internal.primordials;
const { toUSVString } = internal.webidl;
const fetch = internal.fetch;

// ---- MIME types (MIME Sniffing §4.4 parse, §4.5 serialize) ----

function isHttpWs(c) { return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; }
function isQuotedStringChar(c) { return c === 0x09 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff); }

// Returns { essence, params: [name, value, ...] } or null.
function parseMimeType(input) {
  let start = 0;
  let end = input.length;
  while (start < end && isHttpWs(StringPrototypeCharCodeAt(input, start))) start++;
  while (end > start && isHttpWs(StringPrototypeCharCodeAt(input, end - 1))) end--;
  const s = StringPrototypeSlice(input, start, end);
  let i = 0;
  while (i < s.length && s[i] !== '/') i++;
  const type = StringPrototypeSlice(s, 0, i);
  if (!fetch.isToken(type) || i >= s.length) return null;
  const subStart = ++i;
  while (i < s.length && s[i] !== ';') i++;
  let subEnd = i;
  while (subEnd > subStart && isHttpWs(StringPrototypeCharCodeAt(s, subEnd - 1))) subEnd--;
  const subtype = StringPrototypeSlice(s, subStart, subEnd);
  if (!fetch.isToken(subtype)) return null;
  const params = [];
  while (i < s.length) {
    i++; // ';'
    while (i < s.length && isHttpWs(StringPrototypeCharCodeAt(s, i))) i++;
    const nameStart = i;
    while (i < s.length && s[i] !== ';' && s[i] !== '=') i++;
    const name = StringPrototypeToLowerCase(StringPrototypeSlice(s, nameStart, i));
    if (i >= s.length) break;
    if (s[i] === ';') continue;
    i++; // '='
    let value;
    if (s[i] === '"') { // HTTP quoted string, then anything up to ';' is ignored
      value = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i++];
      }
      while (i < s.length && s[i] !== ';') i++;
    } else {
      const valueStart = i;
      while (i < s.length && s[i] !== ';') i++;
      let valueEnd = i;
      while (valueEnd > valueStart && isHttpWs(StringPrototypeCharCodeAt(s, valueEnd - 1))) valueEnd--;
      value = StringPrototypeSlice(s, valueStart, valueEnd);
      if (value === '') continue;
    }
    if (name === '' || !fetch.isToken(name) || mimeParam(params, name) !== null) continue;
    let ok = true;
    for (let k = 0; k < value.length; k++) if (!isQuotedStringChar(StringPrototypeCharCodeAt(value, k))) { ok = false; break; }
    if (ok) ArrayPrototypePush(params, name, value);
  }
  return { essence: `${StringPrototypeToLowerCase(type)}/${StringPrototypeToLowerCase(subtype)}`, params };
}

function mimeParam(params, name) {
  for (let i = 0; i < params.length; i += 2) if (params[i] === name) return params[i + 1];
  return null;
}

function serializeMimeType(mime) {
  let s = mime.essence;
  const params = mime.params;
  for (let i = 0; i < params.length; i += 2) {
    let value = params[i + 1];
    if (value === '' || !fetch.isToken(value)) {
      let q = '"';
      for (let k = 0; k < value.length; k++) q += value[k] === '"' || value[k] === '\\' ? `\\${value[k]}` : value[k];
      value = `${q}"`;
    }
    s += `;${params[i]}=${value}`;
  }
  return s;
}

// Fetch §3.1.4 "extract a MIME type" from a header list: the last valid Content-Type value
// wins, keeping an earlier charset when the essence repeats without one.
function extractMimeType(headerList) {
  const combined = fetch.getHeader(headerList, 'content-type');
  if (combined === null) return null;
  const values = splitHeaderValues(combined);
  let mime = null;
  let charset = null;
  let essence = null;
  for (let i = 0; i < values.length; i++) {
    const parsed = parseMimeType(values[i]);
    if (parsed === null || parsed.essence === '*/*') continue;
    mime = parsed;
    const cs = mimeParam(parsed.params, 'charset');
    if (parsed.essence !== essence) {
      charset = cs;
      essence = parsed.essence;
    } else if (cs === null && charset !== null) {
      ArrayPrototypePush(parsed.params, 'charset', charset);
    }
  }
  return mime;
}

// Fetch §2.2.2 "getting, decoding, and splitting": commas outside quoted strings separate values.
function splitHeaderValues(s) {
  const out = [];
  let current = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      current += c;
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) current += s[i++];
        current += s[i++];
      }
      if (i < s.length) current += '"';
    } else if (c === ',') {
      ArrayPrototypePush(out, fetch.normalizeValue(current));
      current = '';
    } else {
      current += c;
    }
  }
  ArrayPrototypePush(out, fetch.normalizeValue(current));
  return out;
}

// ---- streams: the Streams extension comes later; everything here works without it ----

function readableStreamClass() {
  const RS = internal.ReadableStream ?? globalThis.ReadableStream;
  return typeof RS === 'function' ? RS : null;
}

function isReadableStream(v) {
  if (typeof v !== 'object' || v === null) return false;
  if (internal.isReadableStream) return internal.isReadableStream(v);
  const RS = readableStreamClass();
  return RS !== null && v instanceof RS;
}

// "disturbed" is not visible through the public API; until the Streams extension provides
// internal.isReadableStreamDisturbed, a locked stream counts as disturbed.
function streamDisturbed(stream) {
  return internal.isReadableStreamDisturbed ? internal.isReadableStreamDisturbed(stream) : stream.locked;
}

async function readAllStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('Body stream chunks must be Uint8Array');
    ArrayPrototypePush(chunks, value);
    size += value.length;
  }
  return fetch.concatBytes(chunks, size);
}

// ---- bodies ----

function newBody(source) {
  return { source, used: false, stream: null };
}

// Fetch §5.1 "extract a body": returns { body, type } (type: the Content-Type to add, or null).
function extractBody(init, what) {
  if (typeof init === 'string') return { body: newBody(toUSVString(init)), type: 'text/plain;charset=UTF-8' };
  if (typeof init === 'object' && init !== null) {
    if (fetch.isBlob(init)) return { body: newBody(init), type: init.type === '' ? null : init.type };
    const bytes = fetch.copyBufferSource(init);
    if (bytes !== null) return { body: newBody(bytes), type: null };
    if (fetch.isFormData(init)) {
      const { blob, contentType } = fetch.formDataToBlob(init);
      return { body: newBody(blob), type: contentType };
    }
    if (internal.url.isURLSearchParams(init)) {
      // Serialized by the url ext itself, so an app redefining toString cannot change the body.
      return { body: newBody(internal.url.serializeSearchParams(init)), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    }
    if (isReadableStream(init)) {
      if (init.locked || streamDisturbed(init)) throw new TypeError(`${what}: the body stream is locked or disturbed`);
      const body = newBody(init);
      body.stream = init;
      return { body, type: null };
    }
  }
  // The remaining member of the BodyInit union is USVString.
  return { body: newBody(toUSVString(init)), type: 'text/plain;charset=UTF-8' };
}

// Fetch §5.3 "unusable": the body was read, or its stream is locked or disturbed.
function bodyUnusable(body) {
  return body !== null && (body.used || (body.stream !== null && (body.stream.locked || streamDisturbed(body.stream))));
}

function bodyUsed(body) {
  return body !== null && (body.used || (body.stream !== null && streamDisturbed(body.stream)));
}

// The body as a ReadableStream, created on first use (null while the runtime has no streams).
function bodyStream(body) {
  if (body.stream !== null) return body.stream;
  if (readableStreamClass() === null) {
    // TODO(streams): without a ReadableStream class `body` is null even for a non-null body; the
    // other Body methods still work. Remove this once the Streams extension exists.
    return null;
  }
  const source = body.used ? null : body.source;
  let parts;
  if (source === null) parts = [];
  else if (typeof source === 'string') parts = [fetch.utf8Encode(source)];
  else if (source instanceof Uint8Array) parts = [source];
  else parts = fetch.blobPartsOf(source);
  body.stream = fetch.streamFromParts(parts);
  body.source = null;
  return body.stream;
}

// The body's bytes for reading, marking it used. Returns a string, a Uint8Array the caller may
// keep, or a Promise of a Uint8Array (stream). Callers check bodyUnusable first.
function takeBody(body) {
  body.used = true;
  if (body.stream !== null) return readAllStream(body.stream);
  const source = body.source;
  body.source = null;
  if (typeof source === 'string') return source;
  if (source instanceof Uint8Array) return source;
  return fetch.blobBytes(source); // a Blob's bytes are shared: callers copy before handing them out
}

// A copy of `body` for clone(): streams are teed (Fetch §2.3 "clone a body"), other sources are
// immutable and shared, except owned bytes, which are copied.
function cloneBody(body) {
  if (body.stream !== null) {
    const [a, b] = body.stream.tee();
    body.stream = a;
    const copy = newBody(null);
    copy.stream = b;
    return copy;
  }
  const source = body.source;
  return newBody(source instanceof Uint8Array ? new Uint8Array(source) : source);
}

// An ArrayBuffer for the caller: the body's own buffer when it is exactly the bytes and unshared.
function bytesToArrayBuffer(bytes, owned) {
  const buffer = TypedArrayPrototypeGetBuffer(bytes);
  if (owned && TypedArrayPrototypeGetByteOffset(bytes) === 0 && ArrayBufferPrototypeGetByteLength(buffer) === bytes.length) {
    return buffer;
  }
  return fetch.toArrayBuffer(bytes);
}

// Installs the Body members on klass.prototype. bodyOf(obj) brand-checks and returns the body
// (or null); headerListOf(obj) returns the object's header list (for the MIME type).
function mixinBody(klass, bodyOf, headerListOf) {
  // Fetch §5.3 "consume body": reject if unusable, else read it all and convert. `convert`
  // gets (string or Uint8Array, the object, whether the bytes are ours alone to hand out).
  function consume(self, convert) {
    let body;
    try {
      body = bodyOf(self);
    } catch (e) {
      return PromiseReject(e);
    }
    if (body === null) return PromisePrototypeThen(PromiseResolve(), () => convert(new Uint8Array(0), self, true));
    if (bodyUnusable(body)) {
      return PromiseReject(new TypeError('Body has already been consumed (bodyUsed is true or its stream is locked)'));
    }
    const owned = body.stream !== null || !fetch.isBlob(body.source);
    const data = takeBody(body);
    if (typeof data === 'string' || data instanceof Uint8Array) {
      // A microtask later, like every read: the promise settles after the current job.
      return PromisePrototypeThen(PromiseResolve(), () => convert(data, self, owned));
    }
    return PromisePrototypeThen(data, (bytes) => convert(bytes, self, true));
  }
  const asText = (data) => (typeof data === 'string' ? data : fetch.utf8Decode(data));
  const asBytes = (data) => (typeof data === 'string' ? fetch.utf8Encode(data) : data);

  const members = {
    get body() {
      const body = bodyOf(this);
      return body === null ? null : bodyStream(body);
    },
    get bodyUsed() {
      return bodyUsed(bodyOf(this));
    },
    arrayBuffer() {
      return consume(this, (data, _, owned) => bytesToArrayBuffer(asBytes(data), owned));
    },
    blob() {
      return consume(this, (data, self) => {
        const mime = extractMimeType(headerListOf(self));
        const bytes = asBytes(data);
        // No copy: the bytes are either ours alone or a Blob's, and nobody writes to either again.
        return fetch.blobFromParts(bytes.length === 0 ? [] : [bytes], mime === null ? '' : serializeMimeType(mime));
      });
    },
    bytes() {
      return consume(this, (data, _, owned) => new Uint8Array(bytesToArrayBuffer(asBytes(data), owned)));
    },
    formData() {
      return consume(this, (data, self) => parseFormData(data, extractMimeType(headerListOf(self))));
    },
    json() {
      return consume(this, (data) => JSONParse(asText(data)));
    },
    text() {
      return consume(this, (data) => asText(data));
    },
  };
  const proto = klass.prototype;
  for (const key of ['body', 'bodyUsed']) {
    const get = ObjectGetOwnPropertyDescriptor(members, key).get;
    ObjectDefineProperty(proto, key, { get, enumerable: true, configurable: true });
  }
  for (const key of ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text']) {
    ObjectDefineProperty(proto, key, { value: members[key], writable: true, enumerable: true, configurable: true });
  }
}

// Fetch §5.3 formData(): multipart/form-data or application/x-www-form-urlencoded, else TypeError.
function parseFormData(data, mime) {
  const essence = mime === null ? null : mime.essence;
  if (essence === 'multipart/form-data') {
    const boundary = mimeParam(mime.params, 'boundary');
    if (boundary === null || boundary === '') {
      throw new TypeError('Failed to parse body as FormData: the multipart/form-data Content-Type has no boundary');
    }
    const bytes = typeof data === 'string' ? fetch.utf8Encode(data) : data;
    return fetch.parseMultipart(bytes, boundary);
  }
  if (essence === 'application/x-www-form-urlencoded') {
    // URL Standard §5.1 on the body as it is: unlike new URLSearchParams(), a leading '?' is data.
    const pairs = internal.url.parseUrlencoded(typeof data === 'string' ? data : fetch.utf8Decode(data));
    return fetch.formDataFromPairs(pairs);
  }
  throw new TypeError(`Failed to parse body as FormData: Content-Type '${essence ?? ''}' is neither multipart/form-data nor application/x-www-form-urlencoded`);
}

ObjectAssign(fetch, {
  parseMimeType, serializeMimeType, extractMimeType, mimeParam, isReadableStream, readableStreamClass,
  readAllStream, newBody, extractBody, bodyUnusable, bodyUsed, bodyStream, takeBody, cloneBody, mixinBody,
});
