// FormData (XMLHttpRequest Standard §5) and the multipart/form-data codec used by bodies:
// serializing (HTML §4.10.21.8 "multipart/form-data encoding algorithm") and parsing (RFC 7578).
const fetch = internal.fetch;
// Called by 01_blob.js when it builds Blob, File and FormData (on first use).
fetch.createFormData = () => {
  const { configureInterface, requiredArguments, toUSVString, illegalConstructorKey } = internal.webidl;
  const {
    ArrayPrototypePush, ArrayPrototypeSplice, DateNow, MathFloor, MathRandom, ObjectAssign,
    ObjectDefineProperty, StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeToLowerCase,
    StringPrototypeTrim, StringPrototypeIndexOf, TypeError, TypedArrayPrototypeSubarray,
  } = internal.primordials;
  const { isBlob, isFile, fileFromBlob } = fetch;

  let entriesOf; // (formData) -> its live flat [name, value, ...] list
  let isFormData;

  // XHR §5 "create an entry": a Blob value becomes a File named "blob" or `filename`.
  function makeValue(value, filename, argCount, what) {
    if (isBlob(value)) {
      const hasName = filename !== undefined;
      if (!hasName && isFile(value)) return value;
      const name = hasName ? toUSVString(filename) : 'blob';
      return fileFromBlob(value, name, value.type, isFile(value) ? value.lastModified : DateNow());
    }
    if (argCount >= 3) throw new TypeError(`${what}: parameter 2 is not of type 'Blob'`);
    return toUSVString(value);
  }

  class FormData {
    #entries = [];

    constructor(form = undefined) {
      if (form === illegalConstructorKey) return;
      if (form !== undefined) {
        throw new TypeError("Failed to construct 'FormData': form elements are not supported (there is no DOM)");
      }
    }

    append(name, value, filename = undefined) {
      this.#check();
      const what = "Failed to execute 'append' on 'FormData'";
      requiredArguments(arguments.length, 2, what);
      name = toUSVString(name);
      ArrayPrototypePush(this.#entries, name, makeValue(value, filename, arguments.length, what));
    }

    delete(name) {
      this.#check();
      requiredArguments(arguments.length, 1, "Failed to execute 'delete' on 'FormData'");
      name = toUSVString(name);
      const list = this.#entries;
      for (let i = list.length - 2; i >= 0; i -= 2) if (list[i] === name) ArrayPrototypeSplice(list, i, 2);
    }

    get(name) {
      this.#check();
      requiredArguments(arguments.length, 1, "Failed to execute 'get' on 'FormData'");
      name = toUSVString(name);
      const list = this.#entries;
      for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
      return null;
    }

    getAll(name) {
      this.#check();
      requiredArguments(arguments.length, 1, "Failed to execute 'getAll' on 'FormData'");
      name = toUSVString(name);
      const list = this.#entries;
      const out = [];
      for (let i = 0; i < list.length; i += 2) if (list[i] === name) ArrayPrototypePush(out, list[i + 1]);
      return out;
    }

    has(name) {
      this.#check();
      requiredArguments(arguments.length, 1, "Failed to execute 'has' on 'FormData'");
      name = toUSVString(name);
      const list = this.#entries;
      for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
      return false;
    }

    // XHR §5: replace the first entry of that name and drop the others, else append.
    set(name, value, filename = undefined) {
      this.#check();
      const what = "Failed to execute 'set' on 'FormData'";
      requiredArguments(arguments.length, 2, what);
      name = toUSVString(name);
      value = makeValue(value, filename, arguments.length, what);
      const list = this.#entries;
      let found = false;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== name) continue;
        if (!found) { list[i + 1] = value; found = true; } else { ArrayPrototypeSplice(list, i, 2); i -= 2; }
      }
      if (!found) ArrayPrototypePush(list, name, value);
    }

    #check() {
      if (!(#entries in this)) throw new TypeError('Illegal invocation: the receiver is not a FormData');
    }

    static {
      entriesOf = (fd) => {
        if (!(#entries in fd)) throw new TypeError('Illegal invocation: the receiver is not a FormData');
        return fd.#entries;
      };
      isFormData = (v) => typeof v === 'object' && v !== null && #entries in v;
    }
  }

  ObjectDefineProperty(FormData, 'length', { value: 0 });
  fetch.mixinPairIterable(FormData, 'FormData', entriesOf);
  configureInterface(FormData);

  // ---- serializing ----

  // HTML §4.10.21.8: a lone CR or LF becomes CRLF (names and string values).
  function normalizeNewlines(s) {
    let out = '';
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = StringPrototypeCharCodeAt(s, i);
      if (c === 0x0d) {
        if (i + 1 < s.length && StringPrototypeCharCodeAt(s, i + 1) === 0x0a) { i++; continue; }
      } else if (c !== 0x0a) {
        continue;
      }
      out += StringPrototypeSlice(s, start, i) + '\r\n';
      start = i + 1;
    }
    return start === 0 ? s : out + StringPrototypeSlice(s, start);
  }

  // HTML §4.10.21.8: in header parameters, LF -> %0A, CR -> %0D, '"' -> %22.
  function escapeParam(s) {
    let out = '';
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = StringPrototypeCharCodeAt(s, i);
      const rep = c === 0x0a ? '%0A' : c === 0x0d ? '%0D' : c === 0x22 ? '%22' : null;
      if (rep === null) continue;
      out += StringPrototypeSlice(s, start, i) + rep;
      start = i + 1;
    }
    return start === 0 ? s : out + StringPrototypeSlice(s, start);
  }

  const BOUNDARY_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  function newBoundary() {
    let s = '----NanoFormBoundary';
    for (let i = 0; i < 24; i++) s += BOUNDARY_CHARS[MathFloor(MathRandom() * 62)];
    return s;
  }

  // Serializes a FormData into a Blob of multipart/form-data; File bytes are shared, not copied.
  function formDataToBlob(fd) {
    const entries = entriesOf(fd);
    const boundary = newBoundary();
    const parts = [];
    let text = '';
    for (let i = 0; i < entries.length; i += 2) {
      const name = escapeParam(normalizeNewlines(entries[i]));
      const value = entries[i + 1];
      text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
      if (typeof value === 'string') {
        text += `\r\n\r\n${normalizeNewlines(value)}\r\n`;
        continue;
      }
      const type = value.type === '' ? 'application/octet-stream' : value.type;
      text += `; filename="${escapeParam(value.name)}"\r\nContent-Type: ${type}\r\n\r\n`;
      ArrayPrototypePush(parts, fetch.utf8Encode(text));
      text = '\r\n';
      const fileParts = fetch.blobPartsOf(value);
      for (let j = 0; j < fileParts.length; j++) ArrayPrototypePush(parts, fileParts[j]);
    }
    text += `--${boundary}--\r\n`;
    ArrayPrototypePush(parts, fetch.utf8Encode(text));
    return { blob: fetch.blobFromParts(parts, ''), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  // ---- parsing ----

  function indexOfBytes(haystack, needle, from) {
    const first = needle[0];
    const last = haystack.length - needle.length;
    outer: for (let i = from; i <= last; i++) {
      if (haystack[i] !== first) continue;
      for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  // Content-Disposition parameters (RFC 7578 §4.2; RFC 6266 grammar): quoted or token values.
  function parseDisposition(value) {
    const params = { __proto__: null };
    let i = StringPrototypeIndexOf(value, ';');
    if (i < 0 || StringPrototypeToLowerCase(StringPrototypeTrim(StringPrototypeSlice(value, 0, i))) !== 'form-data') return null;
    while (i < value.length) {
      i++; // past ';'
      const eq = StringPrototypeIndexOf(value, '=', i);
      if (eq < 0) break;
      const key = StringPrototypeToLowerCase(StringPrototypeTrim(StringPrototypeSlice(value, i, eq)));
      let j = eq + 1;
      while (j < value.length && (value[j] === ' ' || value[j] === '\t')) j++;
      let v;
      if (value[j] === '"') {
        v = '';
        j++;
        while (j < value.length && value[j] !== '"') {
          if (value[j] === '\\' && j + 1 < value.length && (value[j + 1] === '"' || value[j + 1] === '\\')) j++;
          v += value[j++];
        }
        j = StringPrototypeIndexOf(value, ';', j);
        if (j < 0) j = value.length;
      } else {
        let end = StringPrototypeIndexOf(value, ';', j);
        if (end < 0) end = value.length;
        v = StringPrototypeTrim(StringPrototypeSlice(value, j, end));
        j = end;
      }
      if (!(key in params)) params[key] = v;
      i = j;
    }
    return params;
  }

  // Parses a multipart/form-data body (RFC 7578, RFC 2046 §5.1.1) into a FormData. Parts with a
  // filename become Files (type from the part's Content-Type, default text/plain as RFC 7578 §4.4
  // says); other values are decoded as UTF-8. Malformed input is a TypeError.
  function parseMultipart(bytes, boundary) {
    const what = 'Failed to parse body as FormData';
    const delimiter = fetch.utf8Encode(`--${boundary}`);
    const fd = new FormData(illegalConstructorKey);
    const entries = entriesOf(fd);
    // The first delimiter may follow a preamble; later ones are preceded by CRLF.
    let pos = indexOfBytes(bytes, delimiter, 0);
    if (pos < 0 || (pos > 0 && (pos < 2 || bytes[pos - 2] !== 0x0d || bytes[pos - 1] !== 0x0a))) {
      throw new TypeError(`${what}: missing the boundary delimiter`);
    }
    const nextDelimiter = fetch.utf8Encode(`\r\n--${boundary}`);
    for (;;) {
      pos += delimiter.length;
      if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) return fd; // close delimiter: epilogue ignored
      while (bytes[pos] === 0x20 || bytes[pos] === 0x09) pos++; // transport padding
      if (bytes[pos] !== 0x0d || bytes[pos + 1] !== 0x0a) throw new TypeError(`${what}: malformed boundary line`);
      pos += 2;
      // Header lines up to an empty line.
      let disposition = null;
      let contentType = '';
      for (;;) {
        const eol = indexOfBytes(bytes, CRLF, pos);
        if (eol < 0) throw new TypeError(`${what}: unterminated part headers`);
        if (eol === pos) { pos += 2; break; }
        const line = fetch.utf8Decode(TypedArrayPrototypeSubarray(bytes, pos, eol));
        pos = eol + 2;
        const colon = StringPrototypeIndexOf(line, ':');
        if (colon <= 0) throw new TypeError(`${what}: malformed part header '${line}'`);
        const name = StringPrototypeToLowerCase(StringPrototypeTrim(StringPrototypeSlice(line, 0, colon)));
        const value = StringPrototypeTrim(StringPrototypeSlice(line, colon + 1));
        if (name === 'content-disposition') disposition = parseDisposition(value);
        else if (name === 'content-type') contentType = value;
      }
      if (disposition === null || disposition.name === undefined) {
        throw new TypeError(`${what}: a part has no Content-Disposition: form-data header with a name`);
      }
      const end = indexOfBytes(bytes, nextDelimiter, pos);
      if (end < 0) throw new TypeError(`${what}: missing the closing boundary delimiter`);
      const content = TypedArrayPrototypeSubarray(bytes, pos, end);
      if (disposition.filename !== undefined) {
        const type = fetch.normalizeType(contentType === '' ? 'text/plain' : contentType);
        // The body bytes are not reused by anyone else, so the File can view them without a copy.
        const file = fileFromBlob(fetch.blobFromParts(content.length > 0 ? [content] : [], type), disposition.filename, type, DateNow());
        ArrayPrototypePush(entries, disposition.name, file);
      } else {
        ArrayPrototypePush(entries, disposition.name, fetch.utf8Decode(content));
      }
      pos = end + 2; // at the next "--boundary"
    }
  }
  const CRLF = new Uint8Array(2); // (not from an array: its iterator may be an app's by now)
  CRLF[0] = 0x0d;
  CRLF[1] = 0x0a;

  // A FormData holding the given [name, value, ...] pairs (urlencoded bodies).
  function formDataFromPairs(pairs) {
    const fd = new FormData(illegalConstructorKey);
    const entries = entriesOf(fd);
    for (let i = 0; i < pairs.length; i++) ArrayPrototypePush(entries, pairs[i]);
    return fd;
  }

  ObjectAssign(fetch, { FormData, isFormData, formDataEntries: entriesOf, formDataToBlob, parseMultipart, formDataFromPairs });
};
