// Compression Standard §4-5: CompressionStream and DecompressionStream for "deflate" (zlib),
// "deflate-raw" and "gzip". The codecs are Java's (CompressionOps over java.util.zip); JS holds a
// codec id, opened with the first chunk. Output comes from Java in pieces of at most 64 KiB, each
// enqueued as one Uint8Array; between pieces of one input the transform waits while the readable
// side has backpressure, so decompressing a small "bomb" never buffers its whole output.
internal.streamsDefine((S) => {
  const {
    ObjectAssign, ArrayBufferIsView, Uint8Array, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet, TypeError,
    FunctionPrototypeCall,
  } = internal.primordials;
  const { configureInterface, requiredArguments, toDOMString } = internal.webidl;
  const {
    FinalizationRegistry: FinalizationRegistryCtor, FinalizationRegistryRegister: registryRegister,
    FinalizationRegistryUnregister: registryUnregister,
  } = S.builtins;
  const {
    isObject, isArrayBuffer, viewBuffer, viewByteOffset, viewByteLength, isSharedArrayBuffer, arrayBufferByteLength,
    transformPromiseWith, illegal, setUpTransformStream, TransformStreamDefaultControllerEnqueue,
  } = S;
  const formats = { __proto__: null, deflate: true, 'deflate-raw': true, gzip: true };

  // Frees codecs of streams the app dropped before they completed (a codec holds native memory).
  let registry = null;
  const freeCodec = (id) => { ops.zlibClose(id); };

  // A codec: id 0 until the first chunk, -1 once freed. The stream's algorithms (and any pending
  // continuation) hold it, so it becomes unreachable only once nothing can use it any more.
  class Codec {
    constructor(format, decompress) {
      this.format = format;
      this.decompress = decompress;
      this.id = 0;
      this.finishing = false;
    }
  }

  function open(codec) {
    const id = ops.zlibOpen(codec.format, codec.decompress);
    if (id === 0) throw new TypeError(ops.zlibError());
    codec.id = id;
    if (FinalizationRegistryCtor !== undefined) {
      if (registry === null) registry = new FinalizationRegistryCtor(freeCodec);
      FunctionPrototypeCall(registryRegister, registry, codec, id, codec);
    }
  }

  function close(codec) {
    if (codec.id > 0) {
      if (registry !== null) FunctionPrototypeCall(registryUnregister, registry, codec);
      ops.zlibClose(codec.id);
    }
    codec.id = -1;
  }

  // "Compress/decompress and enqueue a chunk": the chunk must be a BufferSource (not shared).
  function write(codec, stream, chunk) {
    let buffer;
    let offset;
    let length;
    if (ArrayBufferIsView(chunk)) {
      buffer = viewBuffer(chunk);
      if (isSharedArrayBuffer(buffer)) throw notBufferSource();
      offset = viewByteOffset(chunk);
      length = viewByteLength(chunk);
    } else if (isArrayBuffer(chunk)) {
      buffer = chunk;
      offset = 0;
      length = arrayBufferByteLength(chunk);
    } else {
      close(codec);
      throw notBufferSource();
    }
    if (codec.id === 0) open(codec);
    if (codec.id < 0) throw new TypeError('The stream has already ended');
    return emit(codec, stream, ops.zlibWrite(codec.id, buffer, offset, length));
  }

  const notBufferSource = () => new TypeError('The chunk is not an ArrayBuffer or ArrayBufferView');

  // "Compress/decompress flush and enqueue".
  function flush(codec, stream) {
    if (codec.id === 0) open(codec);
    if (codec.id < 0) throw new TypeError('The stream has already ended');
    codec.finishing = true;
    return emit(codec, stream, ops.zlibFinish(codec.id));
  }

  // Enqueues a piece of output and pulls the next ones; null from Java is a corrupt stream.
  function emit(codec, stream, out) {
    for (;;) {
      if (out === null) {
        codec.id = -1; // Java freed it
        throw new TypeError(`The compressed data is invalid: ${ops.zlibError()}`);
      }
      const more = ops.zlibMore(); // read before enqueueing: that may run app code
      const view = new Uint8Array(out);
      const n = TypedArrayPrototypeGetByteLength(view);
      if (n > 0) {
        const chunk = new Uint8Array(n);
        TypedArrayPrototypeSet(chunk, view);
        TransformStreamDefaultControllerEnqueue(stream.controller, chunk);
      }
      if (!more) {
        if (codec.finishing && codec.id > 0) {
          // The last piece after finish: Java freed the codec.
          if (registry !== null) FunctionPrototypeCall(registryUnregister, registry, codec);
          codec.id = -1;
        }
        return undefined;
      }
      if (stream.backpressure) {
        return transformPromiseWith(stream.backpressureChangePromise.promise,
          () => (codec.id > 0 ? emit(codec, stream, ops.zlibPull(codec.id)) : undefined));
      }
      out = ops.zlibPull(codec.id);
    }
  }

  function formatOf(format, prefix) {
    format = toDOMString(format);
    if (formats[format] !== true) {
      throw new TypeError(`${prefix}: The provided value '${format}' is not a valid enum value of type CompressionFormat.`);
    }
    return format;
  }

  let compressionStreamOf, decompressionStreamOf;

  // The transform both classes wrap: chunks go through the codec; any failure frees it at once.
  function codecTransform(codec) {
    const stream = setUpTransformStream((chunk) => {
      try {
        return write(codec, stream, chunk);
      } catch (e) {
        close(codec);
        throw e;
      }
    }, () => {
      try {
        return flush(codec, stream);
      } catch (e) {
        close(codec);
        throw e;
      }
    }, () => { close(codec); });
    return stream;
  }

  class CompressionStream {
    #t;

    constructor(format) {
      const prefix = "Failed to construct 'CompressionStream'";
      requiredArguments(arguments.length, 1, prefix);
      this.#t = codecTransform(new Codec(formatOf(format, prefix), false));
    }

    get readable() {
      return compressionStreamOf(this, 'readable').readable.w;
    }

    get writable() {
      return compressionStreamOf(this, 'writable').writable.w;
    }

    static {
      compressionStreamOf = (v, what) => {
        if (!isObject(v) || !(#t in v)) throw illegal(what, 'CompressionStream');
        return v.#t;
      };
    }
  }

  class DecompressionStream {
    #t;

    constructor(format) {
      const prefix = "Failed to construct 'DecompressionStream'";
      requiredArguments(arguments.length, 1, prefix);
      this.#t = codecTransform(new Codec(formatOf(format, prefix), true));
    }

    get readable() {
      return decompressionStreamOf(this, 'readable').readable.w;
    }

    get writable() {
      return decompressionStreamOf(this, 'writable').writable.w;
    }

    static {
      decompressionStreamOf = (v, what) => {
        if (!isObject(v) || !(#t in v)) throw illegal(what, 'DecompressionStream');
        return v.#t;
      };
    }
  }

  configureInterface(CompressionStream);
  configureInterface(DecompressionStream);
  ObjectAssign(S, { CompressionStream, DecompressionStream });
}, 2);
