// TextEncoder and TextDecoder (Encoding Standard §7). The codecs, the label table and the legacy
// encodings' index tables are Java's (WebOps, dev.nano.ext.web.Encodings): for 1 MB the ops take
// ~0.3-3 ms, JS loops ~100-1900 ms interpreted and ~15-160 ms with the JIT. Bytes cross as one bulk
// read (JS -> Java) and one TypedArray set (Java -> JS).
//
// For other extensions:
//   internal.encodeUtf8(string) -> Uint8Array            (UTF-8 encode, lone surrogates -> U+FFFD)
//   internal.decodeUtf8(bufferSource, keepBOM = false)   (UTF-8 decode; a leading BOM is dropped
//                                                         unless keepBOM: "UTF-8 decode" vs
//                                                         "UTF-8 decode without BOM")
//   internal.TextDecoder, internal.TextEncoder           (the classes, e.g. for the stream variants)
const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, SharedArrayBufferPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet,
  StringPrototypeToWellFormed, StringPrototypeCharCodeAt, StringPrototypeSlice, StringFromCharCode,
  ObjectDefineProperty, TypeError, RangeError, Uint8Array,
  ArrayBufferViewGetBuffer, ArrayBufferViewGetByteOffset, ArrayBufferViewGetByteLength,
} = internal.primordials;
const { toDOMString, requiredArguments, configureInterface, exposeInterface } = internal.webidl;

// The bytes a BufferSource stands for (WebIDL "get a copy of the bytes held by the buffer source"),
// as buffer + offset + length for WebOps.decode. Set by bufferSourceBytes, read right after.
let srcBuffer = null;
let srcOffset = 0;
let srcLength = 0;

function bufferSourceBytes(input, prefix) {
  if (ArrayBufferIsView(input)) {
    srcBuffer = ArrayBufferViewGetBuffer(input);
    srcOffset = ArrayBufferViewGetByteOffset(input);
    srcLength = ArrayBufferViewGetByteLength(input);
    return;
  }
  srcBuffer = input;
  srcOffset = 0;
  srcLength = arrayBufferByteLength(input);
  if (srcLength < 0) {
    srcBuffer = null;
    throw new TypeError(`${prefix}: The provided value is not of type '(ArrayBuffer or ArrayBufferView or SharedArrayBuffer)'.`);
  }
}

// Byte length of an ArrayBuffer or SharedArrayBuffer (0 when detached); -1 for anything else.
function arrayBufferByteLength(value) {
  if (value === null || typeof value !== 'object') return -1;
  try {
    return ArrayBufferPrototypeGetByteLength(value);
  } catch {
    try {
      return SharedArrayBufferPrototypeGetByteLength(value);
    } catch {
      return -1;
    }
  }
}

// WebIDL dictionary conversion: undefined and null are an empty dictionary, other primitives fail.
function dictionary(value, prefix) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`${prefix}: The provided value is not of type 'object'.`);
  }
  return value;
}

// A Uint8Array of NANO's own holding a copy of bytes returned by an op (a Java ByteBuffer, which
// GraalJS lets a typed array view): one bulk copy, and the result is an ordinary ArrayBuffer.
function copyHostBytes(hostBytes) {
  const view = new Uint8Array(hostBytes);
  const out = new Uint8Array(TypedArrayPrototypeGetByteLength(view));
  TypedArrayPrototypeSet(out, view);
  return out;
}

function encodeUtf8(string) {
  string = StringPrototypeToWellFormed(string);
  return string.length === 0 ? new Uint8Array(0) : copyHostBytes(ops.encodeUtf8(string));
}

// Up to this many bytes, ASCII is decoded in JS: interpreted, 11 bytes take ~8 µs instead of ~13 µs
// through the op; with the JIT both take ~1 µs. (A JS encoder for short strings is no faster with
// the JIT: each uncurried primordial call, like StringPrototypeCharCodeAt, cost ~0.1 µs when this was
// measured, through the shared wrapper 00_primordials.js no longer uses; not measured again since.)
const SMALL = 32;

// Short ASCII-only input, at the start of a UTF-8 stream or between its sequences, is its own
// decoding: done here without an op call. Returns null for anything else (the op decides).
function decodeSmallAscii(input) {
  const view = TypedArrayPrototypeGetSymbolToStringTag(input) === 'Uint8Array'
    ? input : new Uint8Array(srcBuffer, srcOffset, srcLength);
  let text = '';
  for (let i = 0; i < srcLength; i++) {
    const b = view[i];
    if (b >= 0x80) return null;
    text += StringFromCharCode(b);
  }
  return text;
}

class TextEncoder {
  #brand = true;

  static #check(self, what) {
    if (self === null || typeof self !== 'object' || !(#brand in self)) {
      throw new TypeError(`Illegal invocation: ${what} called on an object that is not a TextEncoder`);
    }
  }

  get encoding() {
    TextEncoder.#check(this, 'encoding');
    return 'utf-8';
  }

  // §7.4: encode(optional USVString input = "").
  encode(input = '') {
    TextEncoder.#check(this, 'encode');
    return encodeUtf8(toDOMString(input));
  }

  // §7.4: encodeInto(USVString source, [AllowShared] Uint8Array destination): whole code points only.
  encodeInto(source, destination) {
    TextEncoder.#check(this, 'encodeInto');
    const prefix = "Failed to execute 'encodeInto' on 'TextEncoder'";
    requiredArguments(arguments.length, 2, prefix);
    source = StringPrototypeToWellFormed(toDOMString(source));
    if (!ArrayBufferIsView(destination) || TypedArrayPrototypeGetSymbolToStringTag(destination) !== 'Uint8Array') {
      throw new TypeError(`${prefix}: parameter 2 is not of type 'Uint8Array'.`);
    }
    const capacity = TypedArrayPrototypeGetByteLength(destination); // 0 when detached
    if (capacity === 0 || source.length === 0) return { read: 0, written: 0 };
    const bytes = new Uint8Array(ops.encodeUtf8Into(source, capacity));
    TypedArrayPrototypeSet(destination, bytes);
    return { read: ops.encodeIntoRead(), written: TypedArrayPrototypeGetByteLength(bytes) };
  }
}
configureInterface(TextEncoder);

// The default label's lookup, done once per context on first use.
let utf8Id = -1;

class TextDecoder {
  #id;
  #encoding;
  #fatal;
  #ignoreBOM;
  #stripBOM; // §7.1 "serialize I/O queue": only the UTF-8 and UTF-16 decoders drop a leading BOM
  #state = 0; // what WebOps.decode carries over between chunks of a stream; 0: fresh
  #doNotFlush = false;
  #bomSeen = false;

  // §7.2: constructor(optional DOMString label = "utf-8", optional TextDecoderOptions options = {}).
  constructor(label = undefined, options = undefined) {
    const prefix = "Failed to construct 'TextDecoder'";
    label = label === undefined ? 'utf-8' : toDOMString(label);
    options = dictionary(options, prefix);
    const fatal = options === undefined ? false : !!options.fatal;
    const ignoreBOM = options === undefined ? false : !!options.ignoreBOM;
    if (utf8Id < 0) utf8Id = ops.encodingId('utf-8');
    const id = label === 'utf-8' ? utf8Id : ops.encodingId(label);
    if (id < 0) {
      // WebOps.encodingId: -1 no such label, -2 a label of "replacement" (§7.2 step 2).
      throw new RangeError(`${prefix}: The encoding label provided ('${label}') is invalid.`);
    }
    this.#id = id;
    this.#encoding = id === utf8Id ? 'utf-8' : ops.encodingName(id);
    this.#fatal = fatal;
    this.#ignoreBOM = ignoreBOM;
    const encoding = this.#encoding;
    this.#stripBOM = !ignoreBOM && (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be');
  }

  get encoding() {
    return this.#encoding;
  }

  get fatal() {
    return this.#fatal;
  }

  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  // §7.2: decode(optional AllowSharedBufferSource input, optional TextDecodeOptions options = {}).
  decode(input = undefined, options = undefined) {
    const prefix = "Failed to execute 'decode' on 'TextDecoder'";
    const id = this.#id;
    if (input === undefined) {
      srcBuffer = null;
      srcLength = 0;
    } else {
      bufferSourceBytes(input, prefix);
    }
    options = dictionary(options, prefix);
    const stream = options === undefined ? false : !!options.stream;
    if (!this.#doNotFlush) {
      this.#state = 0;
      this.#bomSeen = false;
    }
    this.#doNotFlush = stream;
    let text = null;
    if (this.#state === 0) {
      if (srcLength === 0) text = '';
      else if (srcLength <= SMALL && id === utf8Id) text = decodeSmallAscii(input);
    }
    if (text === null) {
      text = ops.decode(id, srcBuffer, srcOffset, srcLength, this.#state, !stream, this.#fatal);
      srcBuffer = null;
      if (text === null) {
        this.#state = 0;
        throw new TypeError(`${prefix}: The encoded data was not valid for encoding ${this.#encoding}`);
      }
      this.#state = stream ? ops.decodeState() : 0;
    }
    srcBuffer = null;
    if (this.#stripBOM && !this.#bomSeen && text.length !== 0) {
      this.#bomSeen = true;
      if (StringPrototypeCharCodeAt(text, 0) === 0xFEFF) text = StringPrototypeSlice(text, 1);
    }
    return text;
  }
}
configureInterface(TextDecoder);

// "UTF-8 decode" (BOM dropped) and "UTF-8 decode without BOM" (kept) for other extensions.
function decodeUtf8(input, keepBOM = false) {
  bufferSourceBytes(input, 'decodeUtf8');
  if (srcLength === 0) return '';
  if (utf8Id < 0) utf8Id = ops.encodingId('utf-8');
  let text = ops.decode(utf8Id, srcBuffer, srcOffset, srcLength, 0, true, false);
  srcBuffer = null;
  if (!keepBOM && StringPrototypeCharCodeAt(text, 0) === 0xFEFF) text = StringPrototypeSlice(text, 1);
  return text;
}

internal.encodeUtf8 = encodeUtf8;
internal.decodeUtf8 = decodeUtf8;
internal.TextEncoder = TextEncoder;
internal.TextDecoder = TextDecoder;
exposeInterface('TextEncoder', TextEncoder);
exposeInterface('TextDecoder', TextDecoder);
