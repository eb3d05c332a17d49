// Streams Standard §4.4-4.8 and §4.9.5: readable byte streams. ReadableByteStreamController,
// ReadableStreamBYOBReader, ReadableStreamBYOBRequest, pull-into descriptors, and the byte stream
// controller abstract operations. Chunks are ArrayBuffers the controller owns (transferred from the
// views the source enqueues); BYOB reads transfer the reader's buffer in and out, so a consumer never
// shares memory with the source.
internal.streamsDefine((S) => {
  const {
    FunctionPrototypeCall, ObjectAssign, ArrayBuffer, Uint8Array, ArrayBufferIsView, MathMin, TypeError, RangeError,
  } = internal.primordials;
  const { configureInterface, requiredArguments } = internal.webidl;
  const {
    isObject, promiseResolvedWith, promiseRejectedWith, uponPromise, promiseCall1, Queue, ResetQueue, IsDetachedBuffer,
    isSharedArrayBuffer, isTypedArray, viewBuffer, viewByteOffset, viewByteLength, arrayBufferByteLength,
    viewConstructorOf, TransferArrayBuffer, CloneArrayBuffer, CopyDataBlockBytes, toDictionary, toEnforceRangeULL,
    kInternal, ReadRequest, RSReader, isReadableStream, rsOf, illegal, returnUndefined, resolvedAlgorithm,
    ReadableStreamCancel, ReadableStreamClose, ReadableStreamError, ReadableStreamFulfillReadRequest,
    ReadableStreamGetNumReadRequests, ReadableStreamHasBYOBReader, ReadableStreamHasDefaultReader,
    ReadableStreamAddReadRequest, ReadableStreamReaderRelease, SetUpReadableStreamBYOBReader,
  } = S;

  // A pull-into descriptor (§4.9.5 intro).
  class PullInto {
    constructor(buffer, bufferByteLength, byteOffset, byteLength, minimumFill, elementSize, viewConstructor,
      readerType) {
      this.buffer = buffer;
      this.bufferByteLength = bufferByteLength;
      this.byteOffset = byteOffset;
      this.byteLength = byteLength;
      this.bytesFilled = 0;
      this.minimumFill = minimumFill;
      this.elementSize = elementSize;
      this.viewConstructor = viewConstructor;
      this.readerType = readerType; // 'default', 'byob' or 'none'
    }
  }

  // A readable byte stream queue entry.
  class QueueEntry {
    constructor(buffer, byteOffset, byteLength) {
      this.buffer = buffer;
      this.byteOffset = byteOffset;
      this.byteLength = byteLength;
    }
  }

  class RSByteController {
    constructor() {
      this.stream = undefined;
      this.queue = new Queue(); // of QueueEntry
      this.queueTotalSize = 0;
      this.started = false;
      this.closeRequested = false;
      this.pullAgain = false;
      this.pulling = false;
      this.byobRequest = null; // { controller, view, w }
      this.strategyHWM = 0;
      this.pullAlgorithm = undefined;
      this.cancelAlgorithm = undefined;
      this.autoAllocateChunkSize = undefined;
      this.pendingPullIntos = new Queue();
      this.w = null;
      this.onPullFulfilled = () => {
        this.pulling = false;
        if (this.pullAgain) {
          this.pullAgain = false;
          ReadableByteStreamControllerCallPullIfNeeded(this);
        }
      };
      this.onPullRejected = (e) => { ReadableByteStreamControllerError(this, e); };
    }

    // [[CancelSteps]](reason)
    cancelSteps(reason) {
      ReadableByteStreamControllerClearPendingPullIntos(this);
      ResetQueue(this);
      const result = this.cancelAlgorithm(reason);
      ReadableByteStreamControllerClearAlgorithms(this);
      return result;
    }

    // [[PullSteps]](readRequest)
    pullSteps(readRequest) {
      const stream = this.stream;
      if (this.queueTotalSize > 0) {
        ReadableByteStreamControllerFillReadRequestFromQueue(this, readRequest);
        return;
      }
      const autoAllocateChunkSize = this.autoAllocateChunkSize;
      if (autoAllocateChunkSize !== undefined) {
        let buffer;
        try {
          buffer = new ArrayBuffer(autoAllocateChunkSize);
        } catch (e) {
          readRequest.error(e);
          return;
        }
        this.pendingPullIntos.push(new PullInto(buffer, autoAllocateChunkSize, 0, autoAllocateChunkSize, 1, 1,
          Uint8Array, 'default'));
      }
      ReadableStreamAddReadRequest(stream, readRequest);
      ReadableByteStreamControllerCallPullIfNeeded(this);
    }

    // [[ReleaseSteps]]()
    releaseSteps() {
      if (this.pendingPullIntos.size > 0) {
        const first = this.pendingPullIntos.peek();
        first.readerType = 'none';
        this.pendingPullIntos.clear();
        this.pendingPullIntos.push(first);
      }
    }
  }

  // ---- public classes ----

  let isBYOBReader, byobReaderOf, byteControllerOf, byobRequestOf;

  class ReadableStreamBYOBReader {
    #r;

    constructor(stream) {
      if (stream === kInternal) {
        this.#r = arguments[1];
        arguments[1].w = this;
        return;
      }
      const prefix = "Failed to construct 'ReadableStreamBYOBReader'";
      requiredArguments(arguments.length, 1, prefix);
      if (!isReadableStream(stream)) throw new TypeError(`${prefix}: parameter 1 is not of type 'ReadableStream'.`);
      const reader = new RSReader(true);
      SetUpReadableStreamBYOBReader(reader, rsOf(stream));
      this.#r = reader;
      reader.w = this;
    }

    get closed() {
      if (!isBYOBReader(this)) return promiseRejectedWith(illegal('closed', 'ReadableStreamBYOBReader'));
      return this.#r.closed.promise;
    }

    cancel(reason = undefined) {
      if (!isBYOBReader(this)) return promiseRejectedWith(illegal('cancel', 'ReadableStreamBYOBReader'));
      const reader = this.#r;
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('This reader has been released'));
      return ReadableStreamCancel(reader.stream, reason);
    }

    read(view, options = undefined) {
      if (!isBYOBReader(this)) return promiseRejectedWith(illegal('read', 'ReadableStreamBYOBReader'));
      const reader = this.#r;
      const prefix = "Failed to execute 'read' on 'ReadableStreamBYOBReader'";
      let min;
      try {
        requiredArguments(arguments.length, 1, prefix);
        if (!ArrayBufferIsView(view) || isSharedArrayBuffer(viewBuffer(view))) {
          throw new TypeError(`${prefix}: parameter 1 is not of type 'ArrayBufferView'.`);
        }
        const dict = toDictionary(options, `${prefix}: parameter 2`);
        min = dict === undefined || dict.min === undefined ? 1 : toEnforceRangeULL(dict.min, `${prefix}: 'min'`);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      const byteLength = viewByteLength(view);
      if (byteLength === 0) return promiseRejectedWith(new TypeError(`${prefix}: view must have non-zero byteLength`));
      const buffer = viewBuffer(view);
      if (arrayBufferByteLength(buffer) === 0) {
        return promiseRejectedWith(new TypeError(`${prefix}: view's buffer must have non-zero byteLength`));
      }
      if (IsDetachedBuffer(buffer)) return promiseRejectedWith(new TypeError(`${prefix}: view's buffer is detached`));
      if (min === 0) return promiseRejectedWith(new TypeError(`${prefix}: options.min must be greater than 0`));
      if (isTypedArray(view)) {
        if (min > byteLength / viewConstructorOf(view).BYTES_PER_ELEMENT) {
          return promiseRejectedWith(new RangeError(`${prefix}: options.min must not exceed the view's length`));
        }
      } else if (min > byteLength) {
        return promiseRejectedWith(new RangeError(`${prefix}: options.min must not exceed the view's byteLength`));
      }
      if (reader.stream === undefined) return promiseRejectedWith(new TypeError('This reader has been released'));
      const request = new ReadRequest(); // a read-into request: the same steps
      ReadableStreamBYOBReaderRead(reader, view, min, request);
      return request.promise;
    }

    releaseLock() {
      const reader = byobReaderOf(this, 'releaseLock');
      if (reader.stream === undefined) return;
      ReadableStreamReaderRelease(reader);
    }

    static {
      isBYOBReader = (v) => isObject(v) && #r in v;
      byobReaderOf = (v, what) => {
        if (!isBYOBReader(v)) throw illegal(what, 'ReadableStreamBYOBReader');
        return v.#r;
      };
    }
  }

  class ReadableByteStreamController {
    #c;

    constructor(key = undefined, controller = undefined) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#c = controller;
      controller.w = this;
    }

    get byobRequest() {
      const request = ReadableByteStreamControllerGetBYOBRequest(byteControllerOf(this, 'byobRequest'));
      return request === null ? null : request.w;
    }

    get desiredSize() {
      return ReadableByteStreamControllerGetDesiredSize(byteControllerOf(this, 'desiredSize'));
    }

    close() {
      const controller = byteControllerOf(this, 'close');
      if (controller.closeRequested) throw new TypeError('The stream has already been closed');
      if (controller.stream.state !== 'readable') {
        throw new TypeError('The stream is not in the readable state and cannot be closed');
      }
      ReadableByteStreamControllerClose(controller);
    }

    enqueue(chunk) {
      const controller = byteControllerOf(this, 'enqueue');
      const prefix = "Failed to execute 'enqueue' on 'ReadableByteStreamController'";
      requiredArguments(arguments.length, 1, prefix);
      if (!ArrayBufferIsView(chunk) || isSharedArrayBuffer(viewBuffer(chunk))) {
        throw new TypeError(`${prefix}: parameter 1 is not of type 'ArrayBufferView'.`);
      }
      if (viewByteLength(chunk) === 0) throw new TypeError(`${prefix}: chunk must have non-zero byteLength`);
      if (arrayBufferByteLength(viewBuffer(chunk)) === 0) {
        throw new TypeError(`${prefix}: chunk's buffer must have non-zero byteLength`);
      }
      if (controller.closeRequested) throw new TypeError(`${prefix}: stream is closed or draining`);
      if (controller.stream.state !== 'readable') {
        throw new TypeError(`${prefix}: the stream is not in the readable state and cannot be enqueued to`);
      }
      ReadableByteStreamControllerEnqueue(controller, chunk);
    }

    error(e = undefined) {
      ReadableByteStreamControllerError(byteControllerOf(this, 'error'), e);
    }

    static {
      byteControllerOf = (v, what) => {
        if (!isObject(v) || !(#c in v)) throw illegal(what, 'ReadableByteStreamController');
        return v.#c;
      };
    }
  }

  class ReadableStreamBYOBRequest {
    #r;

    constructor(key = undefined, request = undefined) {
      if (key !== kInternal) throw new TypeError('Illegal constructor');
      this.#r = request;
      request.w = this;
    }

    get view() {
      return byobRequestOf(this, 'view').view;
    }

    respond(bytesWritten) {
      const request = byobRequestOf(this, 'respond');
      const prefix = "Failed to execute 'respond' on 'ReadableStreamBYOBRequest'";
      requiredArguments(arguments.length, 1, prefix);
      bytesWritten = toEnforceRangeULL(bytesWritten, `${prefix}: parameter 1`);
      if (request.controller === undefined) throw new TypeError(`${prefix}: this BYOB request has been invalidated`);
      if (IsDetachedBuffer(viewBuffer(request.view))) {
        throw new TypeError(`${prefix}: the BYOB request's buffer has been detached and so cannot be used as a response`);
      }
      ReadableByteStreamControllerRespond(request.controller, bytesWritten);
    }

    respondWithNewView(view) {
      const request = byobRequestOf(this, 'respondWithNewView');
      const prefix = "Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest'";
      requiredArguments(arguments.length, 1, prefix);
      if (!ArrayBufferIsView(view) || isSharedArrayBuffer(viewBuffer(view))) {
        throw new TypeError(`${prefix}: parameter 1 is not of type 'ArrayBufferView'.`);
      }
      if (request.controller === undefined) throw new TypeError(`${prefix}: this BYOB request has been invalidated`);
      if (IsDetachedBuffer(viewBuffer(view))) {
        throw new TypeError(`${prefix}: the given view's buffer has been detached and so cannot be used as a response`);
      }
      ReadableByteStreamControllerRespondWithNewView(request.controller, view);
    }

    static {
      byobRequestOf = (v, what) => {
        if (!isObject(v) || !(#r in v)) throw illegal(what, 'ReadableStreamBYOBRequest');
        return v.#r;
      };
    }
  }

  const newBYOBReaderWrapper = (reader) => new ReadableStreamBYOBReader(kInternal, reader);

  // ---- §4.9.3 BYOB readers ----

  function ReadableStreamBYOBReaderRead(reader, view, min, readIntoRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === 'errored') readIntoRequest.error(stream.storedError);
    else ReadableByteStreamControllerPullInto(stream.controller, view, min, readIntoRequest);
  }

  // ---- §4.9.5 byte stream controllers ----

  function ReadableByteStreamControllerCallPullIfNeeded(controller) {
    if (!ReadableByteStreamControllerShouldCallPull(controller)) return;
    if (controller.pulling) {
      controller.pullAgain = true;
      return;
    }
    controller.pulling = true;
    const pullPromise = controller.pullAlgorithm();
    uponPromise(pullPromise, controller.onPullFulfilled, controller.onPullRejected);
  }

  function ReadableByteStreamControllerClearAlgorithms(controller) {
    controller.pullAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
  }

  function ReadableByteStreamControllerClearPendingPullIntos(controller) {
    ReadableByteStreamControllerInvalidateBYOBRequest(controller);
    controller.pendingPullIntos.clear();
  }

  function ReadableByteStreamControllerClose(controller) {
    const stream = controller.stream;
    if (controller.closeRequested || stream.state !== 'readable') return;
    if (controller.queueTotalSize > 0) {
      controller.closeRequested = true;
      return;
    }
    if (controller.pendingPullIntos.size > 0) {
      const first = controller.pendingPullIntos.peek();
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
        ReadableByteStreamControllerError(controller, e);
        throw e;
      }
    }
    ReadableByteStreamControllerClearAlgorithms(controller);
    ReadableStreamClose(stream);
  }

  function ReadableByteStreamControllerCommitPullIntoDescriptor(stream, pullIntoDescriptor) {
    const done = stream.state === 'closed';
    const filledView = ReadableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor);
    ReadableStreamFulfillReadRequest(stream, filledView, done); // a read request or a read-into request
  }

  function ReadableByteStreamControllerConvertPullIntoDescriptor(d) {
    const buffer = TransferArrayBuffer(d.buffer);
    return new d.viewConstructor(buffer, d.byteOffset, d.bytesFilled / d.elementSize);
  }

  function ReadableByteStreamControllerEnqueue(controller, chunk) {
    const stream = controller.stream;
    if (controller.closeRequested || stream.state !== 'readable') return;
    const buffer = viewBuffer(chunk);
    const byteOffset = viewByteOffset(chunk);
    const byteLength = viewByteLength(chunk);
    if (IsDetachedBuffer(buffer)) throw new TypeError("chunk's buffer is detached and so cannot be enqueued");
    const transferredBuffer = TransferArrayBuffer(buffer);
    if (controller.pendingPullIntos.size > 0) {
      const first = controller.pendingPullIntos.peek();
      if (IsDetachedBuffer(first.buffer)) {
        throw new TypeError("The BYOB request's buffer has been detached and so cannot be filled with an enqueued chunk");
      }
      ReadableByteStreamControllerInvalidateBYOBRequest(controller);
      first.buffer = TransferArrayBuffer(first.buffer);
      if (first.readerType === 'none') ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, first);
    }
    if (ReadableStreamHasDefaultReader(stream)) {
      ReadableByteStreamControllerProcessReadRequestsUsingQueue(controller);
      if (ReadableStreamGetNumReadRequests(stream) === 0) {
        ReadableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
      } else {
        if (controller.pendingPullIntos.size > 0) ReadableByteStreamControllerShiftPendingPullInto(controller);
        const transferredView = new Uint8Array(transferredBuffer, byteOffset, byteLength);
        ReadableStreamFulfillReadRequest(stream, transferredView, false);
      }
    } else if (ReadableStreamHasBYOBReader(stream)) {
      ReadableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
      const filledPullIntos = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
      for (let i = 0; i < filledPullIntos.length; i++) {
        ReadableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos[i]);
      }
    } else {
      ReadableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    }
    ReadableByteStreamControllerCallPullIfNeeded(controller);
  }

  function ReadableByteStreamControllerEnqueueChunkToQueue(controller, buffer, byteOffset, byteLength) {
    controller.queue.push(new QueueEntry(buffer, byteOffset, byteLength));
    controller.queueTotalSize += byteLength;
  }

  function ReadableByteStreamControllerEnqueueClonedChunkToQueue(controller, buffer, byteOffset, byteLength) {
    let clone;
    try {
      clone = CloneArrayBuffer(buffer, byteOffset, byteLength);
    } catch (e) {
      ReadableByteStreamControllerError(controller, e);
      throw e;
    }
    ReadableByteStreamControllerEnqueueChunkToQueue(controller, clone, 0, byteLength);
  }

  function ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, d) {
    if (d.bytesFilled > 0) {
      ReadableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer, d.byteOffset, d.bytesFilled);
    }
    ReadableByteStreamControllerShiftPendingPullInto(controller);
  }

  function ReadableByteStreamControllerError(controller, e) {
    const stream = controller.stream;
    if (stream.state !== 'readable') return;
    ReadableByteStreamControllerClearPendingPullIntos(controller);
    ResetQueue(controller);
    ReadableByteStreamControllerClearAlgorithms(controller);
    ReadableStreamError(stream, e);
  }

  function ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d) {
    const maxBytesToCopy = MathMin(controller.queueTotalSize, d.byteLength - d.bytesFilled);
    const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
    let totalBytesToCopyRemaining = maxBytesToCopy;
    let ready = false;
    const remainderBytes = maxBytesFilled % d.elementSize;
    const maxAlignedBytes = maxBytesFilled - remainderBytes;
    if (maxAlignedBytes >= d.minimumFill) {
      totalBytesToCopyRemaining = maxAlignedBytes - d.bytesFilled;
      ready = true;
    }
    const queue = controller.queue;
    while (totalBytesToCopyRemaining > 0) {
      const head = queue.peek();
      const bytesToCopy = MathMin(totalBytesToCopyRemaining, head.byteLength);
      const destStart = d.byteOffset + d.bytesFilled;
      // CanCopyDataBlockBytes must hold; a failure here would be a bug: error the stream instead of
      // touching memory out of range.
      if (d.buffer === head.buffer || IsDetachedBuffer(d.buffer) || IsDetachedBuffer(head.buffer)
        || destStart + bytesToCopy > arrayBufferByteLength(d.buffer)
        || head.byteOffset + bytesToCopy > arrayBufferByteLength(head.buffer)) {
        const e = new TypeError('Internal error: cannot copy between these buffers');
        ReadableByteStreamControllerError(controller, e);
        throw e;
      }
      CopyDataBlockBytes(d.buffer, destStart, head.buffer, head.byteOffset, bytesToCopy);
      if (head.byteLength === bytesToCopy) {
        queue.shift();
      } else {
        head.byteOffset += bytesToCopy;
        head.byteLength -= bytesToCopy;
      }
      controller.queueTotalSize -= bytesToCopy;
      d.bytesFilled += bytesToCopy; // ReadableByteStreamControllerFillHeadPullIntoDescriptor
      totalBytesToCopyRemaining -= bytesToCopy;
    }
    return ready;
  }

  function ReadableByteStreamControllerFillReadRequestFromQueue(controller, readRequest) {
    const entry = controller.queue.shift();
    controller.queueTotalSize -= entry.byteLength;
    ReadableByteStreamControllerHandleQueueDrain(controller);
    const view = new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength);
    readRequest.chunk(view);
  }

  function ReadableByteStreamControllerGetBYOBRequest(controller) {
    if (controller.byobRequest === null && controller.pendingPullIntos.size > 0) {
      const first = controller.pendingPullIntos.peek();
      const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled,
        first.byteLength - first.bytesFilled);
      const request = { controller, view, w: null };
      new ReadableStreamBYOBRequest(kInternal, request); // eslint-disable-line no-new
      controller.byobRequest = request;
    }
    return controller.byobRequest;
  }

  function ReadableByteStreamControllerGetDesiredSize(controller) {
    const state = controller.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return controller.strategyHWM - controller.queueTotalSize;
  }

  function ReadableByteStreamControllerHandleQueueDrain(controller) {
    if (controller.queueTotalSize === 0 && controller.closeRequested) {
      ReadableByteStreamControllerClearAlgorithms(controller);
      ReadableStreamClose(controller.stream);
    } else {
      ReadableByteStreamControllerCallPullIfNeeded(controller);
    }
  }

  function ReadableByteStreamControllerInvalidateBYOBRequest(controller) {
    const request = controller.byobRequest;
    if (request === null) return;
    request.controller = undefined;
    request.view = null;
    controller.byobRequest = null;
  }

  function ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller) {
    const filledPullIntos = [];
    while (controller.pendingPullIntos.size > 0) {
      if (controller.queueTotalSize === 0) break;
      const d = controller.pendingPullIntos.peek();
      if (ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
        ReadableByteStreamControllerShiftPendingPullInto(controller);
        filledPullIntos[filledPullIntos.length] = d;
      }
    }
    return filledPullIntos;
  }

  function ReadableByteStreamControllerProcessReadRequestsUsingQueue(controller) {
    const requests = controller.stream.reader.requests;
    while (requests.size > 0) {
      if (controller.queueTotalSize === 0) return;
      ReadableByteStreamControllerFillReadRequestFromQueue(controller, requests.shift());
    }
  }

  function ReadableByteStreamControllerPullInto(controller, view, min, readIntoRequest) {
    const stream = controller.stream;
    let elementSize = 1;
    const ctor = viewConstructorOf(view);
    if (isTypedArray(view)) elementSize = ctor.BYTES_PER_ELEMENT;
    const minimumFill = min * elementSize;
    const byteOffset = viewByteOffset(view);
    const byteLength = viewByteLength(view);
    let buffer;
    try {
      buffer = TransferArrayBuffer(viewBuffer(view));
    } catch (e) {
      readIntoRequest.error(e);
      return;
    }
    const d = new PullInto(buffer, arrayBufferByteLength(buffer), byteOffset, byteLength, minimumFill, elementSize,
      ctor, 'byob');
    if (controller.pendingPullIntos.size > 0) {
      controller.pendingPullIntos.push(d);
      ReadableStreamAddReadRequest(stream, readIntoRequest);
      return;
    }
    if (stream.state === 'closed') {
      const emptyView = new ctor(d.buffer, d.byteOffset, 0);
      readIntoRequest.close(emptyView);
      return;
    }
    if (controller.queueTotalSize > 0) {
      if (ReadableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
        const filledView = ReadableByteStreamControllerConvertPullIntoDescriptor(d);
        ReadableByteStreamControllerHandleQueueDrain(controller);
        readIntoRequest.chunk(filledView);
        return;
      }
      if (controller.closeRequested) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
        ReadableByteStreamControllerError(controller, e);
        readIntoRequest.error(e);
        return;
      }
    }
    controller.pendingPullIntos.push(d);
    ReadableStreamAddReadRequest(stream, readIntoRequest);
    ReadableByteStreamControllerCallPullIfNeeded(controller);
  }

  function ReadableByteStreamControllerRespond(controller, bytesWritten) {
    const first = controller.pendingPullIntos.peek();
    const state = controller.stream.state;
    if (state === 'closed') {
      if (bytesWritten !== 0) {
        throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream');
      }
    } else {
      if (bytesWritten === 0) {
        throw new TypeError('bytesWritten must be greater than 0 when calling respond() on a readable stream');
      }
      if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError('bytesWritten out of range');
    }
    first.buffer = TransferArrayBuffer(first.buffer);
    ReadableByteStreamControllerRespondInternal(controller, bytesWritten);
  }

  function ReadableByteStreamControllerRespondInClosedState(controller, first) {
    if (first.readerType === 'none') ReadableByteStreamControllerShiftPendingPullInto(controller);
    const stream = controller.stream;
    if (ReadableStreamHasBYOBReader(stream)) {
      const filledPullIntos = [];
      while (filledPullIntos.length < ReadableStreamGetNumReadRequests(stream)) {
        filledPullIntos[filledPullIntos.length] = ReadableByteStreamControllerShiftPendingPullInto(controller);
      }
      for (let i = 0; i < filledPullIntos.length; i++) {
        ReadableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos[i]);
      }
    }
  }

  function ReadableByteStreamControllerRespondInReadableState(controller, bytesWritten, d) {
    d.bytesFilled += bytesWritten; // ReadableByteStreamControllerFillHeadPullIntoDescriptor
    if (d.readerType === 'none') {
      ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, d);
      const filledPullIntos = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
      for (let i = 0; i < filledPullIntos.length; i++) {
        ReadableByteStreamControllerCommitPullIntoDescriptor(controller.stream, filledPullIntos[i]);
      }
      return;
    }
    if (d.bytesFilled < d.minimumFill) return;
    ReadableByteStreamControllerShiftPendingPullInto(controller);
    const remainderSize = d.bytesFilled % d.elementSize;
    if (remainderSize > 0) {
      const end = d.byteOffset + d.bytesFilled;
      ReadableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer, end - remainderSize, remainderSize);
    }
    d.bytesFilled -= remainderSize;
    const filledPullIntos = ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
    ReadableByteStreamControllerCommitPullIntoDescriptor(controller.stream, d);
    for (let i = 0; i < filledPullIntos.length; i++) {
      ReadableByteStreamControllerCommitPullIntoDescriptor(controller.stream, filledPullIntos[i]);
    }
  }

  function ReadableByteStreamControllerRespondInternal(controller, bytesWritten) {
    const first = controller.pendingPullIntos.peek();
    ReadableByteStreamControllerInvalidateBYOBRequest(controller);
    if (controller.stream.state === 'closed') {
      ReadableByteStreamControllerRespondInClosedState(controller, first);
    } else {
      ReadableByteStreamControllerRespondInReadableState(controller, bytesWritten, first);
    }
    ReadableByteStreamControllerCallPullIfNeeded(controller);
  }

  function ReadableByteStreamControllerRespondWithNewView(controller, view) {
    const first = controller.pendingPullIntos.peek();
    const state = controller.stream.state;
    const byteLength = viewByteLength(view);
    if (state === 'closed') {
      if (byteLength !== 0) {
        throw new TypeError("The view's length must be 0 when calling respondWithNewView() on a closed stream");
      }
    } else if (byteLength === 0) {
      throw new TypeError("The view's length must be greater than 0 when calling respondWithNewView() on a readable stream");
    }
    const buffer = viewBuffer(view);
    if (first.byteOffset + first.bytesFilled !== viewByteOffset(view)) {
      throw new RangeError('The region specified by view does not match byobRequest');
    }
    if (first.bufferByteLength !== arrayBufferByteLength(buffer)) {
      throw new RangeError('The buffer of view has different capacity than byobRequest');
    }
    if (first.bytesFilled + byteLength > first.byteLength) {
      throw new RangeError('The region specified by view is larger than byobRequest');
    }
    first.buffer = TransferArrayBuffer(buffer);
    ReadableByteStreamControllerRespondInternal(controller, byteLength);
  }

  const ReadableByteStreamControllerShiftPendingPullInto = (controller) => controller.pendingPullIntos.shift();

  function ReadableByteStreamControllerShouldCallPull(controller) {
    const stream = controller.stream;
    if (stream.state !== 'readable') return false;
    if (controller.closeRequested) return false;
    if (!controller.started) return false;
    if (stream.reader !== undefined && stream.reader.requests.size > 0) return true;
    return ReadableByteStreamControllerGetDesiredSize(controller) > 0;
  }

  function SetUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, autoAllocateChunkSize) {
    controller.stream = stream;
    controller.strategyHWM = highWaterMark;
    controller.pullAlgorithm = pullAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
    controller.autoAllocateChunkSize = autoAllocateChunkSize;
    stream.controller = controller;
    const startResult = startAlgorithm();
    uponPromise(promiseResolvedWith(startResult), () => {
      controller.started = true;
      ReadableByteStreamControllerCallPullIfNeeded(controller);
    }, (r) => {
      ReadableByteStreamControllerError(controller, r);
    });
  }

  function SetUpReadableByteStreamControllerFromUnderlyingSource(stream, source, cancel, pull, start,
    autoAllocateChunkSize, highWaterMark) {
    const controller = new RSByteController();
    const wrapper = new ReadableByteStreamController(kInternal, controller);
    const startAlgorithm = start === undefined ? returnUndefined
      : () => FunctionPrototypeCall(start, source, wrapper);
    const pullAlgorithm = pull === undefined ? resolvedAlgorithm : () => promiseCall1(pull, source, wrapper);
    const cancelAlgorithm = cancel === undefined ? resolvedAlgorithm
      : (reason) => promiseCall1(cancel, source, reason);
    if (autoAllocateChunkSize === 0) throw new TypeError('autoAllocateChunkSize must be greater than 0');
    SetUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, autoAllocateChunkSize);
  }

  configureInterface(ReadableStreamBYOBReader);
  configureInterface(ReadableByteStreamController);
  configureInterface(ReadableStreamBYOBRequest);

  ObjectAssign(S, {
    ReadableStreamBYOBReader, ReadableByteStreamController, ReadableStreamBYOBRequest, RSByteController,
    newBYOBReaderWrapper, ReadableStreamBYOBReaderRead, ReadableByteStreamControllerClose,
    ReadableByteStreamControllerEnqueue, ReadableByteStreamControllerError, ReadableByteStreamControllerGetBYOBRequest,
    ReadableByteStreamControllerGetDesiredSize, ReadableByteStreamControllerRespond,
    ReadableByteStreamControllerRespondWithNewView, SetUpReadableByteStreamController,
    SetUpReadableByteStreamControllerFromUnderlyingSource,
  });
});
