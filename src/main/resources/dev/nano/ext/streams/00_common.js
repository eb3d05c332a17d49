// Streams Standard (https://streams.spec.whatwg.org/): the module loader of this extension and the
// helpers every part shares (promises, queue-with-sizes §8.1, buffer operations §8.3, WebIDL
// conversions). See README.md in this folder for the structure.
//
// Every file of this extension registers a factory with `define`; nothing is built until an app (or
// another extension, through internal.streams) first touches a stream class. Factories come in two
// tiers: 1, readable streams (all a request or response body needs), and 2, the rest (writable and
// transform streams, pipes, tee, text and compression streams). `load(tier)` runs the factories of
// each tier not built yet, in file order, each adding its definitions to one shared namespace S,
// then the tier's link functions, which copy what they need from S into local bindings (like ES
// module imports, so files of a tier may use each other's functions in both directions). Tier 1
// code reaches tier 2 through load(2) at the moment it needs it (pipeTo, tee, from).
//
// Built-ins are captured here, at bootstrap, before any app code runs: the factories may run long
// after an app has replaced Promise.prototype.then or ArrayBuffer.prototype.slice.
const { ArrayPrototypePush } = internal.primordials;

// Built-ins that internal.primordials lacks, captured now, before any app code runs: the factories
// may run long after an app replaced Promise.withResolvers or ArrayBuffer.prototype.transfer. Raw
// functions, called through FunctionPrototypeCall (no per-context wrappers).
const builtins = {
  __proto__: null,
  PromiseWithResolvers: Promise.withResolvers,
  ArrayBufferTransfer: ArrayBuffer.prototype.transfer,
  ArrayBufferGetDetached: Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached').get,
  DataView,
  // [[TypedArrayName]] -> constructor, for the views the spec builds from a pull-into descriptor.
  typedArrayCtors: {
    __proto__: null, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  },
  FinalizationRegistry: globalThis.FinalizationRegistry,
  FinalizationRegistryRegister: globalThis.FinalizationRegistry?.prototype.register,
  FinalizationRegistryUnregister: globalThis.FinalizationRegistry?.prototype.unregister,
};
if (typeof globalThis.Float16Array === 'function') builtins.typedArrayCtors.Float16Array = globalThis.Float16Array;

const factories = [[], []]; // by tier
let namespace = null;
let loadedTier = 0;

// Builds the tiers up to `tier` (once per context): their factories, then their link functions.
function load(tier = 2) {
  if (namespace === null) namespace = { __proto__: null };
  while (loadedTier < tier) {
    const list = factories[loadedTier];
    loadedTier++;
    const links = [];
    for (let i = 0; i < list.length; i++) {
      const link = list[i](namespace);
      if (typeof link === 'function') ArrayPrototypePush(links, link);
    }
    for (let i = 0; i < links.length; i++) links[i]();
  }
  return namespace;
}

internal.streamsDefine = (factory, tier = 1) => { ArrayPrototypePush(factories[tier - 1], factory); };
internal.streamsLoad = load;
internal.streamsLoaded = (tier = 1) => loadedTier >= tier;

internal.streamsDefine((S) => {
  const {
    ObjectAssign, FunctionPrototypeCall, ArrayPrototypeSlice, Promise, PromiseResolve, PromiseReject,
    PromisePrototypeThen, ArrayBuffer, Uint8Array, ArrayBufferIsView,
    TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet,
    DataViewPrototypeGetByteLength, ArrayBufferPrototypeGetByteLength,
    SharedArrayBufferPrototypeGetByteLength, NumberIsNaN, MathTrunc, NumberIsFinite, TypeError, RangeError,
    ArrayBufferViewGetBuffer, ArrayBufferViewGetByteOffset,
  } = internal.primordials;
  const { PromiseWithResolvers, ArrayBufferTransfer, ArrayBufferGetDetached, DataView: DataViewCtor, typedArrayCtors } = builtins;
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  const noop = () => {};

  // ---- promises (WebIDL §3.2.23 and "reacting to promises"), immune to app patches ----

  function newPromise() {
    return FunctionPrototypeCall(PromiseWithResolvers, Promise);
  }

  // WebIDL "a promise resolved with x": a new promise, so a thenable x is adopted as the spec says.
  function promiseResolvedWith(value) {
    if (!isObject(value)) return PromiseResolve(value);
    const d = newPromise();
    d.resolve(value);
    return d.promise;
  }

  const promiseRejectedWith = (reason) => PromiseReject(reason);

  // "React to" a promise. Callers' steps do not throw, so the derived promise never rejects.
  function uponPromise(promise, onFulfilled, onRejected) {
    PromisePrototypeThen(promise, onFulfilled, onRejected);
  }
  const uponFulfillment = (promise, onFulfilled) => { PromisePrototypeThen(promise, onFulfilled, noop); };
  const uponRejection = (promise, onRejected) => { PromisePrototypeThen(promise, undefined, onRejected); };
  const transformPromiseWith = (promise, onFulfilled, onRejected) => PromisePrototypeThen(promise, onFulfilled, onRejected);
  const setPromiseIsHandled = (promise) => { PromisePrototypeThen(promise, undefined, noop); };
  const resolvedUndefined = () => PromiseResolve(undefined);

  // "Queue a microtask": a reaction to an already fulfilled promise runs as the next microtask.
  function queueMicrotask(steps) {
    PromisePrototypeThen(PromiseResolve(undefined), steps);
  }

  // "Wait for all" (WebIDL §3.2.23), without Promise.all (which would look up `then`).
  function waitForAll(promises) {
    const d = newPromise();
    let remaining = promises.length;
    if (remaining === 0) {
      d.resolve(undefined);
      return d.promise;
    }
    let rejected = false;
    for (let i = 0; i < promises.length; i++) {
      uponPromise(promises[i], () => {
        if (--remaining === 0 && !rejected) d.resolve(undefined);
      }, (e) => {
        if (!rejected) {
          rejected = true;
          d.reject(e);
        }
      });
    }
    return d.promise;
  }

  // Invoke a callback whose IDL return type is a promise (exceptions become rejections), with
  // exactly as many arguments as the spec passes (sinks and transformers may count them).
  function promiseCall0(fn, thisArg) {
    try {
      return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg));
    } catch (e) {
      return PromiseReject(e);
    }
  }

  function promiseCall1(fn, thisArg, arg) {
    try {
      return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg, arg));
    } catch (e) {
      return PromiseReject(e);
    }
  }

  function promiseCall2(fn, thisArg, arg1, arg2) {
    try {
      return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg, arg1, arg2));
    } catch (e) {
      return PromiseReject(e);
    }
  }

  // A promise with its resolving functions and a state, for slots whose promise the spec settles
  // later or replaces ("if writer.[[readyPromise]].[[PromiseState]] is pending").
  class Deferred {
    constructor() {
      const d = newPromise();
      this.promise = d.promise;
      this.res = d.resolve;
      this.rej = d.reject;
      this.pending = true;
    }

    resolve(value) {
      if (!this.pending) return;
      this.pending = false;
      this.res(value);
    }

    reject(reason) {
      if (!this.pending) return;
      this.pending = false;
      this.rej(reason);
    }
  }

  function resolvedDeferred() {
    const d = new Deferred();
    d.resolve(undefined);
    return d;
  }

  function rejectedHandledDeferred(reason) {
    const d = new Deferred();
    d.reject(reason);
    setPromiseIsHandled(d.promise);
    return d;
  }

  // ---- a FIFO queue (list with amortized O(1) shift) ----

  class Queue {
    constructor() {
      this.items = [];
      this.head = 0;
    }

    get size() { return this.items.length - this.head; }

    push(value) { this.items[this.items.length] = value; }

    peek() { return this.items[this.head]; }

    shift() {
      const items = this.items;
      const value = items[this.head];
      items[this.head] = undefined;
      this.head++;
      if (this.head === items.length) {
        items.length = 0;
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= items.length) {
        this.items = ArrayPrototypeSlice(items, this.head);
        this.head = 0;
      }
      return value;
    }

    clear() {
      this.items = [];
      this.head = 0;
    }

    // Takes every element out, for "set list to an empty list, then for each ...".
    drain() {
      const out = this.head === 0 ? this.items : ArrayPrototypeSlice(this.items, this.head);
      this.items = [];
      this.head = 0;
      return out;
    }
  }

  // ---- queue-with-sizes (§8.1): values and sizes interleaved in one Queue ----

  function IsNonNegativeNumber(v) {
    return typeof v === 'number' && !NumberIsNaN(v) && v >= 0;
  }

  function EnqueueValueWithSize(container, value, size) {
    if (!IsNonNegativeNumber(size) || size === Infinity) {
      throw new RangeError('The size of a chunk must be a finite, non-negative number.');
    }
    const queue = container.queue;
    queue.push(value);
    queue.push(size);
    container.queueTotalSize += size;
  }

  function DequeueValue(container) {
    const queue = container.queue;
    const value = queue.shift();
    const size = queue.shift();
    container.queueTotalSize -= size;
    if (container.queueTotalSize < 0) container.queueTotalSize = 0; // rounding errors
    return value;
  }

  const PeekQueueValue = (container) => container.queue.peek();

  function ResetQueue(container) {
    container.queue.clear();
    container.queueTotalSize = 0;
  }

  // ---- ArrayBuffers and views (§8.3, ECMAScript abstract operations) ----

  const IsDetachedBuffer = (buffer) => FunctionPrototypeCall(ArrayBufferGetDetached, buffer);

  // An ArrayBuffer (not shared); false for anything else.
  function isArrayBuffer(v) {
    if (!isObject(v)) return false;
    try {
      FunctionPrototypeCall(ArrayBufferGetDetached, v);
      return true;
    } catch {
      return false;
    }
  }

  function isSharedArrayBuffer(v) {
    if (!isObject(v)) return false;
    try {
      SharedArrayBufferPrototypeGetByteLength(v);
      return true;
    } catch {
      return false;
    }
  }

  const isTypedArray = (v) => ArrayBufferIsView(v) && TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
  const viewBuffer = ArrayBufferViewGetBuffer;
  const viewByteOffset = ArrayBufferViewGetByteOffset;
  // [[ByteLength]] of a view (0 when its buffer is detached).
  function viewByteLength(v) {
    if (TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined) return TypedArrayPrototypeGetByteLength(v);
    try {
      return DataViewPrototypeGetByteLength(v);
    } catch {
      return 0; // a DataView on a detached buffer throws instead of answering 0
    }
  }
  const arrayBufferByteLength = (buffer) => ArrayBufferPrototypeGetByteLength(buffer);

  // The element size and constructor of a view (the typed array constructors table, or DataView).
  function viewConstructorOf(v) {
    const name = TypedArrayPrototypeGetSymbolToStringTag(v);
    return name === undefined ? DataViewCtor : typedArrayCtors[name];
  }

  // TransferArrayBuffer(O): the data moves to a new ArrayBuffer and O is detached.
  const TransferArrayBuffer = (buffer) => FunctionPrototypeCall(ArrayBufferTransfer, buffer);
  const CanTransferArrayBuffer = (buffer) => !IsDetachedBuffer(buffer);

  // CloneArrayBuffer(buffer, offset, length, %ArrayBuffer%), without ArrayBuffer.prototype.slice (species).
  function CloneArrayBuffer(buffer, byteOffset, byteLength) {
    const out = new ArrayBuffer(byteLength);
    if (byteLength > 0) TypedArrayPrototypeSet(new Uint8Array(out), new Uint8Array(buffer, byteOffset, byteLength));
    return out;
  }

  function CloneAsUint8Array(view) {
    return new Uint8Array(CloneArrayBuffer(viewBuffer(view), viewByteOffset(view), viewByteLength(view)));
  }

  function CopyDataBlockBytes(to, toIndex, from, fromIndex, count) {
    TypedArrayPrototypeSet(new Uint8Array(to, toIndex, count), new Uint8Array(from, fromIndex, count));
  }

  // ---- WebIDL conversions ----

  // A dictionary argument: undefined and null are empty; other non-objects throw.
  function toDictionary(value, context) {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) throw new TypeError(`${context} can not be converted to a dictionary.`);
    return value;
  }

  // A callback function member: must be callable (WebIDL §3.2.19).
  function toCallback(value, context) {
    if (typeof value !== 'function') throw new TypeError(`${context} is not a function.`);
    return value;
  }

  // [EnforceRange] unsigned long long.
  function toEnforceRangeULL(value, context) {
    let x = +value;
    if (!NumberIsFinite(x)) throw new TypeError(`${context} is not a finite number.`);
    x = MathTrunc(x);
    if (x < 0 || x > 9007199254740991) throw new TypeError(`${context} is outside the accepted range.`);
    return x === 0 ? 0 : x;
  }

  // QueuingStrategy dictionary (§7.1): { highWaterMark: unrestricted double, size: callback }.
  // Returns { highWaterMark, size } with undefined for absent members.
  function toQueuingStrategy(value, context) {
    const dict = toDictionary(value, context);
    if (dict === undefined) return { highWaterMark: undefined, size: undefined };
    let highWaterMark = dict.highWaterMark;
    if (highWaterMark !== undefined) highWaterMark = +highWaterMark;
    let size = dict.size;
    if (size !== undefined) size = toCallback(size, `${context}: 'size'`);
    return { highWaterMark, size };
  }

  // ExtractHighWaterMark (§7.4).
  function ExtractHighWaterMark(strategy, defaultHWM) {
    const hwm = strategy.highWaterMark;
    if (hwm === undefined) return defaultHWM;
    if (NumberIsNaN(hwm) || hwm < 0) throw new RangeError('Invalid highWaterMark: it must be a non-negative number.');
    return hwm;
  }

  const returnOne = () => 1;

  // ExtractSizeAlgorithm (§7.4): the result is converted to unrestricted double (ToNumber).
  function ExtractSizeAlgorithm(strategy) {
    const size = strategy.size;
    if (size === undefined) return returnOne;
    return (chunk) => +FunctionPrototypeCall(size, undefined, chunk);
  }

  ObjectAssign(S, {
    isObject, noop, newPromise, promiseResolvedWith, promiseRejectedWith, uponPromise, uponFulfillment, uponRejection,
    transformPromiseWith, setPromiseIsHandled, resolvedUndefined, queueMicrotask, waitForAll, Deferred,
    resolvedDeferred, rejectedHandledDeferred, promiseCall0, promiseCall1, promiseCall2, Queue,
    IsNonNegativeNumber, EnqueueValueWithSize, DequeueValue, PeekQueueValue, ResetQueue, IsDetachedBuffer,
    isArrayBuffer, isSharedArrayBuffer, isTypedArray, viewBuffer, viewByteOffset, viewByteLength, arrayBufferByteLength,
    viewConstructorOf, TransferArrayBuffer, CanTransferArrayBuffer, CloneArrayBuffer, CloneAsUint8Array,
    CopyDataBlockBytes, toDictionary, toCallback, toEnforceRangeULL, toQueuingStrategy, ExtractHighWaterMark,
    ExtractSizeAlgorithm, returnOne,
    kInternal: Symbol('nano.streams.internal'),
    builtins,
  });
});
