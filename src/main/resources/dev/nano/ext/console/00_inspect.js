// Value inspector for console and error reports. The Console Standard (§2.2.3 Printer) leaves
// "generic JavaScript object formatting" to the implementation; NANO lays values out the way
// Node's util.inspect and Deno's console do, because that is what developers read every day:
// depth 4 (Deno's default), lines broken at 80 columns, the innermost 3 levels of nesting kept on
// one line, arrays of short items in columns, cycles marked <ref *1> ... [Circular *1].
// Strings inside objects use single quotes, as Node does (Deno uses double quotes).
//
// Printing never throws because of a strange value: every step that may run app code (getters,
// Proxy traps, toString, Symbol.toStringTag) is guarded, and a value that cannot be inspected
// prints as a short placeholder instead.
//
// Only references to built-ins are taken at load time (before app code runs, so that an app that
// patches Map.prototype.entries cannot change what NANO prints); the inspector's closures are
// created on first use, so a context that only ever logs plain strings never allocates them.
const {
  ObjectGetPrototypeOf, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames, ObjectKeys, ObjectIs,
  ObjectPrototypeHasOwnProperty, ObjectPrototypeToString, ArrayIsArray, ArrayBufferIsView,
  ArrayPrototypePush, ArrayPrototypeJoin, ArrayPrototypeIncludes, ArrayPrototypeIndexOf, ArrayPrototypeSplice,
  ArrayPrototypePop, StringPrototypeSlice, StringPrototypeIndexOf, StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt, StringPrototypeRepeat, StringPrototypePadStart, StringPrototypeStartsWith,
  StringFromCharCode, FunctionPrototypeCall, MathMin, MathMax, MathFloor, SafeMap, MapPrototypeGet,
  MapPrototypeSet, SymbolIterator, SymbolToStringTag, TypedArrayPrototypeGetSymbolToStringTag, Uint8Array,
  WeakMapPrototypeHas, WeakSetPrototypeHas,
} = internal.primordials;

const getterOf = (proto, name) => ObjectGetOwnPropertyDescriptor(proto, name).get;
const ObjectPrototype = ObjectGetPrototypeOf({});
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
const PropertyIsEnumerable = ObjectPrototype.propertyIsEnumerable;
const StringCtor = String;
const MathRound = Math.round;
const MathSqrt = Math.sqrt;
const FunctionToString = Function.prototype.toString;
const ErrorToString = Error.prototype.toString;
const SymbolToString = Symbol.prototype.toString;
const DateGetTime = Date.prototype.getTime;
const DateToISOString = Date.prototype.toISOString;
const DateToString = Date.prototype.toString;
const RegExpPrototype = RegExp.prototype;
const RegExpSource = getterOf(RegExp.prototype, 'source');
const RegExpFlags = getterOf(RegExp.prototype, 'flags');
const MapSize = getterOf(Map.prototype, 'size');
const SetSize = getterOf(Set.prototype, 'size');
const MapEntries = Map.prototype.entries;
const SetValues = Set.prototype.values;
const MapIteratorNext = ObjectGetPrototypeOf(new Map().entries()).next;
const SetIteratorNext = ObjectGetPrototypeOf(new Set().values()).next;
const ArrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const SharedArrayBufferCtor = globalThis.SharedArrayBuffer;
const TypedArrayLength = getterOf(ObjectGetPrototypeOf(Uint8Array.prototype), 'length');
const NumberValueOf = Number.prototype.valueOf;
const StringValueOf = String.prototype.valueOf;
const BooleanValueOf = Boolean.prototype.valueOf;
const SymbolValueOf = Symbol.prototype.valueOf;
const BigIntValueOf = BigInt.prototype.valueOf;
const kCustomInspect = Symbol.for('nodejs.util.inspect.custom');
const builtinPrototypes = [
  Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype, Date.prototype, RegExp.prototype,
  Error.prototype, Number.prototype, String.prototype, Boolean.prototype, Symbol.prototype,
  BigInt.prototype, Promise.prototype, ArrayBuffer.prototype,
  SharedArrayBufferCtor === undefined ? null : SharedArrayBufferCtor.prototype,
];

let inspector; // { inspect, stringWidth }, built on first use

function getInspector() {
  if (inspector === undefined) inspector = createInspector();
  return inspector;
}

/** Formats any value for display, e.g. `{ a: [ 1, 2 ] }`; options: depth, breakLength, compact, maxArrayLength, maxStringLength. */
function inspect(value, options) {
  return getInspector().inspect(value, options);
}

function createInspector() {
  const call = FunctionPrototypeCall;
  // What formatProperty prints: `key: value`, or the bare value for array elements; the layout
  // of an object whose extra keys follow array elements (kArrayExtrasType) groups short entries.
  const kObjectType = 0;
  const kArrayType = 1;
  const kArrayExtrasType = 2;
  // Kinds of objects with their own layout (order matches builtinPrototypes).
  const K_OBJECT = 0, K_MAP = 1, K_SET = 2, K_WEAKMAP = 3, K_WEAKSET = 4, K_DATE = 5, K_REGEXP = 6,
    K_ERROR = 7, K_NUMBER = 8, K_STRING = 9, K_BOOLEAN = 10, K_SYMBOL = 11, K_BIGINT = 12, K_PROMISE = 13,
    K_ARRAYBUFFER = 14, K_SHAREDARRAYBUFFER = 15, K_FUNCTION = 16, K_ARRAY = 17, K_TYPED = 18,
    K_DATAVIEW = 19, K_ARGUMENTS = 20, K_MODULE = 21;
  const kindOfPrototype = new SafeMap();
  for (let i = 0; i < builtinPrototypes.length; i++) {
    if (builtinPrototypes[i] !== null) MapPrototypeSet(kindOfPrototype, builtinPrototypes[i], i + 1);
  }
  // Above this length, own non-index properties of arrays are not looked for: listing them means
  // listing every index (Object.keys), which for a 10M-element array costs seconds and gigabytes.
  const kMaxKeyScanLength = 16384;
  const kMinLineWidth = 16;
  const HEX = '0123456789ABCDEF';
  const hex = '0123456789abcdef';

  function newContext(options) {
    const ctx = {
      __proto__: null, depth: 4, breakLength: 80, compact: 3, maxArrayLength: 100, maxStringLength: 10000,
      customInspect: true, indentationLvl: 0, currentDepth: 0, seen: [], circular: undefined,
    };
    if (options !== null && (typeof options === 'object' || typeof options === 'function')) {
      try {
        const { depth, breakLength, compact, maxArrayLength, maxStringLength, customInspect } = options;
        if (depth === null) ctx.depth = Infinity;
        else if (typeof depth === 'number') ctx.depth = depth;
        if (typeof breakLength === 'number') ctx.breakLength = breakLength;
        if (compact === false) ctx.compact = 0;
        else if (typeof compact === 'number') ctx.compact = compact;
        if (maxArrayLength === null) ctx.maxArrayLength = Infinity;
        else if (typeof maxArrayLength === 'number') ctx.maxArrayLength = MathMax(0, maxArrayLength);
        if (maxStringLength === null) ctx.maxStringLength = Infinity;
        else if (typeof maxStringLength === 'number') ctx.maxStringLength = MathMax(0, maxStringLength);
        if (customInspect === false) ctx.customInspect = false;
      } catch {
        // Options behind a throwing getter: keep the defaults.
      }
    }
    return ctx;
  }

  function inspectValue(value, options) {
    return formatValue(newContext(options), value, 0);
  }

  // ---- primitives -------------------------------------------------------------------------

  function formatNumber(n) {
    return ObjectIs(n, -0) ? '-0' : `${n}`;
  }

  function formatPrimitive(ctx, value) {
    switch (typeof value) {
      case 'string': return formatString(ctx, value);
      case 'number': return formatNumber(value);
      case 'bigint': return `${value}n`;
      case 'boolean': return value ? 'true' : 'false';
      case 'symbol': return call(SymbolToString, value);
      default: return 'undefined';
    }
  }

  function formatString(ctx, value) {
    let trailer = '';
    if (value.length > ctx.maxStringLength) {
      const remaining = value.length - ctx.maxStringLength;
      value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    // A long multi-line string is shown as one quoted piece per line, joined with +.
    if (value.length > kMinLineWidth && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
      let nl = StringPrototypeIndexOf(value, '\n');
      if (nl !== -1 && nl < value.length - 1) {
        const joiner = ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`;
        let out = '';
        let start = 0;
        while (nl !== -1 && nl < value.length - 1) {
          out += quoteString(StringPrototypeSlice(value, start, nl + 1)) + joiner;
          start = nl + 1;
          nl = StringPrototypeIndexOf(value, '\n', start);
        }
        return out + quoteString(StringPrototypeSlice(value, start)) + trailer;
      }
    }
    return quoteString(value) + trailer;
  }

  // Single quotes unless the string holds one: then double quotes, then backticks (as Node).
  function quoteString(str) {
    let quote = 39;
    if (StringPrototypeIndexOf(str, "'") !== -1) {
      if (StringPrototypeIndexOf(str, '"') === -1) quote = 34;
      else if (StringPrototypeIndexOf(str, '`') === -1 && StringPrototypeIndexOf(str, '${') === -1) quote = 96;
    }
    const q = StringFromCharCode(quote);
    return q + escapeString(str, quote) + q;
  }

  function escapeCode(c) {
    switch (c) {
      case 8: return '\\b';
      case 9: return '\\t';
      case 10: return '\\n';
      case 12: return '\\f';
      case 13: return '\\r';
      case 39: return "\\'";
      case 92: return '\\\\';
      default: return `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    }
  }

  // Escapes control characters, the quote, backslashes and lone surrogates.
  function escapeString(str, quote) {
    let result = '';
    let last = 0;
    for (let i = 0; i < str.length; i++) {
      const c = StringPrototypeCharCodeAt(str, i);
      if (c === quote || c === 92 || c < 32 || (c > 126 && c < 160)) {
        result += StringPrototypeSlice(str, last, i) + escapeCode(c);
        last = i + 1;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && i + 1 < str.length) {
          const d = StringPrototypeCharCodeAt(str, i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
        }
        result += `${StringPrototypeSlice(str, last, i)}\\u${hex[c >> 12]}${hex[(c >> 8) & 15]}${hex[(c >> 4) & 15]}${hex[c & 15]}`;
        last = i + 1;
      }
    }
    return last === 0 ? str : result + StringPrototypeSlice(str, last);
  }

  function replaceNewlines(str, replacement) {
    let i = StringPrototypeIndexOf(str, '\n');
    if (i === -1) return str;
    let out = '';
    let last = 0;
    while (i !== -1) {
      out += StringPrototypeSlice(str, last, i) + replacement;
      last = i + 1;
      i = StringPrototypeIndexOf(str, '\n', last);
    }
    return out + StringPrototypeSlice(str, last);
  }

  // ---- objects ----------------------------------------------------------------------------

  function formatValue(ctx, value, recurseTimes) {
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
    if (value === null) return 'null';
    const seenLength = ctx.seen.length;
    const indentation = ctx.indentationLvl;
    try {
      if (ctx.customInspect) {
        const custom = value[kCustomInspect];
        if (typeof custom === 'function' && custom !== inspect && !isPrototypeObject(value)) {
          return formatCustom(ctx, value, recurseTimes, custom);
        }
      }
      if (ArrayPrototypeIncludes(ctx.seen, value)) {
        let index = 1;
        if (ctx.circular === undefined) {
          ctx.circular = new SafeMap();
          MapPrototypeSet(ctx.circular, value, index);
        } else {
          index = MapPrototypeGet(ctx.circular, value);
          if (index === undefined) {
            index = call(MapSize, ctx.circular) + 1;
            MapPrototypeSet(ctx.circular, value, index);
          }
        }
        return `[Circular *${index}]`;
      }
      return formatRaw(ctx, value, recurseTimes);
    } catch (err) {
      ctx.seen.length = seenLength;
      ctx.indentationLvl = indentation;
      return `<Inspection threw (${describeThrown(err)})>`;
    }
  }

  function describeThrown(err) {
    try {
      if (err !== null && typeof err === 'object') {
        const message = err.message;
        if (typeof message === 'string') return message;
      }
      return typeof err === 'symbol' ? call(SymbolToString, err) : `${err}`;
    } catch {
      return 'unknown error';
    }
  }

  // `[util.inspect.custom](depth, options, inspect)` as in Node: libraries print themselves this way.
  function formatCustom(ctx, value, recurseTimes, custom) {
    const options = {
      depth: ctx.depth - recurseTimes, breakLength: ctx.breakLength, compact: ctx.compact,
      maxArrayLength: ctx.maxArrayLength, maxStringLength: ctx.maxStringLength, colors: false,
    };
    const ret = call(custom, value, ctx.depth - recurseTimes, options, inspect);
    if (ret === value) return formatRaw(ctx, value, recurseTimes);
    if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
    return replaceNewlines(ret, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
  }

  function isPrototypeObject(value) {
    const desc = ObjectGetOwnPropertyDescriptor(value, 'constructor');
    return desc !== undefined && typeof desc.value === 'function' && desc.value.prototype === value;
  }

  function hasBrand(kind, value) {
    try {
      switch (kind) {
        case K_MAP: call(MapSize, value); return true;
        case K_SET: call(SetSize, value); return true;
        case K_WEAKMAP: WeakMapPrototypeHas(value, ObjectPrototype); return true;
        case K_WEAKSET: WeakSetPrototypeHas(value, ObjectPrototype); return true;
        case K_DATE: call(DateGetTime, value); return true;
        case K_REGEXP: call(RegExpSource, value); return value !== RegExpPrototype;
        case K_NUMBER: call(NumberValueOf, value); return true;
        case K_STRING: call(StringValueOf, value); return true;
        case K_BOOLEAN: call(BooleanValueOf, value); return true;
        case K_SYMBOL: call(SymbolValueOf, value); return true;
        case K_BIGINT: call(BigIntValueOf, value); return true;
        case K_ARRAYBUFFER: call(ArrayBufferByteLength, value); return true;
        case K_SHAREDARRAYBUFFER: {
          call(getterOf(SharedArrayBufferCtor.prototype, 'byteLength'), value);
          return true;
        }
        default: return true; // errors by prototype (like instanceof); promises cannot be brand-checked
      }
    } catch {
      return false;
    }
  }

  // Which layout a value gets: by its internal slots, found through the built-in prototype it
  // inherits from (a subclass with its own Symbol.toStringTag is still a Map), then confirmed by a
  // brand check so that Object.create(Map.prototype) prints as a plain object.
  function classify(value) {
    if (typeof value === 'function') return K_FUNCTION;
    if (ArrayIsArray(value)) return K_ARRAY;
    if (ArrayBufferIsView(value)) return TypedArrayPrototypeGetSymbolToStringTag(value) === undefined ? K_DATAVIEW : K_TYPED;
    for (let proto = ObjectGetPrototypeOf(value); proto !== null; proto = ObjectGetPrototypeOf(proto)) {
      const kind = MapPrototypeGet(kindOfPrototype, proto);
      if (kind !== undefined) return hasBrand(kind, value) ? kind : K_OBJECT;
    }
    switch (ObjectPrototypeToString(value)) {
      case '[object Arguments]': return K_ARGUMENTS;
      case '[object Error]': return K_ERROR;
      case '[object Module]': return ObjectGetPrototypeOf(value) === null ? K_MODULE : K_OBJECT;
      case '[object Date]': return hasBrand(K_DATE, value) ? K_DATE : K_OBJECT;
      case '[object RegExp]': return hasBrand(K_REGEXP, value) ? K_REGEXP : K_OBJECT;
      case '[object Number]': return hasBrand(K_NUMBER, value) ? K_NUMBER : K_OBJECT;
      case '[object String]': return hasBrand(K_STRING, value) ? K_STRING : K_OBJECT;
      case '[object Boolean]': return hasBrand(K_BOOLEAN, value) ? K_BOOLEAN : K_OBJECT;
      default: return K_OBJECT;
    }
  }

  // The name of the nearest constructor whose prototype the value inherits from; null for a
  // null-prototype chain.
  function getConstructorName(obj) {
    for (let proto = obj; proto !== null; proto = ObjectGetPrototypeOf(proto)) {
      const desc = ObjectGetOwnPropertyDescriptor(proto, 'constructor');
      if (desc !== undefined && typeof desc.value === 'function') {
        const name = desc.value.name;
        if (typeof name === 'string' && name !== '' && inheritsFrom(obj, desc.value.prototype)) return name;
      }
    }
    return null;
  }

  function inheritsFrom(obj, proto) {
    for (let p = ObjectGetPrototypeOf(obj); p !== null; p = ObjectGetPrototypeOf(p)) {
      if (p === proto) return true;
    }
    return false;
  }

  // Symbol.toStringTag, unless it is an own enumerable property (then it is listed as a key anyway).
  function getTag(value) {
    const tag = value[SymbolToStringTag];
    if (typeof tag !== 'string' || (tag !== '' && call(PropertyIsEnumerable, value, SymbolToStringTag))) return '';
    return tag;
  }

  function getPrefix(constructor, tag, fallback, size = '') {
    if (constructor === null) {
      if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
    return `${constructor}${size} `;
  }

  // Own enumerable string keys, then own enumerable symbols.
  function getKeys(value) {
    const keys = ObjectKeys(value);
    appendSymbols(value, keys);
    return keys;
  }

  function appendSymbols(value, keys) {
    const symbols = ObjectGetOwnPropertySymbols(value);
    for (let i = 0; i < symbols.length; i++) {
      if (call(PropertyIsEnumerable, value, symbols[i])) ArrayPrototypePush(keys, symbols[i]);
    }
  }

  // The non-index keys of an array-like (its indices are printed as elements).
  function getNonIndexKeys(value, length) {
    const keys = [];
    if (length <= kMaxKeyScanLength) {
      const all = ObjectKeys(value);
      for (let i = 0; i < all.length; i++) {
        if (!isArrayIndex(all[i])) ArrayPrototypePush(keys, all[i]);
      }
    }
    appendSymbols(value, keys);
    return keys;
  }

  function isArrayIndex(key) {
    const c = StringPrototypeCharCodeAt(key, 0);
    if (c < 48 || c > 57) return false;
    const n = +key;
    return n < 4294967295 && `${n}` === key;
  }

  function remainingText(remaining) {
    return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
  }

  function formatRaw(ctx, value, recurseTimes) {
    const kind = classify(value);
    const constructor = getConstructorName(value);
    const tag = getTag(value);
    let keys;
    let base = '';
    let formatter = formatNothing;
    let braces;
    let extrasType = kObjectType;
    let attributes;

    switch (kind) {
      case K_ARRAY: {
        const length = value.length;
        keys = getNonIndexKeys(value, length);
        const prefix = constructor !== 'Array' || tag !== '' ? getPrefix(constructor, tag, 'Array', `(${length})`) : '';
        braces = [`${prefix}[`, ']'];
        if (length === 0 && keys.length === 0) return `${braces[0]}]`;
        extrasType = kArrayExtrasType;
        formatter = formatArray;
        break;
      }
      case K_TYPED: {
        const length = call(TypedArrayLength, value);
        keys = getNonIndexKeys(value, length);
        const prefix = getPrefix(constructor, tag, TypedArrayPrototypeGetSymbolToStringTag(value), `(${length})`);
        braces = [`${prefix}[`, ']'];
        if (length === 0 && keys.length === 0) return `${braces[0]}]`;
        extrasType = kArrayExtrasType;
        formatter = formatTypedArray;
        break;
      }
      case K_ARGUMENTS: {
        keys = getKeys(value);
        braces = ['[Arguments] {', '}'];
        if (keys.length === 0) return '[Arguments] {}';
        break;
      }
      case K_SET: case K_MAP: {
        const size = call(kind === K_SET ? SetSize : MapSize, value);
        keys = getKeys(value);
        const prefix = getPrefix(constructor, tag, kind === K_SET ? 'Set' : 'Map', `(${size})`);
        if (size === 0 && keys.length === 0) return `${prefix}{}`;
        braces = [`${prefix}{`, '}'];
        formatter = kind === K_SET ? formatSet : formatMap;
        break;
      }
      case K_FUNCTION: {
        keys = getKeys(value);
        base = getFunctionBase(value, constructor, tag);
        if (keys.length === 0) return base;
        braces = ['{', '}'];
        break;
      }
      case K_REGEXP: {
        keys = getKeys(value);
        base = `/${call(RegExpSource, value)}/${call(RegExpFlags, value)}`;
        const prefix = getPrefix(constructor, tag, 'RegExp');
        if (prefix !== 'RegExp ') base = `${prefix}${base}`;
        if (keys.length === 0 || recurseTimes > ctx.depth) return base;
        braces = ['{', '}'];
        break;
      }
      case K_DATE: {
        keys = getKeys(value);
        base = isInvalidDate(value) ? call(DateToString, value) : call(DateToISOString, value);
        const prefix = getPrefix(constructor, tag, 'Date');
        if (prefix !== 'Date ') base = `${prefix}${base}`;
        if (keys.length === 0) return base;
        braces = ['{', '}'];
        break;
      }
      case K_ERROR: {
        keys = getKeys(value);
        base = formatError(ctx, value, constructor, tag, keys);
        if (keys.length === 0) return base;
        braces = ['{', '}'];
        break;
      }
      case K_NUMBER: case K_STRING: case K_BOOLEAN: case K_SYMBOL: case K_BIGINT: {
        keys = getKeys(value);
        base = getBoxedBase(ctx, value, kind, keys, constructor, tag);
        if (keys.length === 0) return base;
        braces = ['{', '}'];
        break;
      }
      case K_ARRAYBUFFER: case K_SHAREDARRAYBUFFER: {
        keys = getKeys(value);
        ArrayPrototypeSplice(keys, 0, 0, 'byteLength');
        const name = kind === K_ARRAYBUFFER ? 'ArrayBuffer' : 'SharedArrayBuffer';
        braces = [`${getPrefix(constructor, tag, name)}{`, '}'];
        formatter = formatArrayBuffer;
        break;
      }
      case K_DATAVIEW: {
        keys = getKeys(value);
        ArrayPrototypeSplice(keys, 0, 0, 'byteLength', 'byteOffset', 'buffer');
        braces = [`${getPrefix(constructor, tag, 'DataView')}{`, '}'];
        break;
      }
      case K_PROMISE: {
        keys = getKeys(value);
        braces = [`${getPrefix(constructor, tag, 'Promise')}{`, '}'];
        formatter = formatPromise;
        break;
      }
      case K_WEAKMAP: case K_WEAKSET: {
        keys = getKeys(value);
        braces = [`${getPrefix(constructor, tag, kind === K_WEAKMAP ? 'WeakMap' : 'WeakSet')}{`, '}'];
        formatter = formatWeakCollection;
        break;
      }
      case K_MODULE: {
        keys = getKeys(value);
        braces = ['[Module: null prototype] {', '}'];
        if (keys.length === 0) return '[Module: null prototype] {}';
        break;
      }
      default: {
        keys = getKeys(value);
        attributes = getInterfaceAttributes(value, keys);
        const iterate = getInterfaceIterator(value);
        braces = ['{', '}'];
        if (constructor !== 'Object' || tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
        if (keys.length === 0 && attributes === undefined && iterate === undefined) return `${braces[0]}}`;
        if (iterate !== undefined) formatter = (c, v, r) => formatInterfaceEntries(c, v, r, iterate);
      }
    }

    if (recurseTimes > ctx.depth) {
      return constructor === null ? '[Object: null prototype]' : `[${constructor}]`;
    }
    recurseTimes += 1;
    ArrayPrototypePush(ctx.seen, value);
    ctx.currentDepth = recurseTimes;
    const output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      let desc;
      if (attributes !== undefined) desc = readOwnAttribute(value, keys[i]);
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType, desc, kind === K_MODULE));
    }
    if (attributes !== undefined) {
      for (let i = 0; i < attributes.length; i += 2) {
        const desc = { value: attributes[i + 1], enumerable: true };
        ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, attributes[i], kObjectType, desc, false));
      }
    }
    ArrayPrototypePop(ctx.seen);
    if (output.length === 0) return `${braces[0]}}`;

    if (ctx.circular !== undefined) {
      const index = MapPrototypeGet(ctx.circular, value);
      if (index !== undefined) {
        const reference = `<ref *${index}>`;
        base = base === '' ? reference : `${reference} ${base}`;
      }
    }
    return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  }

  function isInvalidDate(date) {
    const t = call(DateGetTime, date);
    return t !== t;
  }

  function formatNothing() {
    return [];
  }

  function formatPromise() {
    // GraalJS offers no way to read a promise's state or result from JS.
    return ['<unknown>'];
  }

  function formatWeakCollection() {
    return ['<items unknown>'];
  }

  // WebIDL attributes of NANO's own objects (Event, AbortSignal, ...) live in accessors on the
  // interface prototype, which webidl.configureInterface marks with a read-only Symbol.toStringTag
  // and makes enumerable. Their values are what the object "contains", so print them, base
  // interface first. Returns [name, value, name, value, ...] or undefined.
  function getInterfaceAttributes(value, ownKeys) {
    let perPrototype;
    for (let proto = ObjectGetPrototypeOf(value); proto !== null && proto !== ObjectPrototype; proto = ObjectGetPrototypeOf(proto)) {
      const tagDesc = ObjectGetOwnPropertyDescriptor(proto, SymbolToStringTag);
      if (tagDesc === undefined || typeof tagDesc.value !== 'string' || tagDesc.writable) continue;
      const names = ObjectGetOwnPropertyNames(proto);
      let found;
      for (let i = 0; i < names.length; i++) {
        const desc = ObjectGetOwnPropertyDescriptor(proto, names[i]);
        if (desc.enumerable && typeof desc.get === 'function' && !ArrayPrototypeIncludes(ownKeys, names[i])) {
          if (found === undefined) found = [];
          ArrayPrototypePush(found, names[i], desc.get);
        }
      }
      if (found !== undefined) {
        if (perPrototype === undefined) perPrototype = [];
        ArrayPrototypePush(perPrototype, found);
      }
    }
    if (perPrototype === undefined) return undefined;
    const result = [];
    for (let p = perPrototype.length - 1; p >= 0; p--) {
      const found = perPrototype[p];
      for (let i = 0; i < found.length; i += 2) {
        if (ArrayPrototypeIncludes(result, found[i])) continue;
        try {
          const v = call(found[i + 1], value);
          ArrayPrototypePush(result, found[i], v);
        } catch {
          // An attribute that cannot be read on this object is left out.
        }
      }
    }
    return result.length === 0 ? undefined : result;
  }

  // Own accessors of a NANO object (e.g. Event's [LegacyUnforgeable] isTrusted) are read like its
  // prototype's attributes; anything else keeps the default handling.
  function readOwnAttribute(value, key) {
    const desc = ObjectGetOwnPropertyDescriptor(value, key);
    if (desc === undefined || typeof desc.get !== 'function') return undefined;
    try {
      return { value: call(desc.get, value), enumerable: true };
    } catch {
      return desc;
    }
  }

  // The iterator of a NANO object declared `iterable<K, V>` in WebIDL (Headers, URLSearchParams,
  // FormData): its entries are what the object holds.
  function getInterfaceIterator(value) {
    for (let proto = ObjectGetPrototypeOf(value); proto !== null && proto !== ObjectPrototype; proto = ObjectGetPrototypeOf(proto)) {
      const tagDesc = ObjectGetOwnPropertyDescriptor(proto, SymbolToStringTag);
      if (tagDesc === undefined || typeof tagDesc.value !== 'string' || tagDesc.writable) continue;
      const iterator = ObjectGetOwnPropertyDescriptor(proto, SymbolIterator);
      const entries = ObjectGetOwnPropertyDescriptor(proto, 'entries');
      if (iterator !== undefined && typeof iterator.value === 'function' && entries !== undefined &&
          typeof entries.value === 'function') {
        return iterator.value;
      }
    }
    return undefined;
  }

  // Pairs print as `key => value` (as Node prints URLSearchParams), single values as themselves.
  function formatInterfaceEntries(ctx, value, recurseTimes, iterate) {
    const output = [];
    const iterator = call(iterate, value);
    const next = iterator.next;
    let count = 0;
    ctx.indentationLvl += 2;
    for (let step = call(next, iterator); !step.done; step = call(next, iterator)) {
      if (count++ >= ctx.maxArrayLength) continue;
      const entry = step.value;
      ArrayPrototypePush(output, ArrayIsArray(entry) && entry.length === 2
        ? `${formatValue(ctx, entry[0], recurseTimes)} => ${formatValue(ctx, entry[1], recurseTimes)}`
        : formatValue(ctx, entry, recurseTimes));
    }
    ctx.indentationLvl -= 2;
    if (count > output.length) ArrayPrototypePush(output, remainingText(count - output.length));
    return output;
  }

  function formatProperty(ctx, value, recurseTimes, key, type, desc, isModule) {
    let str;
    if (desc === undefined) {
      try {
        desc = ObjectGetOwnPropertyDescriptor(value, key);
        if (desc === undefined) desc = { value: value[key], enumerable: true };
      } catch (err) {
        // A module binding read before its initialisation throws a ReferenceError.
        str = isModule ? '<uninitialized>' : `<Inspection threw (${describeThrown(err)})>`;
        desc = { enumerable: true };
      }
    }
    if (str !== undefined) {
      // already set by the catch above
    } else if (desc.value !== undefined) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
    } else if (desc.set !== undefined) {
      str = '[Setter]';
    } else {
      str = 'undefined';
    }
    if (type === kArrayType) return str;
    return `${formatKey(key, desc.enumerable)}: ${str}`;
  }

  function formatKey(key, enumerable) {
    if (typeof key === 'symbol') return `[${escapeString(call(SymbolToString, key), -1)}]`;
    if (key === '__proto__') return "['__proto__']";
    if (enumerable === false) return `[${escapeString(key, -1)}]`;
    if (isIdentifier(key)) return key;
    return quoteString(key);
  }

  // Keys matching /^[a-zA-Z_][a-zA-Z_0-9]*$/ print bare.
  function isIdentifier(key) {
    if (key.length === 0) return false;
    for (let i = 0; i < key.length; i++) {
      const c = StringPrototypeCharCodeAt(key, i);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
      if (!letter && (i === 0 || c < 48 || c > 57)) return false;
    }
    return true;
  }

  function formatArray(ctx, value, recurseTimes) {
    const length = value.length;
    const max = MathMin(ctx.maxArrayLength, length);
    const output = [];
    for (let i = 0; i < max; i++) {
      if (!ObjectPrototypeHasOwnProperty(value, i)) return formatSparseArray(ctx, value, recurseTimes, max, output, i);
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayType));
    }
    if (length > max) ArrayPrototypePush(output, remainingText(length - max));
    return output;
  }

  // Runs of holes print as `<N empty items>`; each run counts as one entry against maxArrayLength.
  function formatSparseArray(ctx, value, recurseTimes, maxLength, output, i) {
    const keys = ObjectKeys(value);
    let index = i;
    for (; i < keys.length && output.length < maxLength; i++) {
      const key = keys[i];
      if (!isArrayIndex(key)) break;
      const n = +key;
      if (n !== index) {
        const empty = n - index;
        ArrayPrototypePush(output, `<${empty} empty item${empty > 1 ? 's' : ''}>`);
        index = n;
        if (output.length === maxLength) break;
      }
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, key, kArrayType));
      index++;
    }
    const remaining = value.length - index;
    if (output.length !== maxLength) {
      if (remaining > 0) ArrayPrototypePush(output, `<${remaining} empty item${remaining > 1 ? 's' : ''}>`);
    } else if (remaining > 0) {
      ArrayPrototypePush(output, remainingText(remaining));
    }
    return output;
  }

  function formatTypedArray(ctx, value) {
    const length = call(TypedArrayLength, value);
    const max = MathMin(ctx.maxArrayLength, length);
    const output = [];
    for (let i = 0; i < max; i++) {
      const v = value[i];
      ArrayPrototypePush(output, typeof v === 'bigint' ? `${v}n` : formatNumber(v));
    }
    if (length > max) ArrayPrototypePush(output, remainingText(length - max));
    return output;
  }

  function formatSet(ctx, value, recurseTimes) {
    const size = call(SetSize, value);
    const max = MathMin(ctx.maxArrayLength, size);
    const output = [];
    const iterator = call(SetValues, value);
    ctx.indentationLvl += 2;
    for (let i = 0; i < max; i++) {
      const step = call(SetIteratorNext, iterator);
      if (step.done) break;
      ArrayPrototypePush(output, formatValue(ctx, step.value, recurseTimes));
    }
    ctx.indentationLvl -= 2;
    if (size > max) ArrayPrototypePush(output, remainingText(size - max));
    return output;
  }

  function formatMap(ctx, value, recurseTimes) {
    const size = call(MapSize, value);
    const max = MathMin(ctx.maxArrayLength, size);
    const output = [];
    const iterator = call(MapEntries, value);
    ctx.indentationLvl += 2;
    for (let i = 0; i < max; i++) {
      const step = call(MapIteratorNext, iterator);
      if (step.done) break;
      const entry = step.value;
      ArrayPrototypePush(output, `${formatValue(ctx, entry[0], recurseTimes)} => ${formatValue(ctx, entry[1], recurseTimes)}`);
    }
    ctx.indentationLvl -= 2;
    if (size > max) ArrayPrototypePush(output, remainingText(size - max));
    return output;
  }

  function formatArrayBuffer(ctx, value) {
    let bytes;
    try {
      bytes = new Uint8Array(value);
    } catch {
      return ['(detached)'];
    }
    const length = call(TypedArrayLength, bytes);
    const max = MathMin(ctx.maxArrayLength, length);
    let str = '';
    for (let i = 0; i < max; i++) {
      const b = bytes[i];
      str += `${i === 0 ? '' : ' '}${hex[b >> 4]}${hex[b & 15]}`;
    }
    const remaining = length - max;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return [`[Uint8Contents]: <${str}>`];
  }

  function getBoxedBase(ctx, value, kind, keys, constructor, tag) {
    let type;
    let primitive;
    switch (kind) {
      case K_NUMBER: type = 'Number'; primitive = call(NumberValueOf, value); break;
      case K_STRING: {
        type = 'String';
        primitive = call(StringValueOf, value);
        // The indices of a String object only repeat its value.
        let n = 0;
        while (n < keys.length && typeof keys[n] === 'string' && isArrayIndex(keys[n]) && +keys[n] < primitive.length) n++;
        ArrayPrototypeSplice(keys, 0, n);
        break;
      }
      case K_BOOLEAN: type = 'Boolean'; primitive = call(BooleanValueOf, value); break;
      case K_BIGINT: type = 'BigInt'; primitive = call(BigIntValueOf, value); break;
      default: type = 'Symbol'; primitive = call(SymbolValueOf, value);
    }
    let base = `[${type}`;
    if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
    base += `: ${formatPrimitive(ctx, primitive)}]`;
    if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
    return base;
  }

  function getFunctionBase(value, constructor, tag) {
    let source = '';
    try {
      source = call(FunctionToString, value);
    } catch {
      // a Proxy around a function: not a function source to look at
    }
    if (StringPrototypeStartsWith(source, 'class') && isClassSource(source)) return getClassBase(value, constructor, tag);
    const kindTag = ObjectPrototypeToString(value);
    let type = 'Function';
    if (kindTag === '[object GeneratorFunction]') type = 'GeneratorFunction';
    else if (kindTag === '[object AsyncFunction]') type = 'AsyncFunction';
    else if (kindTag === '[object AsyncGeneratorFunction]') type = 'AsyncGeneratorFunction';
    let base = `[${type}`;
    if (constructor === null) base += ' (null prototype)';
    const name = value.name;
    if (typeof name !== 'string' || name === '') base += ' (anonymous)';
    else base += `: ${name}`;
    base += ']';
    if (constructor !== type && constructor !== null) base += ` ${constructor}`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    return base;
  }

  function isClassSource(source) {
    const c = StringPrototypeCharCodeAt(source, 5);
    return c === 32 || c === 123 || c === 10 || c === 9 || c === 13 || c === 47;
  }

  function getClassBase(value, constructor, tag) {
    const ownName = ObjectGetOwnPropertyDescriptor(value, 'name');
    const name = ownName !== undefined && typeof ownName.value === 'string' && ownName.value !== '' ? ownName.value : '(anonymous)';
    let base = `class ${name}`;
    if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    if (constructor !== null) {
      const superName = ObjectGetPrototypeOf(value).name;
      if (typeof superName === 'string' && superName !== '') base += ` extends ${superName}`;
    } else {
      base += ' extends [null prototype]';
    }
    return `[${base}]`;
  }

  // An error prints as its stack (which starts with "Name: message"), then its own properties;
  // `cause` and AggregateError's `errors` are shown although they are not enumerable.
  function formatError(ctx, err, constructor, tag, keys) {
    let name = 'Error';
    let message = '';
    try {
      const n = err.name;
      if (n !== null && n !== undefined) name = StringCtor(n);
    } catch { /* keep 'Error' */ }
    try {
      const m = err.message;
      if (typeof m === 'string') message = m;
    } catch { /* no message */ }
    let stack = getStackString(err);
    for (let i = 0; i < 3; i++) {
      const prop = i === 0 ? 'name' : i === 1 ? 'message' : 'stack';
      const index = ArrayPrototypeIndexOf(keys, prop);
      if (index !== -1) {
        const v = err[prop];
        if (typeof v === 'string' && StringPrototypeIndexOf(stack, v) !== -1) ArrayPrototypeSplice(keys, index, 1);
      }
    }
    if ('cause' in err && !ArrayPrototypeIncludes(keys, 'cause')) ArrayPrototypePush(keys, 'cause');
    const errors = ObjectGetOwnPropertyDescriptor(err, 'errors');
    if (errors !== undefined && ArrayIsArray(errors.value) && !ArrayPrototypeIncludes(keys, 'errors')) {
      ArrayPrototypePush(keys, 'errors');
    }
    stack = improveStack(stack, constructor, name, tag);

    // Without stack frames, the error is bracketed: [Error: message].
    let pos = (message && StringPrototypeIndexOf(stack, message)) || -1;
    if (pos !== -1) pos += message.length;
    if (StringPrototypeIndexOf(stack, '\n    at', pos) === -1) stack = `[${stack}]`;
    if (ctx.indentationLvl !== 0) stack = replaceNewlines(stack, `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
    return stack;
  }

  function getStackString(err) {
    try {
      const stack = err.stack;
      if (stack) return StringCtor(stack);
    } catch { /* fall back to the name and message */ }
    try {
      return call(ErrorToString, err);
    } catch {
      return 'Error';
    }
  }

  // "Error: x" thrown by `class MyError extends Error` prints as "MyError [Error]: x", so the
  // class is visible even when the name was not set (Node does the same).
  function improveStack(stack, constructor, name, tag) {
    const len = name.length;
    if (constructor === null) {
      if (StringPrototypeStartsWith(stack, name)) {
        return `[${name}: null prototype]${StringPrototypeSlice(stack, len)}`;
      }
      return stack;
    }
    if (len >= 5 && StringPrototypeSlice(name, -5) === 'Error' && StringPrototypeStartsWith(stack, name) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n')) {
      const prefix = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1);
      if (name !== prefix) {
        if (StringPrototypeIndexOf(prefix, name) !== -1) {
          stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${StringPrototypeSlice(stack, len)}`;
        } else {
          stack = `${prefix} [${name}]${StringPrototypeSlice(stack, len)}`;
        }
      }
    }
    return stack;
  }

  // ---- layout -----------------------------------------------------------------------------

  // One line when the entries fit in breakLength and the object holds at most `compact` levels
  // of nesting below it; otherwise one entry per line, indented by two spaces.
  function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
    if (ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = ArrayPrototypeJoin(output, ', ');
          if (StringPrototypeIndexOf(joined, '\n') === -1) {
            return `${base === '' ? '' : `${base} `}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    return `${base === '' ? '' : `${base} `}${braces[0]}${indentation}  ${ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      totalLength += output[i].length;
      if (totalLength > ctx.breakLength) return false;
    }
    return base === '' || StringPrototypeIndexOf(base, '\n') === -1;
  }

  // Many short array entries are laid out in aligned columns (numbers right-aligned), at most 15
  // (4 × compact) columns and roughly square overall, as Node and Deno do.
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let outputLength = output.length;
    if (ctx.maxArrayLength < output.length) outputLength--; // the "... more items" entry stays apart
    const separatorSpace = 2; // ", "
    const dataLen = [];
    for (let i = 0; i < outputLength; i++) {
      const len = stringWidth(output[i]);
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = MathSqrt(actualMax - totalLength / output.length);
      const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
      // Characters are about 2.5 times as high as wide: aim for a square block.
      const columns = MathMin(
        MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
        MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) {
          if (dataLen[j] > lineLength) lineLength = dataLen[j];
        }
        ArrayPrototypePush(maxLineLength, lineLength + separatorSpace);
      }
      let alignRight = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          const v = value[i];
          if (typeof v !== 'number' && typeof v !== 'bigint') { alignRight = false; break; }
        }
      }
      const grouped = [];
      for (let i = 0; i < outputLength; i += columns) {
        const max = MathMin(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
          str += pad(`${output[j]}, `, padding, alignRight);
        }
        if (alignRight) {
          const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
          str += StringPrototypePadStart(output[j], padding, ' ');
        } else {
          str += output[j];
        }
        ArrayPrototypePush(grouped, str);
      }
      if (ctx.maxArrayLength < output.length) ArrayPrototypePush(grouped, output[outputLength]);
      output = grouped;
    }
    return output;
  }

  function pad(str, width, start) {
    if (str.length >= width) return str;
    const fill = StringPrototypeRepeat(' ', width - str.length);
    return start ? fill + str : str + fill;
  }

  // Columns a string takes in a terminal: East Asian wide characters take two, combining marks
  // and zero-width characters none (Unicode UAX #11, EastAsianWidth W and F ranges).
  function stringWidth(str) {
    let width = 0;
    for (let i = 0; i < str.length; i++) {
      const c = StringPrototypeCodePointAt(str, i);
      if (c > 0xffff) i++;
      if (c < 0x300) {
        if (c >= 0x20 && (c < 0x7f || c >= 0xa0)) width++;
      } else if (isZeroWidth(c)) {
        // nothing
      } else {
        width += isFullWidth(c) ? 2 : 1;
      }
    }
    return width;
  }

  function isZeroWidth(c) {
    return (c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x20d0 && c <= 0x20ff) ||
      (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xfe20 && c <= 0xfe2f) || (c >= 0xe0100 && c <= 0xe01ef);
  }

  function isFullWidth(c) {
    return c >= 0x1100 && (
      c <= 0x115f || c === 0x2329 || c === 0x232a ||
      (c >= 0x2e80 && c <= 0x3247 && c !== 0x303f) || (c >= 0x3250 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0xa4c6) || (c >= 0xa960 && c <= 0xa97c) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe10 && c <= 0xfe19) || (c >= 0xfe30 && c <= 0xfe6b) ||
      (c >= 0xff01 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1b000 && c <= 0x1b001) ||
      (c >= 0x1f200 && c <= 0x1f251) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) ||
      (c >= 0x20000 && c <= 0x3fffd));
  }

  return { __proto__: null, inspect: inspectValue, stringWidth };
}

internal.inspect = inspect;
/** Terminal columns of a string (wide East Asian characters count two). */
internal.stringWidth = (str) => getInspector().stringWidth(str);
