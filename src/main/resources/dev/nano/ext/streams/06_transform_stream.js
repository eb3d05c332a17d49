// Streams Standard §6: TransformStream, TransformStreamDefaultController and their abstract
// operations (§6.4), plus "set up a TransformStream" (§6.4.1 for other specifications) used by the
// text and compression streams.
internal.streamsDefine((S) => {
  const { FunctionPrototypeCall, ObjectAssign, Promise, TypeError, RangeError } = internal.primordials;
  const { configureInterface } = internal.webidl;
  const {
    isObject, promiseResolvedWith, promiseRejectedWith, uponPromise, transformPromiseWith, promiseCall1, promiseCall2, toDictionary, toCallback, toQueuingStrategy, ExtractHighWaterMark,
    ExtractSizeAlgorithm, returnOne, kInternal, Deferred, illegal, CreateReadableStream, CreateWritableStream,
    ReadableStreamDefaultControllerCanCloseOrEnqueue, ReadableStreamDefaultControllerClose,
    ReadableStreamDefaultControllerEnqueue, ReadableStreamDefaultControllerError,
    ReadableStreamDefaultControllerGetDesiredSize, ReadableStreamDefaultControllerHasBackpressure,
    WritableStreamDefaultControllerErrorIfNeeded,
  } = S;

  class TStream {
    constructor() {
      this.backpressure = undefined;
      this.backpressureChangePromise = undefined; // Deferred
      this.controller = undefined;
      this.readable = undefined; // RSStream
      this.writable = undefined; // WSStream
      this.w = null;
    }
  }

  class TController {
    constructor() {
      this.stream = undefined;
      this.transformAlgorithm = undefined;
      this.flushAlgorithm = undefined;
      this.cancelAlgorithm = undefined;
      this.finishPromise = undefined; // Deferred
      this.w = null;
    }
  }

  let transformStreamOf, transformControllerOf;

  class TransformStream {
    #t;

    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      const prefix = "Failed to construct 'TransformStream'";
      if (transformer !== undefined && !isObject(transformer)) {
        throw new TypeError(`${prefix}: parameter 1 is not of type 'object'.`);
      }
      const writableQS = toQueuingStrategy(writableStrategy, `${prefix}: parameter 2`);
      const readableQS = toQueuingStrategy(readableStrategy, `${prefix}: parameter 3`);
      const t = transformer === undefined ? null : transformer;
      // Transformer dictionary, members in lexicographic order.
      const dict = toDictionary(t, `${prefix}: parameter 1`);
      let cancel, flush, readableType, start, transform, writableType;
      if (dict !== undefined) {
        cancel = dict.cancel;
        if (cancel !== undefined) cancel = toCallback(cancel, `${prefix}: 'cancel'`);
        flush = dict.flush;
        if (flush !== undefined) flush = toCallback(flush, `${prefix}: 'flush'`);
        readableType = dict.readableType;
        start = dict.start;
        if (start !== undefined) start = toCallback(start, `${prefix}: 'start'`);
        transform = dict.transform;
        if (transform !== undefined) transform = toCallback(transform, `${prefix}: 'transform'`);
        writableType = dict.writableType;
      }
      if (readableType !== undefined) throw new RangeError(`${prefix}: Invalid readableType specified`);
      if (writableType !== undefined) throw new RangeError(`${prefix}: Invalid writableType specified`);
      const readableHighWaterMark = ExtractHighWaterMark(readableQS, 0);
      const readableSizeAlgorithm = ExtractSizeAlgorithm(readableQS);
      const writableHighWaterMark = ExtractHighWaterMark(writableQS, 1);
      const writableSizeAlgorithm = ExtractSizeAlgorithm(writableQS);
      const startPromise = new Deferred();
      const stream = new TStream();
      this.#t = stream;
      stream.w = this;
      InitializeTransformStream(stream, startPromise.promise, writableHighWaterMark, writableSizeAlgorithm,
        readableHighWaterMark, readableSizeAlgorithm);
      SetUpTransformStreamDefaultControllerFromTransformer(stream, t, cancel, flush, transform);
      if (start !== undefined) {
        startPromise.resolve(FunctionPrototypeCall(start, t, stream.controller.w));
      } else {
        startPromise.resolve(undefined);
      }
    }

    get readable() {
      return transformStreamOf(this, 'readable').readable.w;
    }

    get writable() {
      return transformStreamOf(this, 'writable').writable.w;
    }

    static {
      transformStreamOf = (v, what) => {
        if (!isObject(v) || !(#t in v)) throw illegal(what, 'TransformStream');
        return v.#t;
      };
    }
  }

  class TransformStreamDefaultController {
    #c;

    constructor(key = undefined, controller = undefined) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#c = controller;
      controller.w = this;
    }

    get desiredSize() {
      const controller = transformControllerOf(this, 'desiredSize');
      return ReadableStreamDefaultControllerGetDesiredSize(controller.stream.readable.controller);
    }

    enqueue(chunk = undefined) {
      TransformStreamDefaultControllerEnqueue(transformControllerOf(this, 'enqueue'), chunk);
    }

    error(reason = undefined) {
      TransformStreamError(transformControllerOf(this, 'error').stream, reason);
    }

    terminate() {
      TransformStreamDefaultControllerTerminate(transformControllerOf(this, 'terminate'));
    }

    static {
      transformControllerOf = (v, what) => {
        if (!isObject(v) || !(#c in v)) throw illegal(what, 'TransformStreamDefaultController');
        return v.#c;
      };
    }
  }

  // ---- §6.4.1 working with transform streams ----

  function InitializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
    readableHighWaterMark, readableSizeAlgorithm) {
    const startAlgorithm = () => startPromise;
    stream.writable = CreateWritableStream(startAlgorithm,
      (chunk) => TransformStreamDefaultSinkWriteAlgorithm(stream, chunk),
      () => TransformStreamDefaultSinkCloseAlgorithm(stream),
      (reason) => TransformStreamDefaultSinkAbortAlgorithm(stream, reason),
      writableHighWaterMark, writableSizeAlgorithm);
    stream.readable = CreateReadableStream(startAlgorithm,
      () => TransformStreamDefaultSourcePullAlgorithm(stream),
      (reason) => TransformStreamDefaultSourceCancelAlgorithm(stream, reason),
      readableHighWaterMark, readableSizeAlgorithm);
    stream.backpressure = undefined;
    stream.backpressureChangePromise = undefined;
    TransformStreamSetBackpressure(stream, true);
    stream.controller = undefined;
  }

  function TransformStreamError(stream, e) {
    ReadableStreamDefaultControllerError(stream.readable.controller, e);
    TransformStreamErrorWritableAndUnblockWrite(stream, e);
  }

  function TransformStreamErrorWritableAndUnblockWrite(stream, e) {
    TransformStreamDefaultControllerClearAlgorithms(stream.controller);
    WritableStreamDefaultControllerErrorIfNeeded(stream.writable.controller, e);
    TransformStreamUnblockWrite(stream);
  }

  function TransformStreamSetBackpressure(stream, backpressure) {
    if (stream.backpressureChangePromise !== undefined) stream.backpressureChangePromise.resolve(undefined);
    stream.backpressureChangePromise = new Deferred();
    stream.backpressure = backpressure;
  }

  function TransformStreamUnblockWrite(stream) {
    if (stream.backpressure === true) TransformStreamSetBackpressure(stream, false);
  }

  // ---- §6.4.2 default controllers ----

  function SetUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm,
    cancelAlgorithm) {
    controller.stream = stream;
    stream.controller = controller;
    controller.transformAlgorithm = transformAlgorithm;
    controller.flushAlgorithm = flushAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
  }

  function SetUpTransformStreamDefaultControllerFromTransformer(stream, transformer, cancel, flush, transform) {
    const controller = new TController();
    const wrapper = new TransformStreamDefaultController(kInternal, controller);
    const transformAlgorithm = transform !== undefined
      ? (chunk) => promiseCall2(transform, transformer, chunk, wrapper)
      : (chunk) => {
        try {
          TransformStreamDefaultControllerEnqueue(controller, chunk);
        } catch (e) {
          return promiseRejectedWith(e);
        }
        return promiseResolvedWith(undefined);
      };
    const flushAlgorithm = flush !== undefined ? () => promiseCall1(flush, transformer, wrapper) : resolvedAlgorithm;
    const cancelAlgorithm = cancel !== undefined ? (reason) => promiseCall1(cancel, transformer, reason)
      : resolvedAlgorithm;
    SetUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm, cancelAlgorithm);
  }
  const resolvedAlgorithm = () => promiseResolvedWith(undefined);

  function TransformStreamDefaultControllerClearAlgorithms(controller) {
    controller.transformAlgorithm = undefined;
    controller.flushAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
  }

  function TransformStreamDefaultControllerEnqueue(controller, chunk) {
    const stream = controller.stream;
    const readableController = stream.readable.controller;
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(readableController)) {
      throw new TypeError('Readable side is not in a state that permits enqueue');
    }
    try {
      ReadableStreamDefaultControllerEnqueue(readableController, chunk);
    } catch (e) {
      TransformStreamErrorWritableAndUnblockWrite(stream, e);
      throw stream.readable.storedError;
    }
    const backpressure = ReadableStreamDefaultControllerHasBackpressure(readableController);
    if (backpressure !== stream.backpressure) TransformStreamSetBackpressure(stream, true);
  }

  function TransformStreamDefaultControllerPerformTransform(controller, chunk) {
    const transformPromise = controller.transformAlgorithm(chunk);
    return transformPromiseWith(transformPromise, undefined, (r) => {
      TransformStreamError(controller.stream, r);
      throw r;
    });
  }

  function TransformStreamDefaultControllerTerminate(controller) {
    const stream = controller.stream;
    ReadableStreamDefaultControllerClose(stream.readable.controller);
    const error = new TypeError('The transform stream has been terminated');
    TransformStreamErrorWritableAndUnblockWrite(stream, error);
  }

  // ---- §6.4.3 default sinks ----

  function TransformStreamDefaultSinkWriteAlgorithm(stream, chunk) {
    const controller = stream.controller;
    if (stream.backpressure) {
      return transformPromiseWith(stream.backpressureChangePromise.promise, () => {
        const writable = stream.writable;
        if (writable.state === 'erroring') throw writable.storedError;
        return TransformStreamDefaultControllerPerformTransform(controller, chunk);
      });
    }
    return TransformStreamDefaultControllerPerformTransform(controller, chunk);
  }

  function TransformStreamDefaultSinkAbortAlgorithm(stream, reason) {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const readable = stream.readable;
    const finish = controller.finishPromise = new Deferred();
    const cancelPromise = controller.cancelAlgorithm(reason);
    TransformStreamDefaultControllerClearAlgorithms(controller);
    uponPromise(cancelPromise, () => {
      if (readable.state === 'errored') {
        finish.reject(readable.storedError);
      } else {
        ReadableStreamDefaultControllerError(readable.controller, reason);
        finish.resolve(undefined);
      }
    }, (r) => {
      ReadableStreamDefaultControllerError(readable.controller, r);
      finish.reject(r);
    });
    return finish.promise;
  }

  function TransformStreamDefaultSinkCloseAlgorithm(stream) {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const readable = stream.readable;
    const finish = controller.finishPromise = new Deferred();
    const flushPromise = controller.flushAlgorithm();
    TransformStreamDefaultControllerClearAlgorithms(controller);
    uponPromise(flushPromise, () => {
      if (readable.state === 'errored') {
        finish.reject(readable.storedError);
      } else {
        ReadableStreamDefaultControllerClose(readable.controller);
        finish.resolve(undefined);
      }
    }, (r) => {
      ReadableStreamDefaultControllerError(readable.controller, r);
      finish.reject(r);
    });
    return finish.promise;
  }

  // ---- §6.4.4 default sources ----

  function TransformStreamDefaultSourceCancelAlgorithm(stream, reason) {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const writable = stream.writable;
    const finish = controller.finishPromise = new Deferred();
    const cancelPromise = controller.cancelAlgorithm(reason);
    TransformStreamDefaultControllerClearAlgorithms(controller);
    uponPromise(cancelPromise, () => {
      if (writable.state === 'errored') {
        finish.reject(writable.storedError);
      } else {
        WritableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
        TransformStreamUnblockWrite(stream);
        finish.resolve(undefined);
      }
    }, (r) => {
      WritableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
      TransformStreamUnblockWrite(stream);
      finish.reject(r);
    });
    return finish.promise;
  }

  function TransformStreamDefaultSourcePullAlgorithm(stream) {
    TransformStreamSetBackpressure(stream, false);
    return stream.backpressureChangePromise.promise;
  }

  // "Set up a TransformStream" (§6.4.1, for other specifications): the algorithms may return a
  // promise or throw; chunks are enqueued with TransformStreamDefaultControllerEnqueue.
  function setUpTransformStream(transformAlgorithm, flushAlgorithm, cancelAlgorithm) {
    const wrap = (algorithm) => (arg) => {
      let result;
      try {
        result = algorithm(arg);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return result instanceof Promise ? result : promiseResolvedWith(undefined);
    };
    const stream = new TStream();
    InitializeTransformStream(stream, promiseResolvedWith(undefined), 1, returnOne, 0, returnOne);
    const controller = new TController();
    SetUpTransformStreamDefaultController(stream, controller, wrap(transformAlgorithm),
      flushAlgorithm === undefined ? resolvedAlgorithm : wrap(flushAlgorithm),
      cancelAlgorithm === undefined ? resolvedAlgorithm : wrap(cancelAlgorithm));
    return stream;
  }

  configureInterface(TransformStream);
  configureInterface(TransformStreamDefaultController);

  ObjectAssign(S, {
    TransformStream, TransformStreamDefaultController, setUpTransformStream, TransformStreamDefaultControllerEnqueue,
    TransformStreamError,
  });
}, 2);
