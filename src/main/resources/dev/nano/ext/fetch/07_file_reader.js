// FileReader (File API §6), FileReaderSync (§7) and the ProgressEvent FileReader fires
// (XMLHttpRequest §6 "Interface ProgressEvent"). Few apps use them: the classes are built on the
// first access of any of the three globals (internal.exposeLazily), not in every context.
//
// A Blob's bytes are already in memory (01_blob.js), so a read is one chunk: the "in parallel" part
// of §6.2 "read operation" becomes a short chain of tasks on the context's event loop, each checked
// against the read it belongs to, so that abort() (or a new read started from a handler) drops the
// tasks of the old read, as §6.4.7 abort() step 3 "remove those tasks" asks. For the same reason
// FileReaderSync never blocks.
const {
  ArrayBuffer, FunctionPrototypeCall, MathMin, ReflectApply, StringFromCharCode, StringPrototypeToLowerCase,
  StringPrototypeTrim, TypedArrayPrototypeSubarray, ArrayPrototypeIncludes,
} = internal.primordials;
const { EventTarget, TextDecoder } = internal;
const fetch = internal.fetch;

// Taken now: an app may replace the globals and prototypes later.
const textDecoderDecode = TextDecoder.prototype.decode;
const btoa = globalThis.btoa;

// FileReader states (§6.4.3 readyState).
const EMPTY = 0;
const LOADING = 1;
const DONE = 2;

// ---- package data (File API §6.3) ----

const ARRAY_BUFFER = 0;
const BINARY_STRING = 1;
const TEXT = 2;
const DATA_URL = 3;

// Encoding Standard §4.2: the labels of the replacement encoding, which TextDecoder refuses.
const REPLACEMENT_LABELS = ['csiso2022kr', 'hz-gb-2312', 'iso-2022-cn', 'iso-2022-cn-ext', 'iso-2022-kr', 'replacement'];

// Encoding Standard "get an encoding": a TextDecoder for the label's encoding, 'replacement', or null.
function decoderFor(label) {
  if (ArrayPrototypeIncludes(REPLACEMENT_LABELS, StringPrototypeToLowerCase(StringPrototypeTrim(label)))) {
    return 'replacement';
  }
  try {
    return new TextDecoder(label);
  } catch {
    return null; // RangeError: not a label (or an encoding NANO cannot decode)
  }
}

// §6.3 package data, type Text: the encoding argument, else the charset of the blob's type, else
// UTF-8, used as the fallback of Encoding Standard §6 "decode" (a BOM wins over it).
function decodeText(bytes, encodingName, type) {
  let decoder = encodingName === undefined ? null : decoderFor(encodingName);
  if (decoder === null && type !== '') {
    const mime = fetch.parseMimeType(type);
    const charset = mime === null ? null : fetch.mimeParam(mime.params, 'charset');
    if (charset !== null) decoder = decoderFor(charset);
  }
  const b0 = bytes.length > 0 ? bytes[0] : -1;
  const b1 = bytes.length > 1 ? bytes[1] : -1;
  if (b0 === 0xef && b1 === 0xbb && bytes.length > 2 && bytes[2] === 0xbf) decoder = new TextDecoder('utf-8');
  else if (b0 === 0xfe && b1 === 0xff) decoder = new TextDecoder('utf-16be');
  else if (b0 === 0xff && b1 === 0xfe) decoder = new TextDecoder('utf-16le');
  else if (decoder === 'replacement') return bytes.length === 0 ? '' : '\ufffd';
  else if (decoder === null) return fetch.utf8Decode(bytes);
  // The decoder drops the BOM of its own encoding, the one sniffed above.
  return FunctionPrototypeCall(textDecoderDecode, decoder, bytes);
}

// Each byte as one code unit (§6.3 BinaryString), in slices that stay within argument-count limits.
function binaryString(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += ReflectApply(StringFromCharCode, null, TypedArrayPrototypeSubarray(bytes, i, MathMin(i + 8192, bytes.length)));
  }
  return s;
}

// §6.3 package data; a DataURL without a type says application/octet-stream, as browsers do.
function packageData(bytes, kind, type, encodingName) {
  switch (kind) {
    case ARRAY_BUFFER:
      return bytes.length === 0 ? new ArrayBuffer(0) : fetch.toArrayBuffer(bytes);
    case BINARY_STRING:
      return binaryString(bytes);
    case TEXT:
      return decodeText(bytes, encodingName, type);
    default: {
      const base64 = FunctionPrototypeCall(btoa, globalThis, binaryString(bytes));
      return `data:${type === '' ? 'application/octet-stream' : type};base64,${base64}`;
    }
  }
}

// ---- the classes, built on first use ----

function createApi() {
  const { configureInterface, requiredArguments, toDOMString, toUnsignedLongLong } = internal.webidl;
  const { ObjectDefineProperty, TypeError } = internal.primordials;
  const { DOMException } = internal;
  const { Event } = internal.events();

  // ---- ProgressEvent ----

  let newProgressEvent; // (type, loaded, total) -> a ProgressEvent with lengthComputable true

  class ProgressEvent extends Event {
    #lengthComputable = false;
    #loaded = 0;
    #total = 0;

    constructor(type, eventInitDict = undefined) {
      requiredArguments(arguments.length, 1, "Failed to construct 'ProgressEvent'");
      super(type, eventInitDict); // reads EventInit's members, which sort before ProgressEventInit's
      if (eventInitDict !== undefined && eventInitDict !== null) {
        this.#lengthComputable = !!eventInitDict.lengthComputable;
        const loaded = eventInitDict.loaded;
        if (loaded !== undefined) this.#loaded = toUnsignedLongLong(loaded);
        const total = eventInitDict.total;
        if (total !== undefined) this.#total = toUnsignedLongLong(total);
      }
    }

    get lengthComputable() { return this.#lengthComputable; }
    get loaded() { return this.#loaded; }
    get total() { return this.#total; }

    static {
      newProgressEvent = (type, loaded, total) => {
        const e = new ProgressEvent(type);
        e.#lengthComputable = true;
        e.#loaded = loaded;
        e.#total = total;
        return e;
      };
    }
  }

  configureInterface(ProgressEvent);

  // ---- FileReader ----

  let isFileReader;

  class FileReader extends EventTarget {
    #state = EMPTY;
    #result = null;
    #error = null;
    #read = null; // the read in progress: { blob, kind, encoding, timer }; null when none
    #generation = 0; // reads started so far

    constructor() {
      super();
    }

    readAsArrayBuffer(blob) {
      this.#start(blob, ARRAY_BUFFER, undefined, 'readAsArrayBuffer', arguments.length);
    }

    readAsBinaryString(blob) {
      this.#start(blob, BINARY_STRING, undefined, 'readAsBinaryString', arguments.length);
    }

    readAsText(blob, encoding = undefined) {
      this.#start(blob, TEXT, encoding, 'readAsText', arguments.length);
    }

    readAsDataURL(blob) {
      this.#start(blob, DATA_URL, undefined, 'readAsDataURL', arguments.length);
    }

    // §6.4.7 abort().
    abort() {
      check(this);
      if (this.#state !== LOADING) {
        this.#result = null;
        return;
      }
      this.#state = DONE;
      this.#result = null;
      this.#cancel();
      this.#fire('abort', 0, 0);
      if (this.#state !== LOADING) this.#fire('loadend', 0, 0);
    }

    get readyState() {
      check(this);
      return this.#state;
    }

    get result() {
      check(this);
      return this.#result;
    }

    get error() {
      check(this);
      return this.#error;
    }

    // §6.2 "read operation", steps 1-4, then the tasks that stand for its parallel steps.
    #start(blob, kind, encoding, method, argc) {
      check(this);
      const prefix = `Failed to execute '${method}' on 'FileReader'`;
      requiredArguments(argc, 1, prefix);
      if (!fetch.isBlob(blob)) throw new TypeError(`${prefix}: parameter 1 is not of type 'Blob'.`);
      if (encoding !== undefined) encoding = toDOMString(encoding);
      if (this.#state === LOADING) throw new DOMException(`${prefix}: The object is already busy reading Blobs.`, 'InvalidStateError');
      this.#state = LOADING;
      this.#result = null;
      this.#error = null;
      const read = { blob, kind, encoding, timer: 0 };
      this.#read = read;
      this.#generation++;
      this.#queue(read, () => this.#loadStart(read));
    }

    // The first chunk arrived: loadstart, then (for a non-empty Blob) one progress event with all of it.
    #loadStart(read) {
      const size = fetch.blobSize(read.blob);
      this.#fire('loadstart', 0, size);
      if (this.#read !== read) return; // a handler aborted (and maybe started another read)
      if (size === 0) {
        this.#queue(read, () => this.#finish(read));
      } else {
        this.#queue(read, () => {
          this.#fire('progress', size, size);
          this.#queue(read, () => this.#finish(read));
        });
      }
    }

    // §6.2 step 10.5: the stream is done. The spec fires load (or error) and loadend in one task; a
    // browser runs microtasks after each listener (HTML "clean up after running a callback", its
    // stack being empty), which NANO's JS-driven task cannot, so loadend gets a task of its own,
    // queued before the load listeners run so that their own tasks still come after it.
    #finish(read) {
      this.#read = null;
      this.#state = DONE;
      const size = fetch.blobSize(read.blob);
      let result;
      let failed = false;
      try {
        result = packageData(fetch.blobBytes(read.blob), read.kind, fetch.blobTypeOf(read.blob), read.encoding);
      } catch (e) {
        result = e;
        failed = true;
      }
      const generation = this.#generation;
      const loaded = failed ? 0 : size;
      internal.timers.setTimeout(() => {
        // A load or error handler that started another read cancels this loadend.
        if (this.#generation === generation && this.#state !== LOADING) this.#fire('loadend', loaded, size);
      }, 0);
      if (failed) {
        this.#error = result;
        this.#fire('error', 0, size);
      } else {
        this.#result = result;
        this.#fire('load', size, size);
      }
    }

    // "Queue a task" on the file reading task source, dropped if the read is no longer current.
    #queue(read, step) {
      read.timer = internal.timers.setTimeout(() => {
        read.timer = 0;
        if (this.#read === read) step();
      }, 0);
    }

    #cancel() {
      const read = this.#read;
      this.#read = null;
      if (read !== null && read.timer !== 0) internal.timers.clearTimeout(read.timer);
    }

    #fire(type, loaded, total) {
      internal.dispatchTrusted(this, newProgressEvent(type, loaded, total));
    }

    static {
      isFileReader = (v) => typeof v === 'object' && v !== null && #state in v;
    }
  }

  function check(self) {
    if (!isFileReader(self)) throw new TypeError('Illegal invocation: the receiver is not a FileReader');
  }

  // Event handler attributes (§6.4.1), then the interface's shape: constants on the interface object
  // and its prototype (WebIDL §3.7.5).
  // (Indexed loops: this runs after app code, which may have replaced Array iterators.)
  const handlers = ['loadstart', 'progress', 'load', 'abort', 'error', 'loadend'];
  for (let i = 0; i < handlers.length; i++) internal.defineEventHandler(FileReader.prototype, handlers[i], isFileReader);
  configureInterface(FileReader);
  const constants = ['EMPTY', EMPTY, 'LOADING', LOADING, 'DONE', DONE];
  for (let i = 0; i < constants.length; i += 2) {
    const desc = { value: constants[i + 1], writable: false, enumerable: true, configurable: false };
    ObjectDefineProperty(FileReader, constants[i], desc);
    ObjectDefineProperty(FileReader.prototype, constants[i], desc);
  }

  // ---- FileReaderSync (§7): the same package data, returned at once ----

  const readSync = (self, blob, kind, encoding, method, argc) => {
    if (!isFileReaderSync(self)) throw new TypeError('Illegal invocation: the receiver is not a FileReaderSync');
    const prefix = `Failed to execute '${method}' on 'FileReaderSync'`;
    requiredArguments(argc, 1, prefix);
    if (!fetch.isBlob(blob)) throw new TypeError(`${prefix}: parameter 1 is not of type 'Blob'.`);
    if (encoding !== undefined) encoding = toDOMString(encoding);
    return packageData(fetch.blobBytes(blob), kind, fetch.blobTypeOf(blob), encoding);
  };
  let isFileReaderSync;

  class FileReaderSync {
    #brand;

    readAsArrayBuffer(blob) {
      return readSync(this, blob, ARRAY_BUFFER, undefined, 'readAsArrayBuffer', arguments.length);
    }

    readAsBinaryString(blob) {
      return readSync(this, blob, BINARY_STRING, undefined, 'readAsBinaryString', arguments.length);
    }

    readAsText(blob, encoding = undefined) {
      return readSync(this, blob, TEXT, encoding, 'readAsText', arguments.length);
    }

    readAsDataURL(blob) {
      return readSync(this, blob, DATA_URL, undefined, 'readAsDataURL', arguments.length);
    }

    static {
      isFileReaderSync = (v) => typeof v === 'object' && v !== null && #brand in v;
    }
  }
  configureInterface(FileReaderSync);

  return { ProgressEvent, FileReader, FileReaderSync };
}

internal.exposeLazily(['ProgressEvent', 'FileReader', 'FileReaderSync'], createApi);
