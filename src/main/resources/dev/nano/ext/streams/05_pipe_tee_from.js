// Streams Standard §4.9.1: ReadableStreamPipeTo, ReadableStreamTee (default and byte streams) and
// ReadableStreamFromIterable. These work on the spec records directly, never through the public
// (app-patchable) reader and writer methods, and without resolving promises with objects, so that
// an app's Object.prototype.then cannot observe them.
internal.streamsDefine((S) => {
  const {
    FunctionPrototypeCall, ObjectAssign, PromiseResolve, SymbolAsyncIterator, SymbolIterator, TypeError,
  } = internal.primordials;
  const abortSignalOps = internal.abortSignal;
  const {
    isObject, noop, promiseResolvedWith, promiseRejectedWith, uponPromise, uponFulfillment, uponRejection,
    transformPromiseWith, queueMicrotask, waitForAll, newPromise, CloneAsUint8Array, Deferred, returnUndefined,
    AcquireReadableStreamDefaultReader, AcquireReadableStreamBYOBReader, CreateReadableStream,
    CreateReadableByteStream, ReadableStreamCancel, ReadableStreamReaderRelease, ReadableStreamDefaultReaderRead,
    ReadableStreamDefaultControllerClose, ReadableStreamDefaultControllerEnqueue, ReadableStreamDefaultControllerError,
    RSByteController, ReadableStreamBYOBReaderRead, ReadableByteStreamControllerClose,
    ReadableByteStreamControllerEnqueue, ReadableByteStreamControllerError, ReadableByteStreamControllerGetBYOBRequest,
    ReadableByteStreamControllerRespond, ReadableByteStreamControllerRespondWithNewView,
    AcquireWritableStreamDefaultWriter, WritableStreamAbort, WritableStreamCloseQueuedOrInFlight,
    WritableStreamDefaultWriterCloseWithErrorPropagation, WritableStreamDefaultWriterRelease,
    WritableStreamDefaultWriterWrite,
  } = S;

  // ---- ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) ----

  function ReadableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = AcquireReadableStreamDefaultReader(source);
    const writer = AcquireWritableStreamDefaultWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = promiseResolvedWith(undefined);
    const promise = new Deferred();
    let abortAlgorithm;

    // Reads wait for the writer's ready promise (backpressure). A chunk read is written a microtask
    // later, never synchronously inside the source's enqueue() (whose caller may not expect the
    // sink to run); shutdown waits for it (this microtask runs before any reaction queued later).
    const readRequest = {
      chunk(chunk) {
        queueMicrotask(() => {
          if (writer.stream === undefined) return; // finalized meanwhile: dest errored or closed
          currentWrite = transformPromiseWith(WritableStreamDefaultWriterWrite(writer, chunk), undefined, noop);
          pipeStep();
        });
      },
      close: noop, // closing and errors are seen through the reader's closed promise below
      error: noop,
    };
    const readIfRunning = () => {
      if (!shuttingDown) ReadableStreamDefaultReaderRead(reader, readRequest);
    };
    function pipeStep() {
      if (shuttingDown) return;
      uponPromise(writer.ready.promise, readIfRunning, noop);
    }

    function waitForWritesToFinish() {
      const oldCurrentWrite = currentWrite;
      return transformPromiseWith(currentWrite,
        () => (oldCurrentWrite !== currentWrite ? waitForWritesToFinish() : undefined));
    }

    function shutdownWithAnAction(action, originalIsError, originalError) {
      if (shuttingDown) return;
      shuttingDown = true;
      const doTheRest = () => {
        uponPromise(action(), () => finalize(originalIsError, originalError), (newError) => finalize(true, newError));
      };
      if (dest.state === 'writable' && !WritableStreamCloseQueuedOrInFlight(dest)) {
        uponFulfillment(waitForWritesToFinish(), doTheRest);
      } else {
        doTheRest();
      }
    }

    function shutdown(isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      if (dest.state === 'writable' && !WritableStreamCloseQueuedOrInFlight(dest)) {
        uponFulfillment(waitForWritesToFinish(), () => finalize(isError, error));
      } else {
        finalize(isError, error);
      }
    }

    function finalize(isError, error) {
      WritableStreamDefaultWriterRelease(writer);
      ReadableStreamReaderRelease(reader);
      if (signal !== undefined) abortSignalOps.removeAlgorithm(signal, abortAlgorithm);
      if (isError) promise.reject(error);
      else promise.resolve(undefined);
    }

    if (signal !== undefined) {
      abortAlgorithm = () => {
        const error = abortSignalOps.reason(signal);
        const abortDest = !preventAbort;
        const cancelSource = !preventCancel;
        shutdownWithAnAction(() => {
          const actions = [];
          if (abortDest) {
            actions[actions.length] = dest.state === 'writable'
              ? WritableStreamAbort(dest, error) : promiseResolvedWith(undefined);
          }
          if (cancelSource) {
            actions[actions.length] = source.state === 'readable'
              ? ReadableStreamCancel(source, error) : promiseResolvedWith(undefined);
          }
          return waitForAll(actions);
        }, true, error);
      };
      if (abortSignalOps.isAborted(signal)) {
        abortAlgorithm();
        return promise.promise;
      }
      abortSignalOps.addAlgorithm(signal, abortAlgorithm);
    }

    // Errors must be propagated forward.
    if (source.state === 'errored') {
      sourceErrored(source.storedError);
    } else {
      uponRejection(reader.closed.promise, sourceErrored);
    }
    function sourceErrored(storedError) {
      if (!preventAbort) shutdownWithAnAction(() => WritableStreamAbort(dest, storedError), true, storedError);
      else shutdown(true, storedError);
    }

    // Errors must be propagated backward.
    if (dest.state === 'errored') {
      destErrored(dest.storedError);
    } else {
      uponRejection(writer.closed.promise, destErrored);
    }
    function destErrored(storedError) {
      if (!preventCancel) shutdownWithAnAction(() => ReadableStreamCancel(source, storedError), true, storedError);
      else shutdown(true, storedError);
    }

    // Closing must be propagated forward.
    if (source.state === 'closed') {
      sourceClosed();
    } else {
      uponFulfillment(reader.closed.promise, sourceClosed);
    }
    function sourceClosed() {
      if (!preventClose) shutdownWithAnAction(() => WritableStreamDefaultWriterCloseWithErrorPropagation(writer));
      else shutdown(false, undefined);
    }

    // Closing must be propagated backward.
    if (WritableStreamCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
      const destClosed = new TypeError('the destination writable stream closed before all data could be piped to it');
      if (!preventCancel) shutdownWithAnAction(() => ReadableStreamCancel(source, destClosed), true, destClosed);
      else shutdown(true, destClosed);
    }

    pipeStep();
    return promise.promise;
  }

  // ---- ReadableStreamTee(stream, cloneForBranch2) ----

  function ReadableStreamTee(stream, cloneForBranch2) {
    if (stream.controller instanceof RSByteController) return ReadableByteStreamTee(stream);
    // An "owning" stream's branches must not share chunks (whatwg/streams#1271).
    return ReadableStreamDefaultTee(stream, cloneForBranch2 || stream.controller.owning);
  }

  function ReadableStreamDefaultTee(stream, cloneForBranch2) {
    const reader = AcquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgain = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1;
    let reason2;
    let branch1;
    let branch2;
    const cancelPromise = new Deferred();

    // One read request serves every read: at most one read is outstanding.
    const readRequest = {
      chunk(chunk) {
        // A microtask later, so that an error of the stream reaches both branches first (§4.9.1 note).
        queueMicrotask(() => {
          readAgain = false;
          const chunk1 = chunk;
          let chunk2 = chunk;
          if (!canceled2 && cloneForBranch2) {
            try {
              chunk2 = internal.structuredClone(chunk2);
            } catch (e) {
              ReadableStreamDefaultControllerError(branch1.controller, e);
              ReadableStreamDefaultControllerError(branch2.controller, e);
              cancelPromise.resolve(ReadableStreamCancel(stream, e));
              return;
            }
          }
          if (!canceled1) ReadableStreamDefaultControllerEnqueue(branch1.controller, chunk1);
          if (!canceled2) ReadableStreamDefaultControllerEnqueue(branch2.controller, chunk2);
          reading = false;
          if (readAgain) pullAlgorithm();
        });
      },
      close() {
        reading = false;
        if (!canceled1) ReadableStreamDefaultControllerClose(branch1.controller);
        if (!canceled2) ReadableStreamDefaultControllerClose(branch2.controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      error() {
        reading = false;
      },
    };

    function pullAlgorithm() {
      if (reading) {
        readAgain = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      ReadableStreamDefaultReaderRead(reader, readRequest);
      return promiseResolvedWith(undefined);
    }

    function cancel1Algorithm(reason) {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    function cancel2Algorithm(reason) {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    branch1 = CreateReadableStream(returnUndefined, pullAlgorithm, cancel1Algorithm);
    branch2 = CreateReadableStream(returnUndefined, pullAlgorithm, cancel2Algorithm);
    uponRejection(reader.closed.promise, (r) => {
      ReadableStreamDefaultControllerError(branch1.controller, r);
      ReadableStreamDefaultControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
    });
    return [branch1, branch2];
  }

  function ReadableByteStreamTee(stream) {
    let reader = AcquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgainForBranch1 = false;
    let readAgainForBranch2 = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1;
    let reason2;
    let branch1;
    let branch2;
    const cancelPromise = new Deferred();

    function forwardReaderError(thisReader) {
      uponRejection(thisReader.closed.promise, (r) => {
        if (thisReader !== reader) return;
        ReadableByteStreamControllerError(branch1.controller, r);
        ReadableByteStreamControllerError(branch2.controller, r);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      });
    }

    const defaultReadRequest = {
      chunk(chunk) {
        queueMicrotask(() => {
          readAgainForBranch1 = false;
          readAgainForBranch2 = false;
          const chunk1 = chunk;
          let chunk2 = chunk;
          if (!canceled1 && !canceled2) {
            try {
              chunk2 = CloneAsUint8Array(chunk);
            } catch (e) {
              ReadableByteStreamControllerError(branch1.controller, e);
              ReadableByteStreamControllerError(branch2.controller, e);
              cancelPromise.resolve(ReadableStreamCancel(stream, e));
              return;
            }
          }
          if (!canceled1) ReadableByteStreamControllerEnqueue(branch1.controller, chunk1);
          if (!canceled2) ReadableByteStreamControllerEnqueue(branch2.controller, chunk2);
          reading = false;
          if (readAgainForBranch1) pull1Algorithm();
          else if (readAgainForBranch2) pull2Algorithm();
        });
      },
      close() {
        reading = false;
        if (!canceled1) ReadableByteStreamControllerClose(branch1.controller);
        if (!canceled2) ReadableByteStreamControllerClose(branch2.controller);
        if (branch1.controller.pendingPullIntos.size > 0) ReadableByteStreamControllerRespond(branch1.controller, 0);
        if (branch2.controller.pendingPullIntos.size > 0) ReadableByteStreamControllerRespond(branch2.controller, 0);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      error() {
        reading = false;
      },
    };

    function pullWithDefaultReader() {
      if (reader.byob) {
        ReadableStreamReaderRelease(reader);
        reader = AcquireReadableStreamDefaultReader(stream);
        forwardReaderError(reader);
      }
      ReadableStreamDefaultReaderRead(reader, defaultReadRequest);
    }

    function pullWithBYOBReader(view, forBranch2) {
      if (!reader.byob) {
        ReadableStreamReaderRelease(reader);
        reader = AcquireReadableStreamBYOBReader(stream);
        forwardReaderError(reader);
      }
      const byobBranch = forBranch2 ? branch2 : branch1;
      const otherBranch = forBranch2 ? branch1 : branch2;
      const readIntoRequest = {
        chunk(chunk) {
          queueMicrotask(() => {
            readAgainForBranch1 = false;
            readAgainForBranch2 = false;
            const byobCanceled = forBranch2 ? canceled2 : canceled1;
            const otherCanceled = forBranch2 ? canceled1 : canceled2;
            if (!otherCanceled) {
              let clonedChunk;
              try {
                clonedChunk = CloneAsUint8Array(chunk);
              } catch (e) {
                ReadableByteStreamControllerError(byobBranch.controller, e);
                ReadableByteStreamControllerError(otherBranch.controller, e);
                cancelPromise.resolve(ReadableStreamCancel(stream, e));
                return;
              }
              if (!byobCanceled) ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
              ReadableByteStreamControllerEnqueue(otherBranch.controller, clonedChunk);
            } else if (!byobCanceled) {
              ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            }
            reading = false;
            if (readAgainForBranch1) pull1Algorithm();
            else if (readAgainForBranch2) pull2Algorithm();
          });
        },
        close(chunk) {
          reading = false;
          const byobCanceled = forBranch2 ? canceled2 : canceled1;
          const otherCanceled = forBranch2 ? canceled1 : canceled2;
          if (!byobCanceled) ReadableByteStreamControllerClose(byobBranch.controller);
          if (!otherCanceled) ReadableByteStreamControllerClose(otherBranch.controller);
          if (chunk !== undefined) {
            if (!byobCanceled) ReadableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            if (!otherCanceled && otherBranch.controller.pendingPullIntos.size > 0) {
              ReadableByteStreamControllerRespond(otherBranch.controller, 0);
            }
          }
          if (!byobCanceled || !otherCanceled) cancelPromise.resolve(undefined);
        },
        error() {
          reading = false;
        },
      };
      ReadableStreamBYOBReaderRead(reader, view, 1, readIntoRequest);
    }

    function pull1Algorithm() {
      if (reading) {
        readAgainForBranch1 = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch1.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, false);
      return promiseResolvedWith(undefined);
    }

    function pull2Algorithm() {
      if (reading) {
        readAgainForBranch2 = true;
        return promiseResolvedWith(undefined);
      }
      reading = true;
      const byobRequest = ReadableByteStreamControllerGetBYOBRequest(branch2.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, true);
      return promiseResolvedWith(undefined);
    }

    function cancel1Algorithm(reason) {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    function cancel2Algorithm(reason) {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) cancelPromise.resolve(ReadableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    }

    branch1 = CreateReadableByteStream(returnUndefined, pull1Algorithm, cancel1Algorithm);
    branch2 = CreateReadableByteStream(returnUndefined, pull2Algorithm, cancel2Algorithm);
    forwardReaderError(reader);
    return [branch1, branch2];
  }

  // ---- ReadableStreamFromIterable(asyncIterable) ----

  // GetMethod(V, P).
  function GetMethod(value, key, name) {
    const fn = value[key];
    if (fn === undefined || fn === null) return undefined;
    if (typeof fn !== 'function') throw new TypeError(`The iterator's ${name} is not a function`);
    return fn;
  }

  // GetIterator(obj, async): an async iterator record, or one made from a sync iterator
  // (CreateAsyncFromSyncIterator, ECMAScript §27.1.6).
  function GetAsyncIterator(obj) {
    const method = GetMethod(obj, SymbolAsyncIterator, '[Symbol.asyncIterator]');
    if (method === undefined) {
      const syncMethod = GetMethod(obj, SymbolIterator, '[Symbol.iterator]');
      if (syncMethod === undefined) throw new TypeError('The value passed to ReadableStream.from() is not iterable');
      const syncIterator = FunctionPrototypeCall(syncMethod, obj);
      if (!isObject(syncIterator)) throw new TypeError('The iterator is not an object');
      return CreateAsyncFromSyncIterator(syncIterator, syncIterator.next);
    }
    const iterator = FunctionPrototypeCall(method, obj);
    if (!isObject(iterator)) throw new TypeError('The async iterator is not an object');
    return { iterator, next: iterator.next };
  }

  function CreateAsyncFromSyncIterator(syncIterator, syncNext) {
    // IteratorClose for a throw completion: errors of `return` itself are ignored.
    const closeSync = () => {
      try {
        const ret = GetMethod(syncIterator, 'return', 'return');
        if (ret !== undefined) FunctionPrototypeCall(ret, syncIterator);
      } catch {
        // the original error wins
      }
    };
    // AsyncFromSyncIteratorContinuation(result, promiseCapability, syncIteratorRecord, closeOnRejection).
    const continuation = (result, d, closeOnRejection) => {
      let done;
      let valueWrapper;
      try {
        done = !!result.done;
        const value = result.value;
        try {
          valueWrapper = PromiseResolve(value);
        } catch (e) {
          if (!done && closeOnRejection) closeSync();
          throw e;
        }
      } catch (e) {
        d.reject(e);
        return d.promise;
      }
      const onRejected = done || !closeOnRejection ? undefined : (error) => {
        closeSync();
        throw error;
      };
      uponPromise(transformPromiseWith(valueWrapper, (v) => ({ value: v, done }), onRejected), d.resolve, d.reject);
      return d.promise;
    };
    const iterator = {
      next() {
        const d = newPromise();
        let result;
        try {
          result = FunctionPrototypeCall(syncNext, syncIterator);
          if (!isObject(result)) throw new TypeError('The iterator result is not an object');
        } catch (e) {
          d.reject(e);
          return d.promise;
        }
        return continuation(result, d, true);
      },
      return(value) {
        const d = newPromise();
        let result;
        try {
          const ret = GetMethod(syncIterator, 'return', 'return');
          if (ret === undefined) {
            d.resolve({ value, done: true });
            return d.promise;
          }
          result = FunctionPrototypeCall(ret, syncIterator, value);
          if (!isObject(result)) throw new TypeError('The iterator result is not an object');
        } catch (e) {
          d.reject(e);
          return d.promise;
        }
        return continuation(result, d, false);
      },
    };
    return { iterator, next: iterator.next };
  }

  function ReadableStreamFromIterable(asyncIterable) {
    let stream;
    const record = GetAsyncIterator(asyncIterable);
    const pullAlgorithm = () => {
      let nextResult;
      try {
        nextResult = FunctionPrototypeCall(record.next, record.iterator);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return transformPromiseWith(promiseResolvedWith(nextResult), (iterResult) => {
        if (!isObject(iterResult)) throw new TypeError('The iterator.next() method must return an object');
        if (iterResult.done) ReadableStreamDefaultControllerClose(stream.controller);
        else ReadableStreamDefaultControllerEnqueue(stream.controller, iterResult.value);
      });
    };
    const cancelAlgorithm = (reason) => {
      const iterator = record.iterator;
      let returnResult;
      try {
        const returnMethod = GetMethod(iterator, 'return', 'return');
        if (returnMethod === undefined) return promiseResolvedWith(undefined);
        returnResult = FunctionPrototypeCall(returnMethod, iterator, reason);
      } catch (e) {
        return promiseRejectedWith(e);
      }
      return transformPromiseWith(promiseResolvedWith(returnResult), (iterResult) => {
        if (!isObject(iterResult)) throw new TypeError('The iterator.return() method must return an object');
        return undefined;
      });
    };
    stream = CreateReadableStream(returnUndefined, pullAlgorithm, cancelAlgorithm, 0);
    return stream;
  }

  ObjectAssign(S, { ReadableStreamPipeTo, ReadableStreamTee, ReadableStreamFromIterable });
}, 2);
