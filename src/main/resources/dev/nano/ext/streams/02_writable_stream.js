// Streams Standard §5: WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController
// and their abstract operations (§5.5). Spec objects are internal records (WSStream, WSWriter,
// WSController); the public objects are thin wrappers holding one in a private field, so app code
// can neither see nor forge the internal slots. A record's `w` is its wrapper.
internal.streamsDefine((S) => {
  const { FunctionPrototypeCall, ObjectAssign, TypeError, RangeError } = internal.primordials;
  const { configureInterface, requiredArguments } = internal.webidl;
  const abortSignalOps = internal.abortSignal;
  const {
    isObject, promiseResolvedWith, promiseRejectedWith, uponPromise, setPromiseIsHandled,
    promiseCall0, promiseCall1, promiseCall2, Queue, EnqueueValueWithSize, DequeueValue, PeekQueueValue, ResetQueue,
    toDictionary, toCallback, toQueuingStrategy, ExtractHighWaterMark, ExtractSizeAlgorithm, kInternal,
    Deferred, resolvedDeferred, rejectedHandledDeferred,
  } = S;

  const closeSentinel = { __proto__: null };

  class WSStream {
    constructor() {
      // §5.5.1 InitializeWritableStream.
      this.state = 'writable';
      this.storedError = undefined;
      this.writer = undefined;
      this.controller = undefined;
      this.inFlightWriteRequest = undefined;
      this.closeRequest = undefined;
      this.inFlightCloseRequest = undefined;
      this.pendingAbortRequest = undefined;
      this.writeRequests = new Queue();
      this.backpressure = false;
      this.w = null;
    }
  }

  class WSWriter {
    constructor() {
      this.stream = undefined;
      this.closed = null; // Deferred
      this.ready = null; // Deferred
      this.w = null;
    }
  }

  class WSController {
    constructor(stream) {
      this.stream = stream;
      this.queue = new Queue();
      this.queueTotalSize = 0;
      // The AbortController's signal is made on first use of controller.signal; an abort before
      // that is remembered and applied then (unobservable until the signal exists).
      this.signal = null;
      this.aborted = false;
      this.abortReason = undefined;
      this.started = false;
      this.strategySizeAlgorithm = undefined;
      this.strategyHWM = 0;
      this.writeAlgorithm = undefined;
      this.closeAlgorithm = undefined;
      this.abortAlgorithm = undefined;
      this.w = null;
    }

    // [[AbortSteps]](reason)
    abortSteps(reason) {
      const result = this.abortAlgorithm(reason);
      WritableStreamDefaultControllerClearAlgorithms(this);
      return result;
    }

    // [[ErrorSteps]]()
    errorSteps() {
      ResetQueue(this);
    }
  }

  // ---- public classes ----

  let wsOf, isWritableStream, isWriter, writerOf, controllerOf;

  class WritableStream {
    #s;

    constructor(underlyingSink = undefined, strategy = undefined) {
      if (underlyingSink === kInternal) {
        this.#s = strategy;
        strategy.w = this;
        return;
      }
      const prefix = "Failed to construct 'WritableStream'";
      if (underlyingSink !== undefined && !isObject(underlyingSink)) {
        throw new TypeError(`${prefix}: parameter 1 is not of type 'object'.`);
      }
      const queuingStrategy = toQueuingStrategy(strategy, `${prefix}: parameter 2`);
      const sink = underlyingSink === undefined ? null : underlyingSink;
      // UnderlyingSink dictionary, members in lexicographic order.
      const dict = toDictionary(sink, `${prefix}: parameter 1`);
      let abort, close, start, write, type;
      if (dict !== undefined) {
        abort = dict.abort;
        if (abort !== undefined) abort = toCallback(abort, `${prefix}: 'abort'`);
        close = dict.close;
        if (close !== undefined) close = toCallback(close, `${prefix}: 'close'`);
        start = dict.start;
        if (start !== undefined) start = toCallback(start, `${prefix}: 'start'`);
        type = dict.type;
        write = dict.write;
        if (write !== undefined) write = toCallback(write, `${prefix}: 'write'`);
      }
      if (type !== undefined) throw new RangeError(`${prefix}: Invalid type is specified`);
      const stream = new WSStream();
      this.#s = stream;
      stream.w = this;
      const sizeAlgorithm = ExtractSizeAlgorithm(queuingStrategy);
      const highWaterMark = ExtractHighWaterMark(queuingStrategy, 1);
      SetUpWritableStreamDefaultControllerFromUnderlyingSink(stream, sink, abort, close, start, write,
        highWaterMark, sizeAlgorithm);
    }

    get locked() {
      return IsWritableStreamLocked(wsOf(this, 'locked'));
    }

    abort(reason = undefined) {
      if (!isWritableStream(this)) return promiseRejectedWith(illegal('abort', 'WritableStream'));
      const stream = this.#s;
      if (IsWritableStreamLocked(stream)) {
        return promiseRejectedWith(new TypeError('Cannot abort a stream that already has a writer'));
      }
      return WritableStreamAbort(stream, reason);
    }

    close() {
      if (!isWritableStream(this)) return promiseRejectedWith(illegal('close', 'WritableStream'));
      const stream = this.#s;
      if (IsWritableStreamLocked(stream)) {
        return promiseRejectedWith(new TypeError('Cannot close a stream that already has a writer'));
      }
      if (WritableStreamCloseQueuedOrInFlight(stream)) {
        return promiseRejectedWith(new TypeError('Cannot close an already-closing stream'));
      }
      return WritableStreamClose(stream);
    }

    getWriter() {
      const writer = AcquireWritableStreamDefaultWriter(wsOf(this, 'getWriter'));
      return new WritableStreamDefaultWriter(kInternal, writer);
    }

    static {
      isWritableStream = (v) => isObject(v) && #s in v;
      wsOf = (v, what) => {
        if (!isWritableStream(v)) throw illegal(what, 'WritableStream');
        return v.#s;
      };
    }
  }

  class WritableStreamDefaultWriter {
    #w;

    constructor(stream) {
      if (stream === kInternal) {
        this.#w = arguments[1];
        arguments[1].w = this;
        return;
      }
      const prefix = "Failed to construct 'WritableStreamDefaultWriter'";
      requiredArguments(arguments.length, 1, prefix);
      if (!isWritableStream(stream)) throw new TypeError(`${prefix}: parameter 1 is not of type 'WritableStream'.`);
      const writer = new WSWriter();
      SetUpWritableStreamDefaultWriter(writer, wsOf(stream));
      this.#w = writer;
      writer.w = this;
    }

    get closed() {
      if (!isWriter(this)) return promiseRejectedWith(illegal('closed', 'WritableStreamDefaultWriter'));
      return this.#w.closed.promise;
    }

    get desiredSize() {
      const writer = writerOf(this, 'desiredSize');
      if (writer.stream === undefined) throw new TypeError('This writer has been released');
      return WritableStreamDefaultWriterGetDesiredSize(writer);
    }

    get ready() {
      if (!isWriter(this)) return promiseRejectedWith(illegal('ready', 'WritableStreamDefaultWriter'));
      return this.#w.ready.promise;
    }

    abort(reason = undefined) {
      if (!isWriter(this)) return promiseRejectedWith(illegal('abort', 'WritableStreamDefaultWriter'));
      const writer = this.#w;
      if (writer.stream === undefined) return promiseRejectedWith(new TypeError('This writer has been released'));
      return WritableStreamAbort(writer.stream, reason);
    }

    close() {
      if (!isWriter(this)) return promiseRejectedWith(illegal('close', 'WritableStreamDefaultWriter'));
      const stream = this.#w.stream;
      if (stream === undefined) return promiseRejectedWith(new TypeError('This writer has been released'));
      if (WritableStreamCloseQueuedOrInFlight(stream)) {
        return promiseRejectedWith(new TypeError('Cannot close an already-closing stream'));
      }
      return WritableStreamClose(stream);
    }

    releaseLock() {
      const writer = writerOf(this, 'releaseLock');
      if (writer.stream === undefined) return;
      WritableStreamDefaultWriterRelease(writer);
    }

    write(chunk = undefined) {
      if (!isWriter(this)) return promiseRejectedWith(illegal('write', 'WritableStreamDefaultWriter'));
      const writer = this.#w;
      if (writer.stream === undefined) return promiseRejectedWith(new TypeError('This writer has been released'));
      return WritableStreamDefaultWriterWrite(writer, chunk);
    }

    static {
      isWriter = (v) => isObject(v) && #w in v;
      writerOf = (v, what) => {
        if (!isWriter(v)) throw illegal(what, 'WritableStreamDefaultWriter');
        return v.#w;
      };
    }
  }

  class WritableStreamDefaultController {
    #c;

    constructor(key = undefined, controller = undefined) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#c = controller;
      controller.w = this;
    }

    get signal() {
      const controller = controllerOf(this, 'signal');
      if (controller.signal === null) {
        controller.signal = abortSignalOps.create();
        if (controller.aborted) abortSignalOps.signalAbort(controller.signal, controller.abortReason);
        controller.abortReason = undefined;
      }
      return controller.signal;
    }

    error(e = undefined) {
      const controller = controllerOf(this, 'error');
      if (controller.stream.state !== 'writable') return;
      WritableStreamDefaultControllerError(controller, e);
    }

    static {
      controllerOf = (v, what) => {
        if (!isObject(v) || !(#c in v)) throw illegal(what, 'WritableStreamDefaultController');
        return v.#c;
      };
    }
  }

  function illegal(member, iface) {
    return new TypeError(`Illegal invocation: '${member}' called on an object that is not a ${iface}.`);
  }

  // ---- §5.5.1 working with writable streams ----

  function AcquireWritableStreamDefaultWriter(stream) {
    const writer = new WSWriter();
    SetUpWritableStreamDefaultWriter(writer, stream);
    return writer;
  }

  function CreateWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark,
    sizeAlgorithm) {
    const stream = new WSStream();
    new WritableStream(kInternal, stream); // eslint-disable-line no-new
    const controller = new WSController(stream);
    SetUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, highWaterMark, sizeAlgorithm);
    return stream;
  }

  const IsWritableStreamLocked = (stream) => stream.writer !== undefined;

  function SetUpWritableStreamDefaultWriter(writer, stream) {
    if (IsWritableStreamLocked(stream)) throw new TypeError('This stream is already locked to a writer');
    writer.stream = stream;
    stream.writer = writer;
    const state = stream.state;
    if (state === 'writable') {
      writer.ready = !WritableStreamCloseQueuedOrInFlight(stream) && stream.backpressure
        ? new Deferred() : resolvedDeferred();
      writer.closed = new Deferred();
    } else if (state === 'erroring') {
      writer.ready = rejectedHandledDeferred(stream.storedError);
      writer.closed = new Deferred();
    } else if (state === 'closed') {
      writer.ready = resolvedDeferred();
      writer.closed = resolvedDeferred();
    } else {
      writer.ready = rejectedHandledDeferred(stream.storedError);
      writer.closed = rejectedHandledDeferred(stream.storedError);
    }
  }

  function WritableStreamAbort(stream, reason) {
    if (stream.state === 'closed' || stream.state === 'errored') return promiseResolvedWith(undefined);
    // Signal abort on the controller's AbortController (runs the app's abort listeners).
    const controller = stream.controller;
    if (controller.signal !== null) {
      abortSignalOps.signalAbort(controller.signal, reason);
    } else if (!controller.aborted) {
      controller.aborted = true;
      controller.abortReason = reason;
    }
    const state = stream.state;
    if (state === 'closed' || state === 'errored') return promiseResolvedWith(undefined);
    if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise.promise;
    let wasAlreadyErroring = false;
    if (state === 'erroring') {
      wasAlreadyErroring = true;
      reason = undefined;
    }
    const promise = new Deferred();
    stream.pendingAbortRequest = { promise, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) WritableStreamStartErroring(stream, reason);
    return promise.promise;
  }

  function WritableStreamClose(stream) {
    const state = stream.state;
    if (state === 'closed' || state === 'errored') {
      return promiseRejectedWith(new TypeError('The stream is closed or errored and cannot be closed'));
    }
    const promise = new Deferred();
    stream.closeRequest = promise;
    const writer = stream.writer;
    if (writer !== undefined && stream.backpressure && state === 'writable') writer.ready.resolve(undefined);
    WritableStreamDefaultControllerClose(stream.controller);
    return promise.promise;
  }

  // ---- §5.5.2 interfacing with controllers ----

  function WritableStreamAddWriteRequest(stream) {
    const promise = new Deferred();
    stream.writeRequests.push(promise);
    return promise.promise;
  }

  const WritableStreamCloseQueuedOrInFlight = (stream) =>
    stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;

  function WritableStreamDealWithRejection(stream, error) {
    if (stream.state === 'writable') {
      WritableStreamStartErroring(stream, error);
      return;
    }
    WritableStreamFinishErroring(stream);
  }

  function WritableStreamFinishErroring(stream) {
    stream.state = 'errored';
    stream.controller.errorSteps();
    const storedError = stream.storedError;
    const requests = stream.writeRequests.drain();
    for (let i = 0; i < requests.length; i++) requests[i].reject(storedError);
    const abortRequest = stream.pendingAbortRequest;
    if (abortRequest === undefined) {
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    stream.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.promise.reject(storedError);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const promise = stream.controller.abortSteps(abortRequest.reason);
    uponPromise(promise, () => {
      abortRequest.promise.resolve(undefined);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    }, (reason) => {
      abortRequest.promise.reject(reason);
      WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    });
  }

  function WritableStreamFinishInFlightClose(stream) {
    stream.inFlightCloseRequest.resolve(undefined);
    stream.inFlightCloseRequest = undefined;
    if (stream.state === 'erroring') {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== undefined) {
        stream.pendingAbortRequest.promise.resolve(undefined);
        stream.pendingAbortRequest = undefined;
      }
    }
    stream.state = 'closed';
    const writer = stream.writer;
    if (writer !== undefined) writer.closed.resolve(undefined);
  }

  function WritableStreamFinishInFlightCloseWithError(stream, error) {
    stream.inFlightCloseRequest.reject(error);
    stream.inFlightCloseRequest = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.promise.reject(error);
      stream.pendingAbortRequest = undefined;
    }
    WritableStreamDealWithRejection(stream, error);
  }

  function WritableStreamFinishInFlightWrite(stream) {
    stream.inFlightWriteRequest.resolve(undefined);
    stream.inFlightWriteRequest = undefined;
  }

  function WritableStreamFinishInFlightWriteWithError(stream, error) {
    stream.inFlightWriteRequest.reject(error);
    stream.inFlightWriteRequest = undefined;
    WritableStreamDealWithRejection(stream, error);
  }

  const WritableStreamHasOperationMarkedInFlight = (stream) =>
    stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;

  function WritableStreamMarkCloseRequestInFlight(stream) {
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = undefined;
  }

  function WritableStreamMarkFirstWriteRequestInFlight(stream) {
    stream.inFlightWriteRequest = stream.writeRequests.shift();
  }

  function WritableStreamRejectCloseAndClosedPromiseIfNeeded(stream) {
    if (stream.closeRequest !== undefined) {
      stream.closeRequest.reject(stream.storedError);
      stream.closeRequest = undefined;
    }
    const writer = stream.writer;
    if (writer !== undefined) {
      writer.closed.reject(stream.storedError);
      setPromiseIsHandled(writer.closed.promise);
    }
  }

  function WritableStreamStartErroring(stream, reason) {
    const controller = stream.controller;
    stream.state = 'erroring';
    stream.storedError = reason;
    const writer = stream.writer;
    if (writer !== undefined) WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, reason);
    if (!WritableStreamHasOperationMarkedInFlight(stream) && controller.started) WritableStreamFinishErroring(stream);
  }

  function WritableStreamUpdateBackpressure(stream, backpressure) {
    const writer = stream.writer;
    if (writer !== undefined && backpressure !== stream.backpressure) {
      if (backpressure) writer.ready = new Deferred();
      else writer.ready.resolve(undefined);
    }
    stream.backpressure = backpressure;
  }

  // ---- §5.5.3 writers ----

  function WritableStreamDefaultWriterCloseWithErrorPropagation(writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (WritableStreamCloseQueuedOrInFlight(stream) || state === 'closed') return promiseResolvedWith(undefined);
    if (state === 'errored') return promiseRejectedWith(stream.storedError);
    return WritableStreamClose(stream);
  }

  function WritableStreamDefaultWriterEnsureClosedPromiseRejected(writer, error) {
    if (writer.closed.pending) writer.closed.reject(error);
    else writer.closed = rejectedHandledDeferred(error);
    setPromiseIsHandled(writer.closed.promise);
  }

  function WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, error) {
    if (writer.ready.pending) writer.ready.reject(error);
    else writer.ready = rejectedHandledDeferred(error);
    setPromiseIsHandled(writer.ready.promise);
  }

  function WritableStreamDefaultWriterGetDesiredSize(writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (state === 'errored' || state === 'erroring') return null;
    if (state === 'closed') return 0;
    return WritableStreamDefaultControllerGetDesiredSize(stream.controller);
  }

  function WritableStreamDefaultWriterRelease(writer) {
    const stream = writer.stream;
    const releasedError = new TypeError('This writer has been released and can no longer be used');
    WritableStreamDefaultWriterEnsureReadyPromiseRejected(writer, releasedError);
    WritableStreamDefaultWriterEnsureClosedPromiseRejected(writer, releasedError);
    stream.writer = undefined;
    writer.stream = undefined;
  }

  function WritableStreamDefaultWriterWrite(writer, chunk) {
    const stream = writer.stream;
    const controller = stream.controller;
    const chunkSize = WritableStreamDefaultControllerGetChunkSize(controller, chunk);
    if (stream !== writer.stream) {
      return promiseRejectedWith(new TypeError('This writer was released while the chunk size was computed'));
    }
    const state = stream.state;
    if (state === 'errored') return promiseRejectedWith(stream.storedError);
    if (WritableStreamCloseQueuedOrInFlight(stream) || state === 'closed') {
      return promiseRejectedWith(new TypeError('The stream is closing or closed and cannot be written to'));
    }
    if (state === 'erroring') return promiseRejectedWith(stream.storedError);
    const promise = WritableStreamAddWriteRequest(stream);
    WritableStreamDefaultControllerWrite(controller, chunk, chunkSize);
    return promise;
  }

  // ---- §5.5.4 default controllers ----

  function SetUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, highWaterMark, sizeAlgorithm) {
    stream.controller = controller;
    controller.strategySizeAlgorithm = sizeAlgorithm;
    controller.strategyHWM = highWaterMark;
    controller.writeAlgorithm = writeAlgorithm;
    controller.closeAlgorithm = closeAlgorithm;
    controller.abortAlgorithm = abortAlgorithm;
    WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(controller));
    const startResult = startAlgorithm();
    const startPromise = promiseResolvedWith(startResult);
    uponPromise(startPromise, () => {
      controller.started = true;
      WritableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
    }, (r) => {
      controller.started = true;
      WritableStreamDealWithRejection(stream, r);
    });
  }

  function SetUpWritableStreamDefaultControllerFromUnderlyingSink(stream, sink, abort, close, start, write,
    highWaterMark, sizeAlgorithm) {
    const controller = new WSController(stream);
    const wrapper = new WritableStreamDefaultController(kInternal, controller);
    const startAlgorithm = start === undefined ? returnUndefined
      : () => FunctionPrototypeCall(start, sink, wrapper);
    const writeAlgorithm = write === undefined ? resolvedAlgorithm
      : (chunk) => promiseCall2(write, sink, chunk, wrapper);
    const closeAlgorithm = close === undefined ? resolvedAlgorithm : () => promiseCall0(close, sink);
    const abortAlgorithm = abort === undefined ? resolvedAlgorithm : (reason) => promiseCall1(abort, sink, reason);
    SetUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, highWaterMark, sizeAlgorithm);
  }

  const returnUndefined = () => undefined;
  const resolvedAlgorithm = () => promiseResolvedWith(undefined);

  function WritableStreamDefaultControllerAdvanceQueueIfNeeded(controller) {
    const stream = controller.stream;
    if (!controller.started) return;
    if (stream.inFlightWriteRequest !== undefined) return;
    const state = stream.state;
    if (state === 'erroring') {
      WritableStreamFinishErroring(stream);
      return;
    }
    if (controller.queue.size === 0) return;
    const value = PeekQueueValue(controller);
    if (value === closeSentinel) WritableStreamDefaultControllerProcessClose(controller);
    else WritableStreamDefaultControllerProcessWrite(controller, value);
  }

  function WritableStreamDefaultControllerClearAlgorithms(controller) {
    controller.writeAlgorithm = undefined;
    controller.closeAlgorithm = undefined;
    controller.abortAlgorithm = undefined;
    controller.strategySizeAlgorithm = undefined;
  }

  function WritableStreamDefaultControllerClose(controller) {
    EnqueueValueWithSize(controller, closeSentinel, 0);
    WritableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }

  function WritableStreamDefaultControllerError(controller, error) {
    WritableStreamDefaultControllerClearAlgorithms(controller);
    WritableStreamStartErroring(controller.stream, error);
  }

  function WritableStreamDefaultControllerErrorIfNeeded(controller, error) {
    if (controller.stream.state === 'writable') WritableStreamDefaultControllerError(controller, error);
  }

  const WritableStreamDefaultControllerGetBackpressure = (controller) =>
    WritableStreamDefaultControllerGetDesiredSize(controller) <= 0;

  function WritableStreamDefaultControllerGetChunkSize(controller, chunk) {
    if (controller.strategySizeAlgorithm === undefined) return 1;
    try {
      return controller.strategySizeAlgorithm(chunk);
    } catch (e) {
      WritableStreamDefaultControllerErrorIfNeeded(controller, e);
      return 1;
    }
  }

  const WritableStreamDefaultControllerGetDesiredSize = (controller) =>
    controller.strategyHWM - controller.queueTotalSize;

  function WritableStreamDefaultControllerProcessClose(controller) {
    const stream = controller.stream;
    WritableStreamMarkCloseRequestInFlight(stream);
    DequeueValue(controller);
    const sinkClosePromise = controller.closeAlgorithm();
    WritableStreamDefaultControllerClearAlgorithms(controller);
    uponPromise(sinkClosePromise, () => {
      WritableStreamFinishInFlightClose(stream);
    }, (reason) => {
      WritableStreamFinishInFlightCloseWithError(stream, reason);
    });
  }

  function WritableStreamDefaultControllerProcessWrite(controller, chunk) {
    const stream = controller.stream;
    WritableStreamMarkFirstWriteRequestInFlight(stream);
    const sinkWritePromise = controller.writeAlgorithm(chunk);
    uponPromise(sinkWritePromise, () => {
      WritableStreamFinishInFlightWrite(stream);
      const state = stream.state;
      DequeueValue(controller);
      if (!WritableStreamCloseQueuedOrInFlight(stream) && state === 'writable') {
        WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(controller));
      }
      WritableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
    }, (reason) => {
      if (stream.state === 'writable') WritableStreamDefaultControllerClearAlgorithms(controller);
      WritableStreamFinishInFlightWriteWithError(stream, reason);
    });
  }

  function WritableStreamDefaultControllerWrite(controller, chunk, chunkSize) {
    try {
      EnqueueValueWithSize(controller, chunk, chunkSize);
    } catch (e) {
      WritableStreamDefaultControllerErrorIfNeeded(controller, e);
      return;
    }
    const stream = controller.stream;
    if (!WritableStreamCloseQueuedOrInFlight(stream) && stream.state === 'writable') {
      WritableStreamUpdateBackpressure(stream, WritableStreamDefaultControllerGetBackpressure(controller));
    }
    WritableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }

  configureInterface(WritableStream);
  configureInterface(WritableStreamDefaultWriter);
  configureInterface(WritableStreamDefaultController);

  ObjectAssign(S, {
    WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, isWritableStream, wsOf,
    AcquireWritableStreamDefaultWriter, CreateWritableStream,
    IsWritableStreamLocked, WritableStreamAbort, WritableStreamClose, WritableStreamCloseQueuedOrInFlight,
    WritableStreamDefaultWriterCloseWithErrorPropagation, WritableStreamDefaultWriterGetDesiredSize,
    WritableStreamDefaultWriterRelease, WritableStreamDefaultWriterWrite, WritableStreamDefaultControllerErrorIfNeeded,
    WritableStreamDefaultControllerGetDesiredSize,
  });
}, 2);
