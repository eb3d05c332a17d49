// structuredClone (HTML §2.7 "Safe passing of structured data"): StructuredSerializeInternal builds
// records for the whole graph first (running every getter, in the spec's order), the transfer list
// is then detached (§2.7.7), and StructuredDeserialize (§2.7.6) builds the copy from the records.
// A record is a Rec; a primitive stands for itself. Neither pass recurses: deep graphs (a long
// linked list) do not overflow the stack.
//
// For other extensions:
//   internal.structuredClone(value, transferList = [])  -> the copy (transferList: an array)
//   internal.registerSerializable(Class, { is(v), serialize(v, inner), deserialize(data, inner) })
//     makes Class's instances (for which `is` holds) serializable: `serialize` returns data made of
//     primitives and of what `inner(value)` returns; `deserialize` gets that data back, with
//     `inner(record)` to turn those parts into values.
//   internal.registerTransferable(Class, { is(v), isDetached(v), transfer(v) })
//     makes Class's instances transferable: `transfer` detaches v and returns the new object that
//     the copy holds in its place (HTML's transfer + transfer-receiving steps, one realm).
//   internal.markNotCloneable(Class): instances throw DataCloneError. Interfaces set up with
//     webidl.configureInterface are already refused unless registered as serializable.
const {
  ObjectGetPrototypeOf, ObjectGetOwnPropertyDescriptor, ArrayPrototypePush, FunctionPrototypeCall,
  SafeWeakMap, WeakMapPrototypeSet, SymbolIterator, TypeError, Uint8Array, Error,
} = internal.primordials;
const { requiredArguments, exposeOperation } = internal.webidl;

// Built-ins only this file uses, taken at bootstrap like the primordials (before app code runs).
// Raw functions, called through FunctionPrototypeCall: no per-context wrappers.
const getterOf = (proto, name) => ObjectGetOwnPropertyDescriptor(proto, name).get;
const call = FunctionPrototypeCall;
const ObjectPrototype = Object.prototype;
const ArrayCtor = Array;
const ArrayPrototype = Array.prototype;
const { Boolean: BooleanCtor, Number: NumberCtor, String: StringCtor, BigInt: BigIntCtor, Symbol: SymbolCtor } = globalThis;
const { Date: DateCtor, RegExp: RegExpCtor, Map: MapCtor, Set: SetCtor, ArrayBuffer: ArrayBufferCtor } = globalThis;
const { SharedArrayBuffer: SharedArrayBufferCtor, DataView: DataViewCtor, Promise: PromiseCtor } = globalThis;
const { WeakMap: WeakMapCtor, WeakSet: WeakSetCtor, WeakRef: WeakRefCtor, FinalizationRegistry: FinalizationRegistryCtor } = globalThis;
const { EvalError, RangeError, ReferenceError, SyntaxError, URIError, Intl } = globalThis;
const ObjectCtor = Object;
const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const typedArrayCtors = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
if (typeof globalThis.Float16Array === 'function') ArrayPrototypePush(typedArrayCtors, globalThis.Float16Array);
const errorCtors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
const BooleanValueOf = BooleanCtor.prototype.valueOf;
const NumberValueOf = NumberCtor.prototype.valueOf;
const StringValueOf = StringCtor.prototype.valueOf;
const BigIntValueOf = BigIntCtor.prototype.valueOf;
const DateGetTime = DateCtor.prototype.getTime;
const RegExpGetSource = getterOf(RegExpCtor.prototype, 'source');
// [[OriginalFlags]], read flag by flag: the generic `flags` getter would Get own properties.
// Flat (flag, getter) pairs: one array rather than one per flag, in every context.
const regExpFlagGetters = ['d', 'hasIndices', 'g', 'global', 'i', 'ignoreCase', 'm', 'multiline',
  's', 'dotAll', 'u', 'unicode', 'v', 'unicodeSets', 'y', 'sticky'];
for (let i = 1; i < regExpFlagGetters.length; i += 2) {
  const desc = ObjectGetOwnPropertyDescriptor(RegExpCtor.prototype, regExpFlagGetters[i]);
  regExpFlagGetters[i] = desc === undefined ? undefined : desc.get;
}
const MapGetSize = getterOf(MapCtor.prototype, 'size');
const MapForEach = MapCtor.prototype.forEach;
const SetGetSize = getterOf(SetCtor.prototype, 'size');
const SetForEach = SetCtor.prototype.forEach;
const AB = ArrayBufferCtor.prototype;
const ABGetByteLength = getterOf(AB, 'byteLength');
const ABGetMaxByteLength = getterOf(AB, 'maxByteLength');
const ABGetResizable = getterOf(AB, 'resizable');
const ABGetDetached = getterOf(AB, 'detached');
const ABResize = AB.resize;
const ABTransfer = AB.transfer;
const SABGetByteLength = SharedArrayBufferCtor === undefined ? undefined : getterOf(SharedArrayBufferCtor.prototype, 'byteLength');
const TAGetBuffer = getterOf(TypedArrayPrototype, 'buffer');
const TAGetByteOffset = getterOf(TypedArrayPrototype, 'byteOffset');
const TAGetByteLength = getterOf(TypedArrayPrototype, 'byteLength');
const TAGetLength = getterOf(TypedArrayPrototype, 'length');
const TASet = TypedArrayPrototype.set;
const TAValues = TypedArrayPrototype.values; // throws on an out-of-bounds view (ValidateTypedArray)
const DVGetBuffer = getterOf(DataViewCtor.prototype, 'buffer');
const DVGetByteOffset = getterOf(DataViewCtor.prototype, 'byteOffset');
const DVGetByteLength = getterOf(DataViewCtor.prototype, 'byteLength');
const ReflectDeleteProperty = Reflect.deleteProperty;
const ArrayValues = ArrayCtor.prototype.values;
const MapEntries = MapCtor.prototype.entries;
const SetValues = SetCtor.prototype.values;
const StringIterator = StringCtor.prototype[SymbolIterator];
const IteratorMap = globalThis.Iterator?.prototype.map;
const IntlCtors = Intl === undefined ? [] : [Intl.Collator, Intl.NumberFormat, Intl.DateTimeFormat,
  Intl.PluralRules, Intl.ListFormat, Intl.RelativeTimeFormat, Intl.Segmenter, Intl.DisplayNames, Intl.Locale,
  Intl.DurationFormat];


// Platform objects: prototype -> { is, serialize, deserialize, name } (serializable) or null (refused).
const platformClasses = new SafeWeakMap();

function registerSerializable(klass, steps) {
  WeakMapPrototypeSet(platformClasses, klass.prototype, {
    __proto__: null, name: klass.name, is: steps.is, serialize: steps.serialize, deserialize: steps.deserialize,
  });
}

// Transferable platform objects other than ArrayBuffer: a list of { name, is, isDetached, transfer }.
const transferables = [];

function registerTransferable(klass, steps) {
  ArrayPrototypePush(transferables, {
    __proto__: null, name: klass.name, is: steps.is, isDetached: steps.isDetached, transfer: steps.transfer,
  });
}

function transferableOf(value) {
  for (let i = 0; i < transferables.length; i++) {
    if (transferables[i].is(value)) return transferables[i];
  }
  return null;
}

function markNotCloneable(klass) {
  WeakMapPrototypeSet(platformClasses, klass.prototype, null);
}

// The serializer below is built on the first clone, not in every context: most contexts never
// clone, and its ~40 functions would cost every one of them a few KB (ARCHITECTURE.md, "Keeping
// a context small"). It only closes over the built-ins captured above, so app code that ran
// meanwhile cannot reach it.
let cloneImpl;
function cloneInternal(value, transferList = [], received = undefined) {
  if (cloneImpl === undefined) cloneImpl = buildCloner();
  return cloneImpl(value, transferList, received);
}

function buildCloner() {
  const { isInterfacePrototype } = internal.webidl;
  const {
    ObjectDefineProperty, ObjectKeys, ObjectPrototypeHasOwnProperty, ObjectPrototypeToString, ArrayIsArray,
    ArrayPrototypePop, SafeMap, MapPrototypeGet, MapPrototypeSet, MapPrototypeHas, WeakMapPrototypeGet,
    SetPrototypeAdd, SymbolToStringTag, ArrayBufferIsView, TypedArrayPrototypeGetSymbolToStringTag,
  } = internal.primordials;
  const { DOMException, nameOf: domExceptionName, messageOf: domExceptionMessage } = internal.domExceptions();
  // What an object is, as far as StructuredSerializeInternal cares (HTML §2.7.3): a prototype suggests
  // a kind, a brand check (a built-in getter that throws on other objects) confirms it.
  const K_OBJECT = 0, K_ARRAY = 1, K_BOOLEAN = 2, K_NUMBER = 3, K_BIGINT = 4, K_STRING = 5, K_DATE = 6,
    K_REGEXP = 7, K_BUFFER = 8, K_SHARED = 9, K_MAP = 10, K_SET = 11, K_ERROR = 12, K_VIEW = 13,
    K_TRANSFERRED = 14, K_PLATFORM = 15, K_UNCLONABLE = 16;

  let protoKinds; // built on first use: it is per context, and most contexts never clone
  function kindOfPrototype(proto) {
    if (protoKinds === undefined) {
      protoKinds = new SafeMap();
      const add = (p, kind) => { if (p !== undefined) MapPrototypeSet(protoKinds, p, kind); };
      add(BooleanCtor.prototype, K_BOOLEAN); add(NumberCtor.prototype, K_NUMBER);
      add(BigIntCtor.prototype, K_BIGINT); add(StringCtor.prototype, K_STRING);
      add(DateCtor.prototype, K_DATE); add(RegExpCtor.prototype, K_REGEXP);
      add(AB, K_BUFFER); add(SharedArrayBufferCtor?.prototype, K_SHARED);
      add(MapCtor.prototype, K_MAP); add(SetCtor.prototype, K_SET); add(Error.prototype, K_ERROR);
      // Built-in objects whose internal slots cannot be serialized, known by their prototypes.
      const unclonable = [SymbolCtor.prototype, PromiseCtor.prototype, WeakMapCtor.prototype,
        WeakSetCtor.prototype, WeakRefCtor?.prototype, FinalizationRegistryCtor?.prototype,
        ObjectGetPrototypeOf(call(ArrayValues, [])), ObjectGetPrototypeOf(call(MapEntries, new MapCtor())),
        ObjectGetPrototypeOf(call(SetValues, new SetCtor())), ObjectGetPrototypeOf(call(StringIterator, '')),
        ObjectGetPrototypeOf(ObjectGetPrototypeOf((function* () {}).prototype)),
        ObjectGetPrototypeOf(ObjectGetPrototypeOf((async function* () {}).prototype))];
      if (IteratorMap !== undefined) {
        ArrayPrototypePush(unclonable, ObjectGetPrototypeOf(call(IteratorMap, call(ArrayValues, []), (x) => x)));
      }
      for (let i = 0; i < IntlCtors.length; i++) {
        if (IntlCtors[i] !== undefined) ArrayPrototypePush(unclonable, IntlCtors[i].prototype);
      }
      for (let i = 0; i < unclonable.length; i++) add(unclonable[i], K_UNCLONABLE);
    }
    return MapPrototypeGet(protoKinds, proto);
  }

  // The value of an own data property, or `absent` (accessor or no such property).
  const absent = SymbolCtor('absent');
  function ownDataValue(object, key) {
    const desc = ObjectGetOwnPropertyDescriptor(object, key);
    return desc !== undefined && ObjectPrototypeHasOwnProperty(desc, 'value') ? desc.value : absent;
  }

  function cloneError(message) {
    return new DOMException(message, 'DataCloneError');
  }

  // One serialized value. `v`, `a`, `b` hold the kind's data; `props` alternates keys and records.
  // While its contents are being serialized, a Rec is also its own stack frame: `src` is the object,
  // `items` what is left to visit (keys, or Map/Set entries), `i` the position in it.
  class Rec {
    constructor(kind, v) {
      this.kind = kind;
      this.v = v;
      this.a = undefined;
      this.b = undefined;
      this.props = undefined;
      this.out = undefined; // the deserialized object, once made
      this.src = undefined;
      this.items = undefined;
      this.i = 0;
    }
  }

  // A plain description for error messages that runs no app code.
  function describe(value) {
    if (typeof value === 'symbol') return 'Symbol';
    if (typeof value === 'function') return 'function';
    return ObjectPrototypeToString(value);
  }

  // HTML §2.7.3 StructuredSerializeInternal(value, forStorage = false, memory), without recursion (a
  // long linked list must not overflow the stack): a Rec whose contents remain to be serialized goes
  // on `stack`, and the top one is worked on until done, so values are visited in the spec's order.
  function serialize(value, memory) {
    const stack = [];
    const root = serializeShallow(value, memory, stack);
    while (stack.length > 0) {
      const rec = stack[stack.length - 1];
      const depth = stack.length;
      const items = rec.items;
      while (rec.i < items.length && stack.length === depth) {
        const item = items[rec.i++];
        switch (rec.kind) {
          case K_OBJECT: case K_ARRAY:
            // §2.7.3: each key of EnumerableOwnProperties still own when reached (a getter may delete
            // later keys), serialized from Get(value, key).
            if (ObjectPrototypeHasOwnProperty(rec.src, item)) {
              ArrayPrototypePush(rec.props, item, serializeShallow(rec.src[item], memory, stack));
            }
            break;
          case K_MAP: case K_SET: ArrayPrototypePush(rec.v, serializeShallow(item, memory, stack)); break;
          case K_ERROR: rec.a[3] = serializeShallow(item, memory, stack); break;
        }
      }
      if (rec.i >= items.length && stack.length === depth) {
        rec.src = rec.items = undefined;
        ArrayPrototypePop(stack);
      }
    }
    return root;
  }

  // Starts serializing the contents of `rec` (taken from `src`) after those of the current one.
  function visit(rec, src, items, stack) {
    if (items.length > 0) {
      rec.src = src;
      rec.items = items;
      ArrayPrototypePush(stack, rec);
    }
    return rec;
  }

  function serializeShallow(value, memory, stack) {
    const type = typeof value;
    if (value === null || (type !== 'object' && type !== 'function')) {
      if (type === 'symbol') throw cloneError(`${describe(value)} could not be cloned.`);
      return value;
    }
    const known = MapPrototypeGet(memory, value);
    if (known !== undefined) return known;
    if (type === 'function') throw cloneError(`${describe(value)} could not be cloned.`);

    if (ArrayIsArray(value)) {
      const rec = new Rec(K_ARRAY, ObjectGetOwnPropertyDescriptor(value, 'length').value);
      MapPrototypeSet(memory, value, rec);
      rec.props = [];
      return visit(rec, value, ObjectKeys(value), stack);
    }
    if (ArrayBufferIsView(value)) return serializeView(value, memory);

    // Find what the object is from its prototype chain, then confirm with a brand check; an object
    // that only inherits from a built-in prototype (Object.create(Map.prototype)) is ordinary.
    let kind = K_OBJECT;
    let platform;
    for (let proto = ObjectGetPrototypeOf(value); proto !== null; proto = ObjectGetPrototypeOf(proto)) {
      if (proto === ObjectPrototype) break;
      const found = kindOfPrototype(proto);
      if (found !== undefined) { kind = found; break; }
      platform = WeakMapPrototypeGet(platformClasses, proto);
      if (platform) {
        if (platform.is(value)) { kind = K_PLATFORM; break; }
        continue; // only inherits from a serializable interface: an ordinary object so far
      }
      // §2.7.3: any other platform object is refused (no brand check known: the prototype decides).
      if (platform === null || isInterfacePrototype(proto)) throw cloneError(`${describe(value)} could not be cloned.`);
    }
    // No telling prototype: the built-in tag still names Error, Date, ... objects whose prototype
    // was swapped, and arguments objects (exotic or with a [[ParameterMap]]: refused).
    if (kind === K_OBJECT) {
      const tag = ObjectPrototypeToString(value);
      if (tag !== '[object Object]') kind = kindOfTag(tag, value);
    }

    let rec;
    switch (kind) {
      case K_BOOLEAN: rec = primitiveWrapper(value, BooleanValueOf, kind); break;
      case K_NUMBER: rec = primitiveWrapper(value, NumberValueOf, kind); break;
      case K_BIGINT: rec = primitiveWrapper(value, BigIntValueOf, kind); break;
      case K_STRING: rec = primitiveWrapper(value, StringValueOf, kind); break;
      case K_DATE: rec = primitiveWrapper(value, DateGetTime, kind); break;
      case K_REGEXP: rec = serializeRegExp(value); break;
      case K_BUFFER: rec = serializeBuffer(value); break;
      case K_SHARED:
        // Sharing memory needs a second agent; one realm cannot have two objects over one block.
        if (isBrand(value, SABGetByteLength)) throw cloneError('A SharedArrayBuffer could not be cloned.');
        break;
      case K_MAP: if (isBrand(value, MapGetSize)) return serializeMap(value, memory, stack); break;
      case K_SET: if (isBrand(value, SetGetSize)) return serializeSet(value, memory, stack); break;
      case K_ERROR: if (isErrorObject(value)) return serializeError(value, memory, stack); break;
      case K_PLATFORM: {
        rec = new Rec(K_PLATFORM, undefined);
        rec.a = platform;
        MapPrototypeSet(memory, value, rec);
        rec.v = platform.serialize(value, (v) => serialize(v, memory));
        return rec;
      }
      case K_UNCLONABLE: throw cloneError(`${describe(value)} could not be cloned.`);
    }
    if (rec !== undefined) {
      MapPrototypeSet(memory, value, rec);
      return rec;
    }
    // An ordinary object (or one that failed its brand check): own enumerable string keys.
    rec = new Rec(K_OBJECT, undefined);
    MapPrototypeSet(memory, value, rec);
    rec.props = [];
    return visit(rec, value, ObjectKeys(value), stack);
  }

  // [[ErrorData]] has no brand check in JS (Error.isError is not in GraalJS 25.0): Object.prototype.toString
  // says "Error" for it, unless a Symbol.toStringTag speaks instead.
  function isErrorObject(value) {
    return ObjectPrototypeToString(value) === '[object Error]' && !(SymbolToStringTag in value);
  }

  function kindOfTag(tag, value) {
    switch (tag) {
      case '[object Error]': return K_ERROR;
      case '[object Date]': return K_DATE;
      case '[object RegExp]': return K_REGEXP;
      case '[object Boolean]': return K_BOOLEAN;
      case '[object Number]': return K_NUMBER;
      case '[object String]': return K_STRING;
      case '[object Arguments]': throw cloneError('An arguments object could not be cloned.');
      default: return K_OBJECT;
    }
  }

  function isBrand(value, brandGetter) {
    try {
      call(brandGetter, value);
      return true;
    } catch {
      return false;
    }
  }

  function primitiveWrapper(value, valueOf, kind) {
    try {
      return new Rec(kind, call(valueOf, value));
    } catch {
      return undefined; // not a wrapper after all: cloned as an ordinary object
    }
  }

  function serializeRegExp(value) {
    let source;
    try {
      source = call(RegExpGetSource, value);
    } catch {
      return undefined;
    }
    let flags = '';
    for (let i = 0; i < regExpFlagGetters.length; i += 2) {
      const getter = regExpFlagGetters[i + 1];
      if (getter !== undefined && call(getter, value)) flags += regExpFlagGetters[i];
    }
    const rec = new Rec(K_REGEXP, source);
    rec.a = flags;
    return rec;
  }

  // The bytes are copied now: a later getter may change or detach the buffer.
  function serializeBuffer(value) {
    let length;
    try {
      length = call(ABGetByteLength, value);
    } catch {
      return undefined;
    }
    if (call(ABGetDetached, value)) throw cloneError('An ArrayBuffer is detached and could not be cloned.');
    const copy = call(ABGetResizable, value)
      ? new ArrayBufferCtor(length, { maxByteLength: call(ABGetMaxByteLength, value) })
      : new ArrayBufferCtor(length);
    call(TASet, new Uint8Array(copy), new Uint8Array(value));
    return new Rec(K_BUFFER, copy);
  }

  function serializeView(value, memory) {
    const typedArrayName = TypedArrayPrototypeGetSymbolToStringTag(value);
    const buffer = typedArrayName === undefined ? call(DVGetBuffer, value) : call(TAGetBuffer, value);
    if (!isBrand(buffer, ABGetByteLength)) throw cloneError('A view on a SharedArrayBuffer could not be cloned.');
    if (call(ABGetDetached, buffer) || (call(ABGetResizable, buffer) && isOutOfBounds(value, typedArrayName))) {
      throw cloneError(`${describe(value)} is out of bounds and could not be cloned.`);
    }
    // The buffer is serialized as one even if its prototype was swapped.
    let bufferRec = MapPrototypeGet(memory, buffer);
    if (bufferRec === undefined) {
      bufferRec = serializeBuffer(buffer);
      MapPrototypeSet(memory, buffer, bufferRec);
    } else if (bufferRec.kind !== K_BUFFER && bufferRec.kind !== K_TRANSFERRED) {
      throw cloneError(`${describe(value)} has a buffer that could not be cloned.`);
    }
    const rec = new Rec(K_VIEW, typedArrayName);
    rec.a = bufferRec;
    let byteOffset, length, byteLength, elementSize;
    if (typedArrayName === undefined) {
      byteOffset = call(DVGetByteOffset, value);
      length = byteLength = call(DVGetByteLength, value);
      elementSize = 1;
    } else {
      byteOffset = call(TAGetByteOffset, value);
      length = call(TAGetLength, value);
      byteLength = call(TAGetByteLength, value);
      elementSize = typedArrayCtor(typedArrayName).BYTES_PER_ELEMENT;
    }
    // [[ArrayLength]] / [[ByteLength]] is undefined for a length-tracking view.
    const tracking = call(ABGetResizable, buffer) && isLengthTracking(value, typedArrayName, buffer, byteOffset, byteLength, elementSize);
    rec.b = [byteOffset, tracking ? undefined : length];
    MapPrototypeSet(memory, value, rec);
    return rec;
  }

  // [[TypedArrayName]] -> constructor, read from instances (a constructor's `name` can be redefined).
  let typedArrayByName;
  function typedArrayCtor(name) {
    if (typedArrayByName === undefined) {
      typedArrayByName = new SafeMap();
      for (let i = 0; i < typedArrayCtors.length; i++) {
        const Ctor = typedArrayCtors[i];
        MapPrototypeSet(typedArrayByName, TypedArrayPrototypeGetSymbolToStringTag(new Ctor(0)), Ctor);
      }
    }
    return MapPrototypeGet(typedArrayByName, name);
  }

  function viewByteLength(view, typedArrayName) {
    return typedArrayName === undefined ? call(DVGetByteLength, view) : call(TAGetByteLength, view);
  }

  // IsArrayBufferViewOutOfBounds (ECMA-262 §25.3.2.4 / §23.2.4.4): the getters throw or read 0.
  function isOutOfBounds(view, typedArrayName) {
    try {
      if (typedArrayName === undefined) call(DVGetByteLength, view);
      else call(TAValues, view);
      return false;
    } catch {
      return true;
    }
  }

  // A view made without a length on a resizable buffer follows the buffer's size (ECMA-262 §25.1.3
  // "length-tracking"). JS cannot read that flag, so resize the buffer by one element and undo it.
  // Only a view that ends at the buffer's end can be either.
  function isLengthTracking(view, typedArrayName, buffer, byteOffset, byteLength, elementSize) {
    const size = call(ABGetByteLength, buffer);
    if (size - (byteOffset + byteLength) >= elementSize) return false;
    try {
      if (size + elementSize <= call(ABGetMaxByteLength, buffer)) {
        call(ABResize, buffer, size + elementSize);
        const grown = viewByteLength(view, typedArrayName);
        call(ABResize, buffer, size);
        return grown !== byteLength;
      }
      // At its maximum: shrink by one element, keeping its bytes. A buffer that cannot hold one more
      // element keeps both kinds of view the same forever.
      if (size < elementSize) return false;
      const tail = new Uint8Array(elementSize);
      call(TASet, tail, new Uint8Array(buffer, size - elementSize, elementSize));
      call(ABResize, buffer, size - elementSize);
      const tracking = !isOutOfBounds(view, typedArrayName);
      call(ABResize, buffer, size);
      call(TASet, new Uint8Array(buffer, size - elementSize, elementSize), tail);
      return tracking;
    } catch {
      return false;
    }
  }

  // §2.7.3 [[MapData]] / [[SetData]]: the entries are copied first, then serialized in order
  // (a Map's as key, value, key, value, ...).
  function serializeMap(value, memory, stack) {
    const rec = new Rec(K_MAP, []);
    MapPrototypeSet(memory, value, rec);
    const entries = [];
    call(MapForEach, value, (v, k) => { ArrayPrototypePush(entries, k, v); });
    return visit(rec, value, entries, stack);
  }

  function serializeSet(value, memory, stack) {
    const rec = new Rec(K_SET, []);
    MapPrototypeSet(memory, value, rec);
    const entries = [];
    call(SetForEach, value, (v) => { ArrayPrototypePush(entries, v); });
    return visit(rec, value, entries, stack);
  }

  const ERROR_NAMES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];

  // §2.7.3 [[ErrorData]]: name (one of the native ones, else "Error") and an own data `message`; like
  // V8 and Gecko we also keep `stack` (a string) and an own data `cause` (cloned, cycles included).
  function serializeError(value, memory, stack) {
    let name = value.name;
    let ctorIndex = 0;
    for (let i = 0; i < ERROR_NAMES.length; i++) {
      if (name === ERROR_NAMES[i]) { ctorIndex = i; break; }
    }
    const messageValue = ownDataValue(value, 'message');
    const message = messageValue === absent ? undefined : `${messageValue}`;
    const rec = new Rec(K_ERROR, message);
    MapPrototypeSet(memory, value, rec);
    const errorStack = value.stack;
    rec.a = [ctorIndex, typeof errorStack === 'string' ? errorStack : undefined, false, undefined];
    const cause = ownDataValue(value, 'cause');
    if (cause === absent) return rec;
    rec.a[2] = true;
    return visit(rec, value, [cause], stack);
  }

  // CreateDataProperty through one reused descriptor (null prototype: nothing inherited is read).
  const dataProperty = { __proto__: null, value: undefined, writable: true, enumerable: true, configurable: true };
  const hiddenProperty = { __proto__: null, value: undefined, writable: true, enumerable: false, configurable: true };

  function defineData(target, key, value, desc) {
    desc.value = value;
    ObjectDefineProperty(target, key, desc);
    desc.value = undefined;
  }

  // HTML §2.7.6 StructuredDeserialize, without recursion: every object is made first (`create`), and
  // objects with contents wait in `pending` to be filled. No app code runs (no setters, no getters),
  // so the order in which objects are made cannot be observed.
  function deserialize(root) {
    if (typeof root !== 'object' || root === null) return root;
    const pending = [];
    const out = create(root, pending);
    while (pending.length > 0) fill(ArrayPrototypePop(pending), pending);
    return out;
  }

  function create(rec, pending) {
    if (typeof rec !== 'object' || rec === null) return rec;
    if (rec.out !== undefined) return rec.out;
    let out;
    switch (rec.kind) {
      case K_OBJECT: out = {}; break;
      case K_ARRAY: out = new ArrayCtor(rec.v); break;
      case K_BOOLEAN: case K_NUMBER: case K_BIGINT: case K_STRING: out = ObjectCtor(rec.v); break;
      case K_DATE: out = new DateCtor(rec.v); break;
      case K_REGEXP: out = new RegExpCtor(rec.v, rec.a); break;
      case K_BUFFER: case K_TRANSFERRED: out = rec.v; break;
      case K_VIEW: {
        const buffer = create(rec.a, pending);
        const byteOffset = rec.b[0];
        const length = rec.b[1];
        const Ctor = rec.v === undefined ? DataViewCtor : typedArrayCtor(rec.v);
        out = length === undefined ? new Ctor(buffer, byteOffset) : new Ctor(buffer, byteOffset, length);
        break;
      }
      case K_MAP: out = new MapCtor(); break;
      case K_SET: out = new SetCtor(); break;
      case K_ERROR: out = createError(rec); break;
      case K_PLATFORM: out = rec.a.deserialize(rec.v, deserialize); break;
      default: throw new TypeError('structuredClone: unknown record');
    }
    rec.out = out;
    const kind = rec.kind;
    if (kind === K_OBJECT || kind === K_ARRAY || kind === K_MAP || kind === K_SET || (kind === K_ERROR && rec.a[2])) {
      ArrayPrototypePush(pending, rec);
    }
    return out;
  }

  // CreateDataProperty on a fresh object or array. Plain assignment does the same, and is much faster,
  // unless the prototype chain has that key (a setter, a read-only property, __proto__).
  function fill(rec, pending) {
    const out = rec.out;
    switch (rec.kind) {
      case K_OBJECT: case K_ARRAY: {
        const props = rec.props;
        const proto = rec.kind === K_OBJECT ? ObjectPrototype : ArrayPrototype;
        for (let i = 0; i < props.length; i += 2) {
          const key = props[i];
          const value = create(props[i + 1], pending);
          if (key in proto) defineData(out, key, value, dataProperty);
          else out[key] = value;
        }
        break;
      }
      case K_MAP: {
        const entries = rec.v;
        for (let i = 0; i < entries.length; i += 2) {
          MapPrototypeSet(out, create(entries[i], pending), create(entries[i + 1], pending));
        }
        break;
      }
      case K_SET: {
        const entries = rec.v;
        for (let i = 0; i < entries.length; i++) SetPrototypeAdd(out, create(entries[i], pending));
        break;
      }
      case K_ERROR: defineData(out, 'cause', create(rec.a[3], pending), hiddenProperty); break;
    }
  }

  function createError(rec) {
    const data = rec.a;
    const stack = data[1];
    const Ctor = errorCtors[data[0]];
    const out = rec.v === undefined ? new Ctor() : new Ctor(rec.v);
    if (stack !== undefined) defineData(out, 'stack', stack, hiddenProperty);
    else ReflectDeleteProperty(out, 'stack');
    return out;
  }

  function isArrayBuffer(value) {
    return value !== null && typeof value === 'object' && isBrand(value, ABGetByteLength);
  }

  // HTML §2.7.7 StructuredSerializeWithTransfer + §2.7.8 StructuredDeserializeWithTransfer.
  // ArrayBuffers and registered transferables (registerTransferable). `received`, when given, gets
  // the transferred objects' new selves in transfer-list order (postMessage's ports).
  function structuredCloneInternal(value, transferList = [], received = undefined) {
    const memory = new SafeMap();
    const steps = [];
    for (let i = 0; i < transferList.length; i++) {
      const transferable = transferList[i];
      const platform = isArrayBuffer(transferable) ? null : transferableOf(transferable);
      if (platform === null && !isArrayBuffer(transferable)) {
        throw cloneError(SABGetByteLength !== undefined && isBrand(transferable, SABGetByteLength)
          ? 'A SharedArrayBuffer could not be transferred.' : `${describe(transferable)} is not transferable.`);
      }
      if (MapPrototypeHas(memory, transferable)) {
        throw cloneError(`The transfer list contains the same ${platform === null ? 'ArrayBuffer' : platform.name} twice.`);
      }
      if (platform !== null && platform.isDetached(transferable)) {
        throw cloneError(`The ${platform.name} at index ${i} of the transfer list is detached.`);
      }
      ArrayPrototypePush(steps, platform);
      MapPrototypeSet(memory, transferable, new Rec(K_TRANSFERRED, undefined));
    }
    const serialized = serialize(value, memory);
    for (let i = 0; i < transferList.length; i++) {
      const transferable = transferList[i];
      const rec = MapPrototypeGet(memory, transferable);
      if (steps[i] === null) {
        if (call(ABGetDetached, transferable)) throw cloneError(`The ArrayBuffer at index ${i} of the transfer list is detached.`);
        // ArrayBuffer.prototype.transfer detaches it and keeps its contents and resizability.
        rec.v = call(ABTransfer, transferable);
      } else {
        rec.v = steps[i].transfer(transferable);
      }
      if (received !== undefined) ArrayPrototypePush(received, rec.v);
    }
    return deserialize(serialized);
  }

  // WebIDL §2.8.1: DOMException is serializable as its name and message (and, like browsers, its stack).
  registerSerializable(DOMException, {
    is: internal.isDOMException,
    serialize(value) {
      const stack = ownDataValue(value, 'stack');
      return [domExceptionName(value), domExceptionMessage(value),
        typeof stack === 'string' ? stack : undefined];
    },
    deserialize(data) {
      const out = new DOMException(data[1], data[0]);
      if (data[2] !== undefined) defineData(out, 'stack', data[2], hiddenProperty);
      return out;
    },
  });

  return structuredCloneInternal;
}

// WebIDL sequence<object> from an iterable (WebIDL §3.2.22 "create a sequence from an iterable").
function toObjectSequence(value, context) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new TypeError(`${context} can not be converted to sequence.`);
  }
  const method = value[SymbolIterator];
  if (typeof method !== 'function') throw new TypeError(`${context} can not be converted to sequence.`);
  const iterator = call(method, value);
  if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
    throw new TypeError('Result of the Symbol.iterator method is not an object');
  }
  const next = iterator.next;
  const list = [];
  for (;;) {
    const step = call(next, iterator);
    if (step === null || (typeof step !== 'object' && typeof step !== 'function')) {
      throw new TypeError(`Iterator result ${step} is not an object`);
    }
    if (step.done) return list;
    const item = step.value;
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
      throw new TypeError(`${context}, index ${list.length} is not an object.`);
    }
    ArrayPrototypePush(list, item);
  }
}

// HTML §2.7.10 structuredClone(value, { transfer }).
function structuredClone(value, options = undefined) {
  requiredArguments(arguments.length, 1, "Failed to execute 'structuredClone'");
  let transfer = [];
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' && typeof options !== 'function') {
      throw new TypeError("Failed to execute 'structuredClone': Argument 2 can not be converted to a dictionary.");
    }
    const list = options.transfer;
    if (list !== undefined) {
      transfer = toObjectSequence(list, "Failed to execute 'structuredClone': 'transfer' of 'StructuredSerializeOptions' (Argument 2)");
    }
  }
  return cloneInternal(value, transfer);
}

internal.structuredClone = cloneInternal;
internal.registerSerializable = registerSerializable;
internal.registerTransferable = registerTransferable;
internal.markNotCloneable = markNotCloneable;
internal.toObjectSequence = toObjectSequence;
exposeOperation('structuredClone', structuredClone);
