// Headers (Fetch Standard §5.2) and the helpers the other fetch files share, on `internal.fetch`.
//
// A header list is kept as one flat array [name, value, name, value, ...] with names lowercased:
// it is what the HTTP server reads and writes (internal.fetch.headerList / headersFromList).
// Forbidden request/response header names are not filtered: NANO is a server runtime, like Deno
// and workerd, so only the "immutable" guard restricts changes.
const {
  ArrayPrototypePush, ArrayPrototypeSplice, ArrayPrototypeSort, ArrayPrototypeJoin,
  ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ObjectSetPrototypeOf,
  ReflectOwnKeys, ReflectApply, RegExpPrototypeExec, StringPrototypeCharCodeAt, StringPrototypeSlice,
  StringPrototypeToLowerCase, SymbolIterator, SymbolToStringTag, TypeError, IteratorPrototype,
} = internal.primordials;

// The character checks run for every header an app sets: one compiled regex (TRegex) per string
// costs a fraction of a charCodeAt call per character through the primordials.
const NOT_BYTE = /[^\x00-\xff]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NUL_CR_LF = /[\0\n\r]/;
const { requiredArguments, toDOMString, configureInterface, exposeInterface } = internal.webidl;

// ---- WebIDL conversions shared by the fetch files ----

// WebIDL §3.2.11 ByteString: a DOMString whose code units all fit in a byte.
function toByteString(v, what) {
  const s = toDOMString(v);
  const bad = RegExpPrototypeExec(NOT_BYTE, s);
  if (bad !== null) {
    throw new TypeError(`${what}: '${s}' is not a valid ByteString (character at index ${bad.index} is above U+00FF)`);
  }
  return s;
}

// A dictionary argument: undefined/null mean "empty", other non-objects are a TypeError.
function toDictionary(v, what) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' && typeof v !== 'function') {
    throw new TypeError(`${what}: the options argument must be an object`);
  }
  return v;
}

// An enumeration value (WebIDL §3.2.22): anything not in the list is a TypeError.
function toEnum(v, values, what) {
  const s = toDOMString(v);
  for (let i = 0; i < values.length; i++) if (values[i] === s) return s;
  throw new TypeError(`${what}: '${s}' is not a valid value (expected one of ${ArrayPrototypeJoin(values, ', ')})`);
}

// RFC 9110 §5.6.2 token; HTTP header names and methods must be one.
function isToken(s) {
  return RegExpPrototypeExec(TOKEN, s) !== null;
}

function isHttpWhitespace(c) {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// Fetch §2.2.2 "normalize": strip leading and trailing HTTP whitespace bytes.
function normalizeValue(s) {
  let start = 0;
  let end = s.length;
  while (start < end && isHttpWhitespace(StringPrototypeCharCodeAt(s, start))) start++;
  while (end > start && isHttpWhitespace(StringPrototypeCharCodeAt(s, end - 1))) end--;
  return start === 0 && end === s.length ? s : StringPrototypeSlice(s, start, end);
}

// Fetch §2.2.2 header value: no NUL, CR or LF (leading/trailing whitespace was normalized away).
function isValidValue(s) {
  return RegExpPrototypeExec(NUL_CR_LF, s) === null;
}

function checkName(name, what) {
  if (!isToken(name)) throw new TypeError(`${what}: '${name}' is not a valid header name`);
  return StringPrototypeToLowerCase(name);
}

function checkValue(value, name, what) {
  value = normalizeValue(value);
  if (!isValidValue(value)) throw new TypeError(`${what}: invalid value for header '${name}'`);
  return value;
}

// ---- pair iterators (WebIDL §3.7.9 "iterable<K, V>"), shared by Headers and FormData ----

// Installs entries/keys/values/forEach/@@iterator on klass.prototype. `pairsOf(obj)` brand-checks
// obj and returns its current flat [key, value, ...] list; the iterators are live, as in WebIDL:
// each next() looks at the list as it is now.
function mixinPairIterable(klass, name, pairsOf) {
  const iteratorName = `${name} Iterator`;
  class PairIterator {
    #target; #kind; #index = 0;
    constructor(target, kind) { this.#target = target; this.#kind = kind; }
    next() {
      if (!(#target in this)) throw new TypeError(`next called on an object that is not a ${iteratorName}`);
      const pairs = pairsOf(this.#target);
      const i = this.#index;
      if (i * 2 >= pairs.length) return { value: undefined, done: true };
      this.#index = i + 1;
      const key = pairs[i * 2];
      const value = pairs[i * 2 + 1];
      const kind = this.#kind;
      return { value: kind === 'key' ? key : kind === 'value' ? value : [key, value], done: false };
    }
  }
  const iterProto = PairIterator.prototype;
  delete iterProto.constructor; // WebIDL §3.7.9.1: the iterator prototype has only next and the tag
  ObjectSetPrototypeOf(iterProto, IteratorPrototype);
  ObjectDefineProperty(iterProto, 'next', { enumerable: true });
  ObjectDefineProperty(iterProto, SymbolToStringTag, { value: iteratorName, configurable: true });

  const proto = klass.prototype;
  const methods = {
    entries() { pairsOf(this); return new PairIterator(this, 'key+value'); },
    keys() { pairsOf(this); return new PairIterator(this, 'key'); },
    values() { pairsOf(this); return new PairIterator(this, 'value'); },
    forEach(callback, thisArg = undefined) {
      let pairs = pairsOf(this);
      requiredArguments(arguments.length, 1, `Failed to execute 'forEach' on '${name}'`);
      if (typeof callback !== 'function') {
        throw new TypeError(`Failed to execute 'forEach' on '${name}': parameter 1 is not of type 'Function'.`);
      }
      for (let i = 0; i * 2 < pairs.length; i++) {
        ReflectApply(callback, thisArg, [pairs[i * 2 + 1], pairs[i * 2], this]);
        pairs = pairsOf(this);
      }
    },
  };
  // An indexed loop: FormData's is built on first use, when an app may have replaced Array's iterator.
  const keys = ['entries', 'keys', 'values', 'forEach'];
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(proto, keys[i], { value: methods[keys[i]], writable: true, enumerable: true, configurable: true });
  }
  ObjectDefineProperty(proto, SymbolIterator, { value: methods.entries, writable: true, enumerable: false, configurable: true });
}

// ---- Headers ----

const GUARDS = ['immutable', 'request', 'request-no-cors', 'response', 'none'];
// Set in the class's static block: the other fetch files reach a Headers' private state through these.
let headerListOf; // (headers) -> its live flat list
let headersGuardOf;
let setHeadersGuard;
let sortedListOf;
let appendHeader;
let adoptList;
let isHeaders;
const illegalKey = internal.webidl.illegalConstructorKey;

class Headers {
  #list = [];
  #guard = 'none';
  #sorted = null; // cache of "sort and combine", dropped on every change

  constructor(init = undefined) {
    if (init === illegalKey) return; // internal construction (headersFromList)
    if (init !== undefined) fillHeaders(this, init, "Failed to construct 'Headers'");
  }

  append(name, value) {
    this.#check();
    requiredArguments(arguments.length, 2, "Failed to execute 'append' on 'Headers'");
    appendHeader(this, name, value, "Failed to execute 'append' on 'Headers'");
  }

  delete(name) {
    this.#check();
    requiredArguments(arguments.length, 1, "Failed to execute 'delete' on 'Headers'");
    const what = "Failed to execute 'delete' on 'Headers'";
    name = checkName(toByteString(name, what), what);
    this.#checkMutable(what);
    const list = this.#list;
    let changed = false;
    for (let i = list.length - 2; i >= 0; i -= 2) {
      if (list[i] === name) { ArrayPrototypeSplice(list, i, 2); changed = true; }
    }
    if (changed) this.#sorted = null;
  }

  get(name) {
    this.#check();
    requiredArguments(arguments.length, 1, "Failed to execute 'get' on 'Headers'");
    const what = "Failed to execute 'get' on 'Headers'";
    return getHeader(this.#list, checkName(toByteString(name, what), what));
  }

  getSetCookie() {
    this.#check();
    const list = this.#list;
    const out = [];
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === 'set-cookie') ArrayPrototypePush(out, list[i + 1]);
    }
    return out;
  }

  has(name) {
    this.#check();
    requiredArguments(arguments.length, 1, "Failed to execute 'has' on 'Headers'");
    const what = "Failed to execute 'has' on 'Headers'";
    name = checkName(toByteString(name, what), what);
    const list = this.#list;
    for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
    return false;
  }

  set(name, value) {
    this.#check();
    requiredArguments(arguments.length, 2, "Failed to execute 'set' on 'Headers'");
    const what = "Failed to execute 'set' on 'Headers'";
    name = checkName(toByteString(name, what), what);
    value = checkValue(toByteString(value, what), name, what);
    this.#checkMutable(what);
    // Fetch §2.2.2 "set": replace the first header of that name, remove the others.
    const list = this.#list;
    let found = false;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] !== name) continue;
      if (!found) { list[i + 1] = value; found = true; } else { ArrayPrototypeSplice(list, i, 2); i -= 2; }
    }
    if (!found) ArrayPrototypePush(list, name, value);
    this.#sorted = null;
  }

  #check() {
    if (!(#list in this)) throw new TypeError('Illegal invocation: the receiver is not a Headers object');
  }

  #checkMutable(what) {
    if (this.#guard === 'immutable') throw new TypeError(`${what}: the headers are immutable`);
  }

  static {
    headerListOf = (h) => {
      if (!(#list in h)) throw new TypeError('Illegal invocation: the receiver is not a Headers object');
      return h.#list;
    };
    headersGuardOf = (h) => h.#guard;
    setHeadersGuard = (h, guard) => { h.#guard = guard; };
    appendHeader = (h, name, value, what) => {
      name = checkName(toByteString(name, what), what);
      value = checkValue(toByteString(value, what), name, what);
      h.#checkMutable(what);
      ArrayPrototypePush(h.#list, name, value);
      h.#sorted = null;
    };
    adoptList = (h, list) => { h.#list = list; h.#sorted = null; };
    isHeaders = (v) => typeof v === 'object' && v !== null && #list in v;
    // Fetch §2.2.2 "sort and combine": names sorted, values of one name joined by ", ",
    // except Set-Cookie whose values stay separate.
    sortedListOf = (h) => {
      if (!(#list in h)) throw new TypeError('Illegal invocation: the receiver is not a Headers object');
      if (h.#sorted !== null) return h.#sorted;
      const list = h.#list;
      const names = [];
      for (let i = 0; i < list.length; i += 2) {
        const n = list[i];
        let seen = false;
        for (let j = 0; j < names.length; j++) if (names[j] === n) { seen = true; break; }
        if (!seen) ArrayPrototypePush(names, n);
      }
      ArrayPrototypeSort(names, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const out = [];
      for (let k = 0; k < names.length; k++) {
        const n = names[k];
        if (n === 'set-cookie') {
          for (let i = 0; i < list.length; i += 2) if (list[i] === n) ArrayPrototypePush(out, n, list[i + 1]);
        } else {
          ArrayPrototypePush(out, n, getHeader(list, n));
        }
      }
      h.#sorted = out;
      return out;
    };
  }
}
// Fetch §2.2.2 "get": the values of every header of that name, joined by ", "; null if none.
function getHeader(list, name) {
  let value = null;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] === name) value = value === null ? list[i + 1] : `${value}, ${list[i + 1]}`;
  }
  return value;
}

// Fetch §5.2 "fill": init is a sequence of [name, value] pairs or a record.
function fillHeaders(headers, init, what) {
  if (typeof init !== 'object' && typeof init !== 'function' || init === null) {
    throw new TypeError(`${what}: the init argument must be a sequence of pairs or a record`);
  }
  if (isHeaders(init)) { // a Headers: iterate its sorted and combined pairs, as the sequence branch would
    const pairs = sortedListOf(init);
    for (let i = 0; i < pairs.length; i += 2) appendHeader(headers, pairs[i], pairs[i + 1], what);
    return;
  }
  const method = init[SymbolIterator];
  if (method !== undefined && method !== null) {
    if (typeof method !== 'function') throw new TypeError(`${what}: init[Symbol.iterator] is not a function`);
    for (const pair of { [SymbolIterator]: () => ReflectApply(method, init, []) }) {
      if (typeof pair !== 'object' && typeof pair !== 'function' || pair === null) {
        throw new TypeError(`${what}: each header must be a [name, value] sequence`);
      }
      const items = [];
      for (const item of pair) ArrayPrototypePush(items, item);
      if (items.length !== 2) {
        throw new TypeError(`${what}: each header must be a sequence of exactly two items, got ${items.length}`);
      }
      appendHeader(headers, items[0], items[1], what);
    }
    return;
  }
  // record<ByteString, ByteString> (WebIDL §3.2.24): own enumerable keys, in order.
  const keys = ReflectOwnKeys(init);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const desc = ObjectGetOwnPropertyDescriptor(init, key);
    if (desc === undefined || !desc.enumerable) continue;
    const name = toByteString(key, what);
    appendHeader(headers, name, init[key], what);
  }
}

ObjectDefineProperty(Headers, 'length', { value: 0 });
mixinPairIterable(Headers, 'Headers', (h) => sortedListOf(h));
configureInterface(Headers);
exposeInterface('Headers', Headers);

// A Headers object adopting `list` (flat, names already lowercased and values valid: trusted input
// from the HTTP server or another Headers) with the given guard.
function headersFromList(list, guard) {
  const h = new Headers(illegalKey);
  adoptList(h, list);
  setHeadersGuard(h, guard);
  return h;
}

// Used by Request/Response to apply init.headers on top of a fresh Headers with a guard.
function newHeaders(guard) {
  const h = new Headers(illegalKey);
  setHeadersGuard(h, guard);
  return h;
}

// Lowercases the names of a flat [name, value, ...] list in place (server input keeps case).
function lowercaseNames(list) {
  for (let i = 0; i < list.length; i += 2) list[i] = StringPrototypeToLowerCase(list[i]);
  return list;
}

internal.fetch = {
  __proto__: null,
  // conversions and validation
  toByteString, toDictionary, toEnum, isToken, normalizeValue, isValidValue, mixinPairIterable,
  // headers
  Headers, GUARDS, headerListOf, headersGuardOf, setHeadersGuard, headersFromList, newHeaders,
  setHeaderList: (h, list) => adoptList(h, list),
  fillHeaders, getHeader, sortedListOf, lowercaseNames,
  isHeaders,
};
