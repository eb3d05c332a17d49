// URLSearchParams (URL Standard §6.2). The list is kept flat: [name0, value0, name1, value1, ...].
// The application/x-www-form-urlencoded parser and serializer (§5) run in Java (FormCodec).
// Called by 00_url.js when it builds URL (both are built on first use): adds URLSearchParams and
// its hooks to urlApi.
internal.url.createSearchParams = (urlApi) => {
  const { requiredArguments, toUSVString, configureInterface } = internal.webidl;
  const {
    ArrayPrototypePush, FunctionPrototypeCall, ObjectCreate, ObjectDefineProperty,
    ObjectGetOwnPropertyDescriptor, ReflectOwnKeys, SafeMap, SafeWeakMap, MapPrototypeGet, MapPrototypeSet,
    WeakMapPrototypeGet, WeakMapPrototypeSet, StringFromCharCode, StringPrototypeCharCodeAt,
    StringPrototypeSlice, StringPrototypeToWellFormed, SymbolIterator, SymbolToStringTag, TypeError,
    IteratorPrototype,
  } = internal.primordials;
  const { setQueryFromParams } = urlApi;

  // A list crosses to Java and back as one string of items, each prefixed by its length: one char
  // if below 0xFFFF, else 0xFFFF and two chars (high 16 bits first). Must match FormCodec.java.
  const LONG = 0xffff;

  // §5.1 application/x-www-form-urlencoded parser (in Java), appending to the flat list.
  function parseInto(list, input) {
    if (input.length === 0) return list;
    const r = ops.parseForm(input);
    for (let i = 0; i < r.length;) {
      let len = StringPrototypeCharCodeAt(r, i++);
      if (len === LONG) {
        len = (StringPrototypeCharCodeAt(r, i) << 16) | StringPrototypeCharCodeAt(r, i + 1);
        i += 2;
      }
      list[list.length] = StringPrototypeSlice(r, i, i + len); // as push() would, without the call
      i += len;
    }
    return list;
  }

  // §5.2 application/x-www-form-urlencoded serializer (in Java).
  function serialize(list) {
    if (list.length === 0) return '';
    let packed = '';
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const len = item.length;
      packed += (len < LONG ? StringFromCharCode(len) : StringFromCharCode(LONG, len >>> 16, len & 0xffff)) + item;
    }
    return ops.serializeForm(packed);
  }

  // WebIDL §3.2.18 sequence<T>: the values of an iterable, through the given @@iterator method.
  function iterableToArray(object, method) {
    const iterator = FunctionPrototypeCall(method, object);
    if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
      throw new TypeError('Result of the Symbol.iterator method is not an object');
    }
    const next = iterator.next;
    const values = [];
    while (true) {
      const step = FunctionPrototypeCall(next, iterator);
      if (step === null || (typeof step !== 'object' && typeof step !== 'function')) {
        throw new TypeError('Iterator result is not an object');
      }
      if (step.done) return values;
      ArrayPrototypePush(values, step.value);
    }
  }

  function isObject(v) {
    return v !== null && (typeof v === 'object' || typeof v === 'function');
  }

  const PREFIX = "Failed to construct 'URLSearchParams'";
  const KIND_KEYS = 0;
  const KIND_VALUES = 1;
  const KIND_ENTRIES = 2;
  let listOf; // (params) => its list; set in the class's static block

  class URLSearchParams {
    #list = [];
    #url = null; // the URL object whose query this is, or null

    // init: (sequence<sequence<USVString>> or record<USVString, USVString> or USVString) = "".
    constructor(init = undefined) {
      if (init === undefined) return;
      if (isObject(init)) {
        const method = init[SymbolIterator];
        if (method !== undefined && method !== null) {
          if (typeof method !== 'function') throw new TypeError(`${PREFIX}: Symbol.iterator is not callable`);
          const pairs = iterableToArray(init, method);
          for (let i = 0; i < pairs.length; i++) {
            const pair = pairs[i];
            if (!isObject(pair)) throw new TypeError(`${PREFIX}: each pair must be an iterable of two strings`);
            const pairMethod = pair[SymbolIterator];
            if (typeof pairMethod !== 'function') throw new TypeError(`${PREFIX}: each pair must be an iterable of two strings`);
            const items = iterableToArray(pair, pairMethod);
            if (items.length !== 2) {
              throw new TypeError(`${PREFIX}: each pair must have exactly two items, not ${items.length}`);
            }
            ArrayPrototypePush(this.#list, toUSVString(items[0]), toUSVString(items[1]));
          }
          return;
        }
        // WebIDL §3.2.20 record<USVString, USVString>: enumerable own keys, later duplicates win.
        const record = new SafeMap();
        const keys = ReflectOwnKeys(init);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const desc = ObjectGetOwnPropertyDescriptor(init, key);
          if (desc === undefined || !desc.enumerable) continue;
          const name = toUSVString(key);
          const value = toUSVString(init[key]);
          const index = MapPrototypeGet(record, name);
          if (index === undefined) {
            MapPrototypeSet(record, name, this.#list.length + 1);
            ArrayPrototypePush(this.#list, name, value);
          } else {
            this.#list[index] = value;
          }
        }
        return;
      }
      let query = toUSVString(init);
      if (StringPrototypeCharCodeAt(query, 0) === 0x3f) query = StringPrototypeSlice(query, 1);
      parseInto(this.#list, query);
    }

    static {
      urlApi.connectSearchParams(
        (url, query) => {
          const params = new URLSearchParams();
          params.#url = url;
          parseInto(params.#list, query);
          return params;
        },
        (params, query) => {
          params.#list = parseInto([], query);
        });
    }

    // §6.2 update steps.
    #update() {
      if (this.#url !== null) setQueryFromParams(this.#url, serialize(this.#list));
    }

    get size() {
      return this.#list.length / 2;
    }

    append(name, value) {
      requiredArguments(arguments.length, 2, "Failed to execute 'append' on 'URLSearchParams'");
      const list = this.#list;
      list[list.length] = toUSVString(name);
      list[list.length] = toUSVString(value);
      this.#update();
    }

    delete(name, value = undefined) {
      requiredArguments(arguments.length, 1, "Failed to execute 'delete' on 'URLSearchParams'");
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      const list = this.#list;
      let j = 0;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name && (value === undefined || list[i + 1] === value)) continue;
        list[j++] = list[i];
        list[j++] = list[i + 1];
      }
      list.length = j;
      this.#update();
    }

    get(name) {
      if (arguments.length === 0) requiredArguments(0, 1, "Failed to execute 'get' on 'URLSearchParams'");
      // toUSVString's result for a string, in one call instead of three (get() is on hot request paths).
      name = typeof name === 'string' ? StringPrototypeToWellFormed(name) : toUSVString(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) return list[i + 1];
      }
      return null;
    }

    getAll(name) {
      requiredArguments(arguments.length, 1, "Failed to execute 'getAll' on 'URLSearchParams'");
      name = toUSVString(name);
      const list = this.#list;
      const values = [];
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) values[values.length] = list[i + 1];
      }
      return values;
    }

    has(name, value = undefined) {
      requiredArguments(arguments.length, 1, "Failed to execute 'has' on 'URLSearchParams'");
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
      }
      return false;
    }

    set(name, value) {
      requiredArguments(arguments.length, 2, "Failed to execute 'set' on 'URLSearchParams'");
      name = toUSVString(name);
      value = toUSVString(value);
      const list = this.#list;
      let found = false;
      let j = 0;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) {
          if (found) continue; // remove the others
          found = true;
          list[j++] = name;
          list[j++] = value;
        } else {
          list[j++] = list[i];
          list[j++] = list[i + 1];
        }
      }
      list.length = j;
      if (!found) ArrayPrototypePush(list, name, value);
      this.#update();
    }

    // Stable sort by name, comparing code units (§6.2 sort()); a merge sort of the pair indexes.
    sort() {
      const list = this.#list;
      const n = list.length / 2;
      let order = [];
      for (let i = 0; i < n; i++) order[i] = i;
      let scratch = [];
      for (let width = 1; width < n; width *= 2) {
        for (let lo = 0; lo < n; lo += 2 * width) {
          const mid = lo + width < n ? lo + width : n;
          const hi = lo + 2 * width < n ? lo + 2 * width : n;
          let a = lo;
          let b = mid;
          let k = lo;
          while (a < mid && b < hi) {
            // String comparison with < is by code units (ECMA-262 IsLessThan), as the spec wants.
            if (list[2 * order[b]] < list[2 * order[a]]) scratch[k++] = order[b++];
            else scratch[k++] = order[a++];
          }
          while (a < mid) scratch[k++] = order[a++];
          while (b < hi) scratch[k++] = order[b++];
        }
        const t = order;
        order = scratch;
        scratch = t;
      }
      const sorted = [];
      for (let i = 0; i < n; i++) ArrayPrototypePush(sorted, list[2 * order[i]], list[2 * order[i] + 1]);
      this.#list = sorted;
      this.#update();
    }

    toString() {
      return serialize(this.#list);
    }

    // WebIDL iterable<USVString, USVString> (§3.7.9): forEach, entries, keys, values, @@iterator.
    forEach(callback, thisArg = undefined) {
      requiredArguments(arguments.length, 1, "Failed to execute 'forEach' on 'URLSearchParams'");
      if (typeof callback !== 'function') {
        throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
      }
      // The list is read afresh on every step: changes made by the callback are seen.
      for (let i = 0; i < this.#list.length; i += 2) {
        FunctionPrototypeCall(callback, thisArg, this.#list[i + 1], this.#list[i], this);
      }
    }

    entries() {
      return createIterator(this, KIND_ENTRIES);
    }

    keys() {
      return createIterator(this, KIND_KEYS);
    }

    values() {
      return createIterator(this, KIND_VALUES);
    }

    static {
      listOf = (params) => params.#list;
      // For fetch (bodies): brand check, serialization and the urlencoded parser, none of which
      // goes through members an app could redefine.
      urlApi.isURLSearchParams = (v) => isObject(v) && #list in v;
      urlApi.serializeSearchParams = (params) => serialize(params.#list);
    }
  }

  // WebIDL §3.7.10.1 default iterator objects: live over the list, by index.
  const iteratorState = new SafeWeakMap();
  const IteratorProto = ObjectCreate(IteratorPrototype, {
    next: {
      value: function next() {
        const state = WeakMapPrototypeGet(iteratorState, this);
        if (state === undefined) throw new TypeError("'next' called on an object that is not a URLSearchParams iterator");
        const list = listOf(state.target);
        const i = state.index;
        if (2 * i >= list.length) return { value: undefined, done: true };
        state.index = i + 1;
        const name = list[2 * i];
        const value = list[2 * i + 1];
        const result = state.kind === KIND_KEYS ? name : state.kind === KIND_VALUES ? value : [name, value];
        return { value: result, done: false };
      },
      writable: true, enumerable: true, configurable: true,
    },
    [SymbolToStringTag]: { value: 'URLSearchParams Iterator', configurable: true },
  });

  function createIterator(target, kind) {
    listOf(target); // brand check: throws a TypeError for anything but a URLSearchParams
    const iterator = ObjectCreate(IteratorProto);
    WeakMapPrototypeSet(iteratorState, iterator, { target, kind, index: 0 });
    return iterator;
  }

  configureInterface(URLSearchParams);
  ObjectDefineProperty(URLSearchParams.prototype, SymbolIterator, {
    value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
  });
  urlApi.URLSearchParams = URLSearchParams;
  // §5.1 on a string (e.g. a request body; no leading '?' is removed): a flat [name, value, ...] list.
  urlApi.parseUrlencoded = (input) => parseInto([], `${input}`);
};
