// WebIDL helpers shared by every extension: type conversions, argument checks and the way
// interfaces and operations appear on the global object (WebIDL §3.7, "ECMAScript binding").
const {
  ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ReflectOwnKeys, MathTrunc, MathFloor,
  NumberIsFinite, TypeError, SymbolToStringTag, SafeWeakSet, WeakSetPrototypeAdd,
  WeakSetPrototypeHas,
} = internal.primordials;

// Prototypes of NANO's interfaces: structuredClone refuses their instances (platform objects) unless
// the interface registered itself as serializable (HTML §2.7.3 StructuredSerializeInternal).
const interfacePrototypes = new SafeWeakSet();
const isInterfacePrototype = (proto) => WeakSetPrototypeHas(interfacePrototypes, proto);

function requiredArguments(length, required, prefix) {
  if (length < required) {
    throw new TypeError(`${prefix}: ${required} argument${required === 1 ? '' : 's'} required, but only ${length} present.`);
  }
}

// WebIDL §3.2.4 ConvertToInt for `long` (32-bit signed, modular).
function toLong(v) {
  let x = +v;
  if (!NumberIsFinite(x) || x === 0) return 0;
  x = MathTrunc(x);
  x = x - MathFloor(x / 4294967296) * 4294967296;
  return x >= 2147483648 ? x - 4294967296 : x;
}

function toUnsignedLong(v) {
  let x = +v;
  if (!NumberIsFinite(x) || x === 0) return 0;
  x = MathTrunc(x);
  return x - MathFloor(x / 4294967296) * 4294967296;
}

function toUnsignedLongLong(v) {
  let x = +v;
  if (!NumberIsFinite(x) || x === 0) return 0;
  x = MathTrunc(x);
  return x < 0 ? 0 : x; // beyond 2^53 precision is lost anyway
}

function toDOMString(v) {
  if (typeof v === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return `${v}`;
}

// USVString: DOMString with lone surrogates replaced by U+FFFD.
function toUSVString(v) {
  const s = toDOMString(v);
  return typeof s.toWellFormed === 'function' ? s.toWellFormed() : s;
}

// A descriptor that changes only [[Enumerable]]: the value or accessors and the other attributes
// stay (ECMA-262 ValidateAndApplyPropertyDescriptor). No prototype, so nothing inherited is read.
const ENUMERABLE = { __proto__: null, enumerable: true };

// Makes a class look like a WebIDL interface: enumerable members and a Symbol.toStringTag.
// Runs for every interface in every context: one define per member (Object.defineProperty is
// uncached in GraalJS, ~30 interfaces x ~8 members per context), no descriptor read, no callback.
function configureInterface(klass, name = klass.name) {
  const proto = klass.prototype;
  WeakSetPrototypeAdd(interfacePrototypes, proto);
  const keys = ReflectOwnKeys(proto);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== 'constructor' && typeof key !== 'symbol') ObjectDefineProperty(proto, key, ENUMERABLE);
  }
  ObjectDefineProperty(proto, SymbolToStringTag, {
    value: name, writable: false, enumerable: false, configurable: true,
  });
}

// Interfaces on the global are writable, configurable and not enumerable (WebIDL §3.7.1).
function exposeInterface(name, value) {
  ObjectDefineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
}

// Operations on the global (setTimeout, atob, ...) are enumerable (WebIDL §3.7.6).
function exposeOperation(name, value) {
  ObjectDefineProperty(globalThis, name, { value, writable: true, enumerable: true, configurable: true });
}

// Globals whose values are built on first access (ARCHITECTURE.md "Keeping a context small"):
// until then each name is an accessor; the first access of any of them runs init() once and turns
// every name the app did not replace into the data property WebIDL specifies (writable,
// configurable, not enumerable for interfaces). Returns a function giving init()'s result.
function exposeLazily(names, init, enumerable = false) {
  let values;
  let accessors = [];
  const install = () => {
    if (values !== undefined) return values;
    values = init();
    for (let i = 0; i < names.length; i++) {
      const desc = ObjectGetOwnPropertyDescriptor(globalThis, names[i]);
      if (desc !== undefined && desc.get === accessors[i]) {
        ObjectDefineProperty(globalThis, names[i], { value: values[names[i]], writable: true, enumerable, configurable: true });
      }
    }
    accessors = null; // the accessors are gone: let them be collected
    return values;
  };
  for (let i = 0; i < names.length; i++) {
    // One function per name is its getter (called with no argument) and its setter, and reads its
    // name from its own property `n`: ~170 B per name and context, where a getter and a setter
    // closing over the name cost ~360 B (each closure keeps its loop iteration's scope).
    const accessor = function lazyGlobal(value) {
      if (arguments.length === 0) return install()[lazyGlobal.n];
      ObjectDefineProperty(globalThis, lazyGlobal.n, { value, writable: true, enumerable, configurable: true });
    };
    ObjectDefineProperty(accessor, 'n', { value: names[i] });
    accessors[i] = accessor;
    ObjectDefineProperty(globalThis, names[i], { get: accessor, set: accessor, enumerable, configurable: true });
  }
  return install;
}

// Names functions as the spec does, e.g. setTimeout.name === 'setTimeout' even when defined as arrows.
function setFunctionName(fn, name) {
  ObjectDefineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}

// Passed to constructors that must not be callable from user code ("Illegal constructor").
const illegalConstructorKey = Symbol('nano.illegalConstructor');

internal.webidl = {
  __proto__: null,
  requiredArguments, toLong, toUnsignedLong, toUnsignedLongLong, toDOMString, toUSVString,
  configureInterface, exposeInterface, exposeOperation, setFunctionName, illegalConstructorKey,
  isInterfacePrototype, exposeLazily,
};
internal.exposeLazily = exposeLazily;
