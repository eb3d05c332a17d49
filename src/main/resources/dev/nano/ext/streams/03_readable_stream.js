// Streams Standard §4: ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
// the stream's async iteration (§4.2.5, WebIDL §3.7.10) and the abstract operations of §4.9.1-4.9.4
// (readable streams, controllers, readers, default controllers). Byte streams are in
// 04_readable_byte_stream.js; tee, pipeTo and ReadableStream.from in 05_pipe_tee_from.js.
//
// Records: RSStream (the stream's slots), RSReader (both reader kinds: `byob` tells which, and
// `requests` holds read requests or read-into requests), RSDefaultController. A read request is an
// object with chunk(chunk), close(chunk) and error(e) methods (the spec's "steps").
internal.streamsDefine((S) => {
  const {
    FunctionPrototypeCall, ObjectAssign, ObjectCreate, ObjectDefineProperty, ObjectGetPrototypeOf, SymbolAsyncIterator,
    SymbolIterator,
    SymbolToStringTag, SafeWeakMap, WeakMapPrototypeGet, WeakMapPrototypeSet, PromisePrototypeThen, PromiseResolve,
    TypeError, RangeError, ObjectGetOwnPropertyDescriptor,
  } = internal.primordials;
  const { configureInterface, requiredArguments, toDOMString } = internal.webidl;
  const AsyncIteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf(async function* () {}).prototype);
  const load = internal.streamsLoad;
  const loaded = internal.streamsLoaded;
  const {
    isObject, newPromise, promiseResolvedWith, promiseRejectedWith, uponPromise, transformPromiseWith,
    setPromiseIsHandled, promiseCall1, Queue, EnqueueValueWithSize, DequeueValue, ResetQueue, toDictionary,
    toCallback, toEnforceRangeULL, toQueuingStrategy, ExtractHighWaterMark, ExtractSizeAlgorithm, returnOne, kInternal,
    Deferred, resolvedDeferred, rejectedHandledDeferred,
  } = S;
  // From 04 (bound by the link function at the end).
  let SetUpReadableByteStreamControllerFromUnderlyingSource, newBYOBReaderWrapper, RSByteController;
  // Tier 2 (writable streams, pipes, tee, from), built when first needed. No WritableStream can
  // exist before it is built.
  const more = () => load(2);
  const isWritableStream = (v) => loaded(2) && S.isWritableStream(v);

  class RSStream {
    constructor() {
      // §4.9.1 InitializeReadableStream.
      this.state = 'readable';
      this.reader = undefined;
      this.storedError = undefined;
      this.disturbed = false;
      this.controller = undefined;
      this.w = null;
    }
  }

  class RSReader {
    constructor(byob) {
      this.stream = undefined;
      this.closed = null; // Deferred
      this.requests = new Queue();
      this.byob = byob;
      this.w = null;
    }
  }

  class RSDefaultController {
    constructor() {
      this.stream = undefined;
      this.queue = new Queue();
      this.queueTotalSize = 0;
      this.started = false;
      this.closeRequested = false;
      this.pullAgain = false;
      this.pulling = false;
      this.strategySizeAlgorithm = undefined;
      this.strategyHWM = 0;
      this.pullAlgorithm = undefined;
      this.cancelAlgorithm = undefined;
      this.owning = false;
      this.w = null;
      // The reactions to a pull promise, made once per controller instead of once per pull.
      this.onPullFulfilled = () => {
        this.pulling = false;
        if (this.pullAgain) {
          this.pullAgain = false;
          ReadableStreamDefaultControllerCallPullIfNeeded(this);
        }
      };
      this.onPullRejected = (e) => { ReadableStreamDefaultControllerError(this, e); };
    }

    // [[CancelSteps]](reason)
    cancelSteps(reason) {
      ResetQueue(this);
      const result = this.cancelAlgorithm(reason);
      ReadableStreamDefaultControllerClearAlgorithms(this);
      return result;
    }

    // [[PullSteps]](readRequest)
    pullSteps(readRequest) {
      const stream = this.stream;
      if (this.queue.size > 0) {
        const chunk = DequeueValue(this);
        if (this.closeRequested && this.queue.size === 0) {
          ReadableStreamDefaultControllerClearAlgorithms(this);
          ReadableStreamClose(stream);
        } else {
          ReadableStreamDefaultControllerCallPullIfNeeded(this);
        }
        readRequest.chunk(chunk);
      } else {
        ReadableStreamAddReadRequest(stream, readRequest);
        ReadableStreamDefaultControllerCallPullIfNeeded(this);
      }
    }

    // [[ReleaseSteps]]()
    releaseSteps() {}
  }

  // The read request of reader.read(): settles a promise with a ReadableStreamReadResult.
  class ReadRequest {
    constructor() {
      const d = newPromise();
      this.promise = d.promise;
      this.resolve = d.resolve;
      this.reject = d.reject;
    }

    chunk(value) { this.resolve({ value, done: false }); }

    close(value) { this.resolve({ value, done: true }); }

    error(e) { this.reject(e); }
  }

  function illegal(member, iface) {
    return new TypeError(`Illegal invocation: '${member}' called on an object that is not a ${iface}.`);
  }

  // ---- public classes ----

  let isReadableStream, rsOf, isDefaultReader, defaultReaderOf, defaultControllerOf;

  class ReadableStream {
    #s;

    constructor(underlyingSource = undefined, strategy = undefined) {
      if (underlyingSource === kInternal) {
        this.#s = strategy;
        strategy.w = this;
        return;
      }
      const prefix = "Failed to construct 'ReadableStream'";
      if (underlyingSource !== undefined && !isObject(underlyingSource)) {
        throw new TypeError(`${prefix}: parameter 1 is not of type 'object'.`);
      }
      const queuingStrategy = toQueuingStrategy(strategy, `${prefix}: parameter 2`);
      const source = underlyingSource === undefined ? null : underlyingSource;
      // UnderlyingSource dictionary, members in lexicographic order.
      const dict = toDictionary(source, `${prefix}: parameter 1`);
      let autoAllocateChunkSize, cancel, pull, start, type;
      if (dict !== undefined) {
        autoAllocateChunkSize = dict.autoAllocateChunkSize;
        if (autoAllocateChunkSize !== undefined) {
          autoAllocateChunkSize = toEnforceRangeULL(autoAllocateChunkSize, `${prefix}: 'autoAllocateChunkSize'`);
        }
        cancel = dict.cancel;
        if (cancel !== undefined) cancel = toCallback(cancel, `${prefix}: 'cancel'`);
        pull = dict.pull;
        if (pull !== undefined) pull = toCallback(pull, `${prefix}: 'pull'`);
        start = dict.start;
        if (start !== undefined) start = toCallback(start, `${prefix}: 'start'`);
        type = dict.type;
        if (type !== undefined) {
          type = toDOMString(type);
          if (type !== 'bytes' && type !== 'owning') {
            throw new TypeError(`${prefix}: The provided value '${type}' is not a valid enum value of type ReadableStreamType.`);
          }
        }
      }
      const stream = new RSStream();
      this.#s = stream;
      stream.w = this;
      if (type === 'bytes') {
        if (queuingStrategy.size !== undefined) {
          throw new RangeError(`${prefix}: The strategy for a byte stream cannot have a size function`);
        }
        const highWaterMark = ExtractHighWaterMark(queuingStrategy, 0);
        SetUpReadableByteStreamControllerFromUnderlyingSource(stream, source, cancel, pull, start,
          autoAllocateChunkSize, highWaterMark);
      } else {
        const sizeAlgorithm = ExtractSizeAlgorithm(queuingStrategy);
        const highWaterMark = ExtractHighWaterMark(queuingStrategy, 1);
        SetUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, cancel, pull, start,
          highWaterMark, sizeAlgorithm, type === 'owning');
      }
    }

    static from(asyncIterable) {
      requiredArguments(arguments.length, 1, "Failed to execute 'from' on 'ReadableStream'");
      return more().ReadableStreamFromIterable(asyncIterable).w;
    }

    get locked() {
      return IsReadableStreamLocked(rsOf(this, 'locked'));
    }

    cancel(reason = undefined) {
      if (!isReadableStream(this)) return promiseRejectedWith(illegal('cancel', 'ReadableStream'));
      const stream = this.#s;
      if (IsReadableStreamLocked(stream)) {
        return promiseRejectedWith(new TypeError('Cannot cancel a stream that already has a reader'));
      }
      return ReadableStreamCancel(stream, reason);
    }

    getReader(options = undefined) {
      const stream = rsOf(this, 'getReader');
      const prefix = "Failed to execute 'getReader' on 'ReadableStream'";
      const dict = toDictionary(options, `${prefix}: parameter 1`);
      let mode = dict === undefined ? undefined : dict.mode;
      if (mode !== undefined) {
        mode = toDOMString(mode);
        if (mode !== 'byob') {
          throw new TypeError(`${prefix}: The provided value '${mode}' is not a valid enum value of type ReadableStreamReaderMode.`);
        }
        return newBYOBReaderWrapper(AcquireReadableStreamBYOBReader(stream));
      }
      return new ReadableStreamDefaultReader(kInternal, AcquireReadableStreamDefaultReader(stream));
    }

    pipeThrough(transform, options = undefined) {
      const stream = rsOf(this, 'pipeThrough');
      const prefix = "Failed to execute 'pipeThrough' on 'ReadableStream'";
      requiredArguments(arguments.length, 1, prefix);
      // ReadableWritablePair: required members readable, writable.
      if (!isObject(transform)) throw new TypeError(`${prefix}: parameter 1 is not an object.`);
      const readable = transform.readable;
      if (readable === undefined) throw new TypeError(`${prefix}: required member readable is undefined.`);
      if (!isReadableStream(readable)) throw new TypeError(`${prefix}: 'readable' is not of type 'ReadableStream'.`);
      const writable = transform.writable;
      if (writable === undefined) throw new TypeError(`${prefix}: required member writable is undefined.`);
      if (!isWritableStream(writable)) throw new TypeError(`${prefix}: 'writable' is not of type 'WritableStream'.`);
      const opts = toStreamPipeOptions(options, prefix);
      if (IsReadableStreamLocked(stream)) throw new TypeError(`${prefix}: the stream is locked.`);
      const dest = S.wsOf(writable);
      if (S.IsWritableStreamLocked(dest)) throw new TypeError(`${prefix}: the writable side is locked.`);
      const promise = S.ReadableStreamPipeTo(stream, dest, opts.preventClose, opts.preventAbort, opts.preventCancel,
        opts.signal);
      setPromiseIsHandled(promise);
      return readable;
    }

    pipeTo(destination, options = undefined) {
      if (!isReadableStream(this)) return promiseRejectedWith(illegal('pipeTo', 'ReadableStream'));
      const stream = this.#s;
      const prefix = "Failed to execute 'pipeTo' on 'ReadableStream'";
      let opts;
      try {
        requiredArguments(arguments.length, 1, prefix);
        if (!isWritableStream(destination)) throw new TypeError(`${prefix}: parameter 1 is not of type 'WritableStream'.`);
        opts = toStreamPipeOptions(options, prefix);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      if (IsReadableStreamLocked(stream)) {
        return promiseRejectedWith(new TypeError(`${prefix}: the stream is locked.`));
      }
      const dest = S.wsOf(destination);
      if (S.IsWritableStreamLocked(dest)) {
        return promiseRejectedWith(new TypeError(`${prefix}: the destination is locked.`));
      }
      return S.ReadableStreamPipeTo(stream, dest, opts.preventClose, opts.preventAbort, opts.preventCancel, opts.signal);
    }

    tee() {
      const stream = rsOf(this, 'tee');
      const branches = more().ReadableStreamTee(stream, false);
      return [branches[0].w, branches[1].w];
    }

    values(options = undefined) {
      const stream = rsOf(this, 'values');
      const dict = toDictionary(options, "Failed to execute 'values' on 'ReadableStream': parameter 1");
      const preventCancel = dict === undefined ? false : !!dict.preventCancel;
      const reader = AcquireReadableStreamDefaultReader(stream);
      const iterator = ObjectCreate(asyncIteratorPrototype);
      WeakMapPrototypeSet(iterators, iterator, { reader, preventCancel, ongoing: null, finished: false });
      return iterator;
    }

    static {
      isReadableStream = (v) => isObject(v) && #s in v;
      rsOf = (v, what) => {
        if (!isReadableStream(v)) throw illegal(what, 'ReadableStream');
        return v.#s;
      };
    }
  }

  // StreamPipeOptions, members in lexicographic order.
  function toStreamPipeOptions(options, prefix) {
    const dict = toDictionary(options, `${prefix}: parameter 2`);
    if (dict === undefined) return { preventAbort: false, preventCancel: false, preventClose: false, signal: undefined };
    const preventAbort = !!dict.preventAbort;
    const preventCancel = !!dict.preventCancel;
    const preventClose = !!dict.preventClose;
    const signal = dict.signal;
    if (signal !== undefined && !internal.abortSignal.isAbortSignal(signal)) {
      throw new TypeError(`${prefix}: 'signal' is not of type 'AbortSignal'.`);
    }
    return { preventAbort, preventCancel, preventClose, signal };
  }

  class ReadableStreamDefaultReader {
    #r;

    constructor(stream) {
      if (stream === kInternal) {
        this.#r = arguments[1];
        arguments[1].w = this;
        return;
      }
      const prefix = "Failed to construct 'ReadableStreamDefaultReader'";
      requiredArguments(arguments.length, 1, prefix);
      if (!isReadableStream(stream)) throw new TypeError(`${prefix}: parameter 1 is not of type 'ReadableStream'.`);
      const reader = new RSReader(false);
      SetUpReadableStreamDefaultReader(reader, rsOf(stream));
      this.#r = reader;
      reader.w = this;
    }

    get closed() {
      if (!isDefaultReader(this)) return promiseRejectedWith(illegal('closed', 'ReadableStreamDefaultReader'));
      return this.#r.closed.promise;
    }

    cancel(reason = undefined) {
      if (!isDefaultReader(this)) return promiseRejectedWith(illegal('cancel', 'ReadableStreamDefaultReader'));
      const reader = this.#r;
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('This reader has been released'));
      return ReadableStreamCancel(reader.stream, reason);
    }

    read() {
      if (!isDefaultReader(this)) return promiseRejectedWith(illegal('read', 'ReadableStreamDefaultReader'));
      const reader = this.#r;
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('This reader has been released'));
      const request = new ReadRequest();
      ReadableStreamDefaultReaderRead(reader, request);
      return request.promise;
    }

    releaseLock() {
      const reader = defaultReaderOf(this, 'releaseLock');
      if (reader.stream === undefined) return;
      ReadableStreamReaderRelease(reader);
    }

    static {
      isDefaultReader = (v) => isObject(v) && #r in v;
      defaultReaderOf = (v, what) => {
        if (!isDefaultReader(v)) throw illegal(what, 'ReadableStreamDefaultReader');
        return v.#r;
      };
    }
  }

  class ReadableStreamDefaultController {
    #c;

    constructor(key = undefined, controller = undefined) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#c = controller;
      controller.w = this;
    }

    get desiredSize() {
      return ReadableStreamDefaultControllerGetDesiredSize(defaultControllerOf(this, 'desiredSize'));
    }

    close() {
      const controller = defaultControllerOf(this, 'close');
      if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
        throw new TypeError('The stream is not in a state that permits close');
      }
      ReadableStreamDefaultControllerClose(controller);
    }

    // enqueue(optional any chunk, optional StructuredSerializeOptions options = {}): the options are
    // the "owning" stream proposal's (whatwg/streams#1271): an owning stream takes the chunk over,
    // transferring what the list names; other streams refuse a non-empty list.
    enqueue(chunk = undefined, options = undefined) {
      const controller = defaultControllerOf(this, 'enqueue');
      const transfer = toTransferList(options);
      if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
        throw new TypeError('The stream is not in a state that permits enqueue');
      }
      if (controller.owning) {
        try {
          chunk = internal.structuredClone(chunk, transfer);
        } catch (e) {
          ReadableStreamDefaultControllerError(controller, e);
          throw e;
        }
      } else if (transfer.length > 0) {
        throw new TypeError('Only a stream of type "owning" can take a transfer list');
      }
      ReadableStreamDefaultControllerEnqueue(controller, chunk);
    }

    error(e = undefined) {
      ReadableStreamDefaultControllerError(defaultControllerOf(this, 'error'), e);
    }

    static {
      defaultControllerOf = (v, what) => {
        if (!isObject(v) || !(#c in v)) throw illegal(what, 'ReadableStreamDefaultController');
        return v.#c;
      };
    }
  }

  // StructuredSerializeOptions' transfer: sequence<object>.
  function toTransferList(options) {
    const dict = toDictionary(options, "Failed to execute 'enqueue' on 'ReadableStreamDefaultController': parameter 2");
    const list = [];
    const value = dict === undefined ? undefined : dict.transfer;
    if (value === undefined) return list;
    const method = isObject(value) ? value[SymbolIterator] : undefined;
    if (typeof method !== 'function') throw new TypeError("'transfer' is not iterable");
    const iterator = FunctionPrototypeCall(method, value);
    if (!isObject(iterator)) throw new TypeError('The iterator is not an object');
    const next = iterator.next;
    for (;;) {
      const step = FunctionPrototypeCall(next, iterator);
      if (!isObject(step)) throw new TypeError('The iterator result is not an object');
      if (step.done) return list;
      if (!isObject(step.value)) throw new TypeError("An element of 'transfer' is not an object");
      list[list.length] = step.value;
    }
  }

  // ---- async iteration (WebIDL §3.7.10.2, Streams §4.2.5) ----

  const iterators = new SafeWeakMap(); // iterator object -> { reader, preventCancel, ongoing, finished }
  const endOfIteration = { __proto__: null };
  const iterResult = (value, done) => ({ value, done });

  const asyncIteratorPrototype = ObjectCreate(AsyncIteratorPrototype);
  const iteratorMethods = {
    next() {
      const it = isObject(this) ? WeakMapPrototypeGet(iterators, this) : undefined;
      if (it === undefined) return promiseRejectedWith(illegal('next', 'ReadableStream async iterator'));
      const nextSteps = () => {
        if (it.finished) return PromiseResolve(iterResult(undefined, true));
        const nextPromise = getNextIterationResult(it.reader);
        return PromisePrototypeThen(nextPromise, (next) => {
          it.ongoing = null;
          if (next === endOfIteration) {
            it.finished = true;
            return iterResult(undefined, true);
          }
          return iterResult(next, false);
        }, (reason) => {
          it.ongoing = null;
          it.finished = true;
          throw reason;
        });
      };
      it.ongoing = it.ongoing !== null ? PromisePrototypeThen(it.ongoing, nextSteps, nextSteps) : nextSteps();
      return it.ongoing;
    },

    return(value) {
      const it = isObject(this) ? WeakMapPrototypeGet(iterators, this) : undefined;
      if (it === undefined) return promiseRejectedWith(illegal('return', 'ReadableStream async iterator'));
      const returnSteps = () => {
        if (it.finished) return PromiseResolve(iterResult(value, true));
        it.finished = true;
        return asyncIteratorReturn(it, value);
      };
      it.ongoing = it.ongoing !== null ? PromisePrototypeThen(it.ongoing, returnSteps, returnSteps) : returnSteps();
      return PromisePrototypeThen(it.ongoing, () => iterResult(value, true));
    },
  };
  ObjectDefineProperty(asyncIteratorPrototype, 'next', {
    value: iteratorMethods.next, writable: true, enumerable: true, configurable: true,
  });
  ObjectDefineProperty(asyncIteratorPrototype, 'return', {
    value: iteratorMethods.return, writable: true, enumerable: true, configurable: true,
  });
  ObjectDefineProperty(asyncIteratorPrototype, SymbolToStringTag, {
    value: 'ReadableStream AsyncIterator', writable: false, enumerable: false, configurable: true,
  });

  class IteratorReadRequest {
    constructor(reader) {
      const d = newPromise();
      this.reader = reader;
      this.promise = d.promise;
      this.resolve = d.resolve;
      this.reject = d.reject;
    }

    chunk(chunk) { this.resolve(chunk); }

    close() {
      ReadableStreamReaderRelease(this.reader);
      this.resolve(endOfIteration);
    }

    error(e) {
      ReadableStreamReaderRelease(this.reader);
      this.reject(e);
    }
  }

  function getNextIterationResult(reader) {
    const request = new IteratorReadRequest(reader);
    ReadableStreamDefaultReaderRead(reader, request);
    return request.promise;
  }

  function asyncIteratorReturn(it, arg) {
    const reader = it.reader;
    if (!it.preventCancel) {
      const result = ReadableStreamCancel(reader.stream, arg);
      ReadableStreamReaderRelease(reader);
      return result;
    }
    ReadableStreamReaderRelease(reader);
    return promiseResolvedWith(undefined);
  }

  // ---- §4.9.1 working with readable streams ----

  function AcquireReadableStreamDefaultReader(stream) {
    const reader = new RSReader(false);
    SetUpReadableStreamDefaultReader(reader, stream);
    return reader;
  }

  function AcquireReadableStreamBYOBReader(stream) {
    const reader = new RSReader(true);
    SetUpReadableStreamBYOBReader(reader, stream);
    return reader;
  }

  function CreateReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1,
    sizeAlgorithm = returnOne) {
    const stream = new RSStream();
    new ReadableStream(kInternal, stream); // eslint-disable-line no-new
    const controller = new RSDefaultController();
    SetUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, sizeAlgorithm);
    return stream;
  }

  function CreateReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm) {
    const stream = new RSStream();
    new ReadableStream(kInternal, stream); // eslint-disable-line no-new
    const controller = new RSByteController();
    S.SetUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, 0,
      undefined);
    return stream;
  }

  const IsReadableStreamLocked = (stream) => stream.reader !== undefined;

  // ---- §4.9.2 interfacing with controllers ----

  const ReadableStreamAddReadRequest = (stream, readRequest) => { stream.reader.requests.push(readRequest); };

  function ReadableStreamCancel(stream, reason) {
    stream.disturbed = true;
    if (stream.state === 'closed') return promiseResolvedWith(undefined);
    if (stream.state === 'errored') return promiseRejectedWith(stream.storedError);
    ReadableStreamClose(stream);
    const reader = stream.reader;
    if (reader !== undefined && reader.byob) {
      const requests = reader.requests.drain();
      for (let i = 0; i < requests.length; i++) requests[i].close(undefined);
    }
    const sourceCancelPromise = stream.controller.cancelSteps(reason);
    return transformPromiseWith(sourceCancelPromise, returnUndefined);
  }
  const returnUndefined = () => undefined;

  function ReadableStreamClose(stream) {
    stream.state = 'closed';
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closed.resolve(undefined);
    if (!reader.byob) {
      const requests = reader.requests.drain();
      for (let i = 0; i < requests.length; i++) requests[i].close(undefined);
    }
  }

  function ReadableStreamError(stream, e) {
    stream.state = 'errored';
    stream.storedError = e;
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closed.reject(e);
    setPromiseIsHandled(reader.closed.promise);
    ReadableStreamReaderErrorReadRequests(reader, e);
  }

  // ReadableStreamFulfillReadRequest and ReadableStreamFulfillReadIntoRequest.
  function ReadableStreamFulfillReadRequest(stream, chunk, done) {
    const readRequest = stream.reader.requests.shift();
    if (done) readRequest.close(chunk);
    else readRequest.chunk(chunk);
  }

  // ReadableStreamGetNumReadRequests / ReadableStreamGetNumReadIntoRequests.
  const ReadableStreamGetNumReadRequests = (stream) => stream.reader.requests.size;

  const ReadableStreamHasBYOBReader = (stream) => stream.reader !== undefined && stream.reader.byob;
  const ReadableStreamHasDefaultReader = (stream) => stream.reader !== undefined && !stream.reader.byob;

  // ---- §4.9.3 readers ----

  function ReadableStreamReaderGenericInitialize(reader, stream) {
    reader.stream = stream;
    stream.reader = reader;
    if (stream.state === 'readable') reader.closed = new Deferred();
    else if (stream.state === 'closed') reader.closed = resolvedDeferred();
    else reader.closed = rejectedHandledDeferred(stream.storedError);
  }

  function ReadableStreamReaderGenericRelease(reader) {
    const stream = reader.stream;
    const e = new TypeError('This reader was released and can no longer be used to monitor the stream');
    if (stream.state === 'readable' && reader.closed.pending) reader.closed.reject(e);
    else reader.closed = rejectedHandledDeferred(e);
    setPromiseIsHandled(reader.closed.promise);
    stream.controller.releaseSteps();
    stream.reader = undefined;
    reader.stream = undefined;
  }

  // ReadableStreamDefaultReaderErrorReadRequests / ReadableStreamBYOBReaderErrorReadIntoRequests.
  function ReadableStreamReaderErrorReadRequests(reader, e) {
    const requests = reader.requests.drain();
    for (let i = 0; i < requests.length; i++) requests[i].error(e);
  }

  // ReadableStreamDefaultReaderRelease / ReadableStreamBYOBReaderRelease.
  function ReadableStreamReaderRelease(reader) {
    ReadableStreamReaderGenericRelease(reader);
    ReadableStreamReaderErrorReadRequests(reader, new TypeError('This reader was released'));
  }

  function ReadableStreamDefaultReaderRead(reader, readRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === 'closed') readRequest.close(undefined);
    else if (stream.state === 'errored') readRequest.error(stream.storedError);
    else stream.controller.pullSteps(readRequest);
  }

  function SetUpReadableStreamBYOBReader(reader, stream) {
    if (IsReadableStreamLocked(stream)) throw new TypeError('This stream is already locked to a reader');
    if (!(stream.controller instanceof RSByteController)) {
      throw new TypeError('Cannot get a BYOB reader for a stream that is not a byte stream');
    }
    ReadableStreamReaderGenericInitialize(reader, stream);
  }

  function SetUpReadableStreamDefaultReader(reader, stream) {
    if (IsReadableStreamLocked(stream)) throw new TypeError('This stream is already locked to a reader');
    ReadableStreamReaderGenericInitialize(reader, stream);
  }

  // ---- §4.9.4 default controllers ----

  function ReadableStreamDefaultControllerCallPullIfNeeded(controller) {
    if (!ReadableStreamDefaultControllerShouldCallPull(controller)) return;
    if (controller.pulling) {
      controller.pullAgain = true;
      return;
    }
    controller.pulling = true;
    const pullPromise = controller.pullAlgorithm();
    uponPromise(pullPromise, controller.onPullFulfilled, controller.onPullRejected);
  }

  function ReadableStreamDefaultControllerShouldCallPull(controller) {
    const stream = controller.stream;
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(controller)) return false;
    if (!controller.started) return false;
    if (IsReadableStreamLocked(stream) && ReadableStreamGetNumReadRequests(stream) > 0) return true;
    return ReadableStreamDefaultControllerGetDesiredSize(controller) > 0;
  }

  function ReadableStreamDefaultControllerClearAlgorithms(controller) {
    controller.pullAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
    controller.strategySizeAlgorithm = undefined;
  }

  function ReadableStreamDefaultControllerClose(controller) {
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
    controller.closeRequested = true;
    if (controller.queue.size === 0) {
      ReadableStreamDefaultControllerClearAlgorithms(controller);
      ReadableStreamClose(controller.stream);
    }
  }

  function ReadableStreamDefaultControllerEnqueue(controller, chunk) {
    if (!ReadableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
    const stream = controller.stream;
    if (IsReadableStreamLocked(stream) && ReadableStreamGetNumReadRequests(stream) > 0) {
      ReadableStreamFulfillReadRequest(stream, chunk, false);
    } else {
      let chunkSize;
      try {
        chunkSize = controller.strategySizeAlgorithm(chunk);
      } catch (e) {
        ReadableStreamDefaultControllerError(controller, e);
        throw e;
      }
      try {
        EnqueueValueWithSize(controller, chunk, chunkSize);
      } catch (e) {
        ReadableStreamDefaultControllerError(controller, e);
        throw e;
      }
    }
    ReadableStreamDefaultControllerCallPullIfNeeded(controller);
  }

  function ReadableStreamDefaultControllerError(controller, e) {
    const stream = controller.stream;
    if (stream.state !== 'readable') return;
    ResetQueue(controller);
    ReadableStreamDefaultControllerClearAlgorithms(controller);
    ReadableStreamError(stream, e);
  }

  function ReadableStreamDefaultControllerGetDesiredSize(controller) {
    const state = controller.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return controller.strategyHWM - controller.queueTotalSize;
  }

  const ReadableStreamDefaultControllerHasBackpressure = (controller) =>
    !ReadableStreamDefaultControllerShouldCallPull(controller);

  const ReadableStreamDefaultControllerCanCloseOrEnqueue = (controller) =>
    !controller.closeRequested && controller.stream.state === 'readable';

  function SetUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, sizeAlgorithm) {
    controller.stream = stream;
    controller.strategySizeAlgorithm = sizeAlgorithm;
    controller.strategyHWM = highWaterMark;
    controller.pullAlgorithm = pullAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
    stream.controller = controller;
    const startResult = startAlgorithm();
    uponPromise(promiseResolvedWith(startResult), () => {
      controller.started = true;
      ReadableStreamDefaultControllerCallPullIfNeeded(controller);
    }, (r) => {
      ReadableStreamDefaultControllerError(controller, r);
    });
  }

  function SetUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, cancel, pull, start,
    highWaterMark, sizeAlgorithm, owning) {
    const controller = new RSDefaultController();
    controller.owning = owning;
    const wrapper = new ReadableStreamDefaultController(kInternal, controller);
    const startAlgorithm = start === undefined ? returnUndefined
      : () => FunctionPrototypeCall(start, source, wrapper);
    const pullAlgorithm = pull === undefined ? resolvedAlgorithm : () => promiseCall1(pull, source, wrapper);
    const cancelAlgorithm = cancel === undefined ? resolvedAlgorithm
      : (reason) => promiseCall1(cancel, source, reason);
    SetUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, sizeAlgorithm);
  }
  const resolvedAlgorithm = () => promiseResolvedWith(undefined);

  configureInterface(ReadableStream);
  configureInterface(ReadableStreamDefaultReader);
  configureInterface(ReadableStreamDefaultController);
  // WebIDL §3.7.10: @@asyncIterator is the same function as values; static operations are enumerable.
  ObjectDefineProperty(ReadableStream.prototype, SymbolAsyncIterator, {
    value: ReadableStream.prototype.values, writable: true, enumerable: false, configurable: true,
  });
  const fromDesc = ObjectGetOwnPropertyDescriptor(ReadableStream, 'from');
  fromDesc.enumerable = true;
  ObjectDefineProperty(ReadableStream, 'from', fromDesc);

  ObjectAssign(S, {
    ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController, RSStream, RSReader,
    RSDefaultController, ReadRequest, isReadableStream, rsOf, illegal, returnUndefined, resolvedAlgorithm,
    AcquireReadableStreamDefaultReader, AcquireReadableStreamBYOBReader, CreateReadableStream, CreateReadableByteStream,
    IsReadableStreamLocked, ReadableStreamAddReadRequest, ReadableStreamCancel, ReadableStreamClose,
    ReadableStreamError, ReadableStreamFulfillReadRequest, ReadableStreamGetNumReadRequests,
    ReadableStreamHasBYOBReader, ReadableStreamHasDefaultReader, ReadableStreamReaderGenericInitialize,
    ReadableStreamReaderErrorReadRequests, ReadableStreamReaderRelease, ReadableStreamDefaultReaderRead,
    ReadableStreamDefaultControllerCallPullIfNeeded, ReadableStreamDefaultControllerClose,
    ReadableStreamDefaultControllerEnqueue, ReadableStreamDefaultControllerError,
    ReadableStreamDefaultControllerGetDesiredSize, ReadableStreamDefaultControllerHasBackpressure,
    ReadableStreamDefaultControllerCanCloseOrEnqueue, SetUpReadableStreamDefaultController, SetUpReadableStreamBYOBReader,
  });

  return () => {
    ({ SetUpReadableByteStreamControllerFromUnderlyingSource, newBYOBReaderWrapper, RSByteController } = S);
  };
});
