// The Streams extension's faces: the global interfaces, installed lazily (nothing of the previous
// files is built until an app first touches one of them; ARCHITECTURE.md "Keeping a context small"),
// and internal.streams for other extensions (fetch bodies, the HTTP server). Reading internal.streams
// builds tier 1 (readable streams, ~28 KB per context); internal.isReadableStream(v) answers without
// building anything while no stream exists.
//
//   isReadableStream(v)                 -> boolean
//   isDisturbed(stream), isLocked(stream), state(stream) -> 'readable' | 'closed' | 'errored'
//   createPullStream(pull, cancel, highWaterMark = 0) -> PullSource
//       A readable byte stream fed by its owner. pull() is called when the stream wants data (a read
//       is waiting or the queue is below highWaterMark bytes); it may return a promise, and is not
//       called again before that settles. cancel(reason) runs when the consumer cancels. Both may
//       be undefined. The PullSource has: stream (the ReadableStream), enqueue(uint8Array) -> false
//       once the stream no longer accepts chunks (the array's buffer is transferred, not copied),
//       close(), error(e), desiredSize (bytes wanted; <= 0: stop producing, null once errored).
//   readAllBytes(stream)                -> Promise<Uint8Array> (locks the stream; non-Uint8Array
//                                          chunks reject with a TypeError, as Fetch requires)
//   tee(stream)                         -> [ReadableStream, ReadableStream]; byte streams' branches
//                                          get copies of each chunk
//   getReader(stream)                   -> a reader handle (TypeError if the stream is locked)
//   read(reader, { chunk(value), close(), error(e) }) reads one chunk into the callbacks (which may
//                                          run synchronously); no promise, nothing app code can see
//   releaseReader(reader), cancel(stream, reason) -> Promise<undefined>
//
// Also internal.ReadableStream (the class), internal.isReadableStream and
// internal.isReadableStreamDisturbed, which the fetch extension looks for.
const load = internal.streamsLoad;
const loaded = internal.streamsLoaded;

internal.streamsDefine((S) => {
  const {
    TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
    TypedArrayPrototypeGetBuffer, TypedArrayPrototypeSet, ArrayBufferPrototypeGetByteLength, Uint8Array, Promise,
    TypeError,
  } = internal.primordials;
  const {
    promiseResolvedWith, promiseRejectedWith, Deferred, rsOf, RSByteController,
    AcquireReadableStreamDefaultReader, CreateReadableByteStream, ReadableStreamCancel, ReadableStreamReaderRelease,
    ReadableStreamDefaultReaderRead, ReadableByteStreamControllerClose,
    ReadableByteStreamControllerEnqueue, ReadableByteStreamControllerError, ReadableByteStreamControllerRespond,
    ReadableByteStreamControllerGetDesiredSize,
  } = S;

  class PullSource {
    constructor(stream) {
      this.rs = stream;
      this.stream = stream.w;
    }

    enqueue(bytes) {
      const controller = this.rs.controller;
      if (controller.closeRequested || this.rs.state !== 'readable') return false;
      if (TypedArrayPrototypeGetByteLength(bytes) > 0) ReadableByteStreamControllerEnqueue(controller, bytes);
      return true;
    }

    // Streams §9.1.2 "close" for byte streams: a pending BYOB read is answered with 0 bytes.
    close() {
      const controller = this.rs.controller;
      if (controller.closeRequested || this.rs.state !== 'readable') return;
      ReadableByteStreamControllerClose(controller);
      if (controller.pendingPullIntos.size > 0) ReadableByteStreamControllerRespond(controller, 0);
    }

    error(e) {
      ReadableByteStreamControllerError(this.rs.controller, e);
    }

    get desiredSize() {
      return ReadableByteStreamControllerGetDesiredSize(this.rs.controller);
    }
  }

  function createPullStream(pull, cancel, highWaterMark = 0) {
    let source;
    // The callers are NANO's own code: a promise they return is ours, reacted to with the saved then.
    const settle = (result) => (result instanceof Promise ? result : promiseResolvedWith(undefined));
    const pullAlgorithm = pull === undefined ? () => promiseResolvedWith(undefined) : () => {
      try {
        return settle(pull());
      } catch (e) {
        return promiseRejectedWith(e);
      }
    };
    const cancelAlgorithm = cancel === undefined ? () => promiseResolvedWith(undefined) : (reason) => {
      try {
        return settle(cancel(reason));
      } catch (e) {
        return promiseRejectedWith(e);
      }
    };
    const stream = CreateReadableByteStream(() => undefined, pullAlgorithm, cancelAlgorithm);
    stream.controller.strategyHWM = highWaterMark;
    source = new PullSource(stream);
    return source;
  }

  // Streams §9.1.2 "read all bytes", with Fetch's Uint8Array check. Chunks of a byte stream are the
  // stream's own buffers; other streams' chunks are copied as they arrive (the app may reuse them).
  function readAllBytes(publicStream) {
    let stream;
    let reader;
    try {
      stream = rsOf(publicStream, 'readAllBytes');
      reader = AcquireReadableStreamDefaultReader(stream);
    } catch (e) {
      return promiseRejectedWith(e);
    }
    const owned = stream.controller instanceof RSByteController;
    const result = new Deferred();
    const chunks = [];
    let total = 0;
    let inRead = false;
    let readAgain = false;
    const request = {
      chunk(chunk) {
        if (TypedArrayPrototypeGetSymbolToStringTag(chunk) !== 'Uint8Array') {
          result.reject(new TypeError('The stream gave a chunk that is not a Uint8Array'));
          return;
        }
        const length = TypedArrayPrototypeGetByteLength(chunk);
        if (length > 0) {
          let bytes = chunk;
          if (!owned) {
            bytes = new Uint8Array(length);
            TypedArrayPrototypeSet(bytes, chunk);
          }
          chunks[chunks.length] = bytes;
          total += length;
        }
        if (inRead) readAgain = true; // a chunk that was already queued: loop instead of recursing
        else loop();
      },
      close() { result.resolve(concat(chunks, total)); },
      error(e) { result.reject(e); },
    };
    function loop() {
      do {
        readAgain = false;
        inRead = true;
        ReadableStreamDefaultReaderRead(reader, request);
        inRead = false;
      } while (readAgain);
    }
    loop();
    return result.promise;
  }

  function concat(chunks, total) {
    if (chunks.length === 1) {
      const only = chunks[0];
      if (TypedArrayPrototypeGetByteOffset(only) === 0
        && ArrayBufferPrototypeGetByteLength(TypedArrayPrototypeGetBuffer(only)) === total) {
        return only;
      }
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      TypedArrayPrototypeSet(out, chunks[i], at);
      at += TypedArrayPrototypeGetByteLength(chunks[i]);
    }
    return out;
  }

  S.api = {
    __proto__: null,
    isReadableStream: S.isReadableStream,
    isDisturbed: (stream) => rsOf(stream, 'isDisturbed').disturbed,
    isLocked: (stream) => rsOf(stream, 'isLocked').reader !== undefined,
    state: (stream) => rsOf(stream, 'state').state,
    createPullStream,
    readAllBytes,
    tee(stream) {
      const rs = rsOf(stream, 'tee');
      const branches = load(2).ReadableStreamTee(rs, false);
      return [branches[0].w, branches[1].w];
    },
    getReader: (stream) => AcquireReadableStreamDefaultReader(rsOf(stream, 'getReader')),
    read(reader, request) {
      if (reader.stream === undefined) {
        request.error(new TypeError('This reader has been released'));
        return;
      }
      ReadableStreamDefaultReaderRead(reader, request);
    },
    releaseReader(reader) {
      if (reader.stream !== undefined) ReadableStreamReaderRelease(reader);
    },
    cancel: (stream, reason) => ReadableStreamCancel(rsOf(stream, 'cancel'), reason),
  };
});

// Lazy globals: accessors until first use, then the data properties WebIDL specifies (writable,
// configurable, not enumerable), for every name of the group the app did not replace. Written out
// as one object literal: ~1.6 KB per context less than a loop making a closure per name.
const {
  ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ReflectOwnKeys, StringPrototypeSplit,
} = internal.primordials;
const define = (name, value) => {
  ObjectDefineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
};
function install(tier, names) {
  const S = load(tier);
  const list = StringPrototypeSplit(names, ',');
  for (let i = 0; i < list.length; i++) {
    const desc = ObjectGetOwnPropertyDescriptor(globalThis, list[i]);
    if (desc !== undefined && desc.get === ObjectGetOwnPropertyDescriptor(lazyGlobals, list[i]).get) {
      define(list[i], S[list[i]]);
    }
  }
  return S;
}
const readable = () => install(1, 'ReadableStream,ReadableStreamDefaultReader,ReadableStreamBYOBReader,'
  + 'ReadableStreamDefaultController,ReadableByteStreamController,ReadableStreamBYOBRequest');
const others = () => install(2, 'WritableStream,WritableStreamDefaultWriter,WritableStreamDefaultController,'
  + 'TransformStream,TransformStreamDefaultController,ByteLengthQueuingStrategy,CountQueuingStrategy,'
  + 'TextEncoderStream,TextDecoderStream,CompressionStream,DecompressionStream');
const lazyGlobals = {
  get ReadableStream() { return readable().ReadableStream; },
  set ReadableStream(v) { define('ReadableStream', v); },
  get ReadableStreamDefaultReader() { return readable().ReadableStreamDefaultReader; },
  set ReadableStreamDefaultReader(v) { define('ReadableStreamDefaultReader', v); },
  get ReadableStreamBYOBReader() { return readable().ReadableStreamBYOBReader; },
  set ReadableStreamBYOBReader(v) { define('ReadableStreamBYOBReader', v); },
  get ReadableStreamDefaultController() { return readable().ReadableStreamDefaultController; },
  set ReadableStreamDefaultController(v) { define('ReadableStreamDefaultController', v); },
  get ReadableByteStreamController() { return readable().ReadableByteStreamController; },
  set ReadableByteStreamController(v) { define('ReadableByteStreamController', v); },
  get ReadableStreamBYOBRequest() { return readable().ReadableStreamBYOBRequest; },
  set ReadableStreamBYOBRequest(v) { define('ReadableStreamBYOBRequest', v); },
  get WritableStream() { return others().WritableStream; },
  set WritableStream(v) { define('WritableStream', v); },
  get WritableStreamDefaultWriter() { return others().WritableStreamDefaultWriter; },
  set WritableStreamDefaultWriter(v) { define('WritableStreamDefaultWriter', v); },
  get WritableStreamDefaultController() { return others().WritableStreamDefaultController; },
  set WritableStreamDefaultController(v) { define('WritableStreamDefaultController', v); },
  get TransformStream() { return others().TransformStream; },
  set TransformStream(v) { define('TransformStream', v); },
  get TransformStreamDefaultController() { return others().TransformStreamDefaultController; },
  set TransformStreamDefaultController(v) { define('TransformStreamDefaultController', v); },
  get ByteLengthQueuingStrategy() { return others().ByteLengthQueuingStrategy; },
  set ByteLengthQueuingStrategy(v) { define('ByteLengthQueuingStrategy', v); },
  get CountQueuingStrategy() { return others().CountQueuingStrategy; },
  set CountQueuingStrategy(v) { define('CountQueuingStrategy', v); },
  get TextEncoderStream() { return others().TextEncoderStream; },
  set TextEncoderStream(v) { define('TextEncoderStream', v); },
  get TextDecoderStream() { return others().TextDecoderStream; },
  set TextDecoderStream(v) { define('TextDecoderStream', v); },
  get CompressionStream() { return others().CompressionStream; },
  set CompressionStream(v) { define('CompressionStream', v); },
  get DecompressionStream() { return others().DecompressionStream; },
  set DecompressionStream(v) { define('DecompressionStream', v); },
};
const lazyNames = ReflectOwnKeys(lazyGlobals);
for (let i = 0; i < lazyNames.length; i++) {
  const desc = ObjectGetOwnPropertyDescriptor(lazyGlobals, lazyNames[i]);
  desc.enumerable = false;
  ObjectDefineProperty(globalThis, lazyNames[i], desc);
}

// For other extensions. internal.streams builds tier 1 on first access: test values with
// internal.isReadableStream, which builds nothing while no stream exists.
internal.isReadableStream = (v) => loaded(1) && load(1).isReadableStream(v);
internal.isReadableStreamDisturbed = (stream) => load(1).api.isDisturbed(stream);
ObjectDefineProperty(internal, 'streams', { get: () => load(1).api, enumerable: true });
ObjectDefineProperty(internal, 'ReadableStream', { get: () => load(1).ReadableStream, enumerable: true });
