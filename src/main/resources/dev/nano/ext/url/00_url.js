// URL (URL Standard §6.1). The parser, host parsing, IDNA and the setters run in Java (UrlOps): a
// URL object keeps the serialized URL and the offsets of its components, and the getters slice
// them out of the string. URLSearchParams (01_url_search_params.js) hooks in through internal.url.

// The classes, built on first use (see the end of the file).
function createApi() {
  const { requiredArguments, toDOMString, configureInterface } = internal.webidl;
  const {
    ObjectDefineProperty, StringPrototypeCharCodeAt, StringPrototypeSlice, TypeError,
  } = internal.primordials;
  // ops.parse/ops.set return the serialized URL and write the offsets of its 8 components into this
  // buffer (int32s, the platform's byte order), read right after the call. Must match UrlOps and
  // UrlRecord.SCHEME_END etc. (Made at bootstrap, before any app code: the global is the original.)
  const offsets = new Int32Array(8);
  const offsetsBuffer = offsets.buffer;

  // Setter ids. Must match UrlOps.SET_*.
  const SET_PROTOCOL = 0;
  const SET_USERNAME = 1;
  const SET_PASSWORD = 2;
  const SET_HOST = 3;
  const SET_HOSTNAME = 4;
  const SET_PORT = 5;
  const SET_PATHNAME = 6;
  const SET_SEARCH = 7;
  const SET_HASH = 8;
  const SET_QUERY_FROM_PARAMS = 9;

  // Passed to the constructor by URL.parse and internal.url.parse: the fields are set afterwards.
  const kParsed = { __proto__: null };

  function invalidURL(input, base) {
    return new TypeError(base === undefined ? `Invalid URL: '${input}'` : `Invalid URL: '${input}' with base '${base}'`);
  }

  // Set by 01_url_search_params.js: creating the URL's query object and replacing its list.
  let newSearchParams;
  let resetSearchParams;
  // Set in the class's static block.
  let setQueryFromParams;
  let isURL;
  let hrefOf;

  class URL {
    #href;
    #schemeEnd; // index of the ':' after the scheme
    #usernameEnd; // === #hostStart when there are no credentials
    #hostStart;
    #hostEnd;
    #portEnd; // === #hostEnd when there is no port
    #pathStart;
    #queryStart; // index of '?', or -1
    #fragmentStart; // index of '#', or -1
    #searchParams = null; // the URLSearchParams, created on first use ([SameObject])

    // new URL() is on the path of every HTTP request: this avoids calls that the common case
    // (string arguments) does not need.
    constructor(url, base = undefined) {
      if (url === kParsed) return;
      if (typeof url !== 'string') {
        if (url === undefined && arguments.length === 0) requiredArguments(0, 1, "Failed to construct 'URL'");
        url = toDOMString(url); // USVString: Java percent-encodes lone surrogates as U+FFFD
      }
      let href;
      if (base === undefined) {
        href = ops.parse(url, null, offsetsBuffer);
      } else {
        if (typeof base !== 'string') base = toDOMString(base);
        href = ops.parse(url, base, offsetsBuffer);
      }
      if (href === null) throw invalidURL(url, base);
      // #update's steps, without the call.
      this.#href = href;
      this.#schemeEnd = offsets[0];
      this.#usernameEnd = offsets[1];
      this.#hostStart = offsets[2];
      this.#hostEnd = offsets[3];
      this.#portEnd = offsets[4];
      this.#pathStart = offsets[5];
      this.#queryStart = offsets[6];
      this.#fragmentStart = offsets[7];
    }

    // Takes the result of an op: the serialized URL, its offsets in `offsets`.
    #update(href) {
      this.#href = href;
      this.#schemeEnd = offsets[0];
      this.#usernameEnd = offsets[1];
      this.#hostStart = offsets[2];
      this.#hostEnd = offsets[3];
      this.#portEnd = offsets[4];
      this.#pathStart = offsets[5];
      this.#queryStart = offsets[6];
      this.#fragmentStart = offsets[7];
    }

    #set(which, value) {
      this.#update(ops.set(this.#href, which, value, offsetsBuffer));
    }

    #pathEnd() {
      if (this.#queryStart >= 0) return this.#queryStart;
      return this.#fragmentStart >= 0 ? this.#fragmentStart : this.#href.length;
    }

    // The query without '?', or null.
    #query() {
      if (this.#queryStart < 0) return null;
      const end = this.#fragmentStart < 0 ? this.#href.length : this.#fragmentStart;
      return StringPrototypeSlice(this.#href, this.#queryStart + 1, end);
    }

    static {
      // For URLSearchParams' update steps (§6.2): replace the query with its serialization.
      setQueryFromParams = (url, serialized) => url.#set(SET_QUERY_FROM_PARAMS, serialized === '' ? null : serialized);
      // Whether v is a URL object, and its href: immune to an app redefining the getters.
      isURL = (v) => v !== null && typeof v === 'object' && #href in v;
      hrefOf = (url) => url.#href;
    }

    get href() {
      return this.#href;
    }

    set href(value) {
      value = toDOMString(value);
      const href = ops.parse(value, null, offsetsBuffer);
      if (href === null) throw invalidURL(value);
      this.#update(href);
      if (this.#searchParams !== null) resetSearchParams(this.#searchParams, this.#query() ?? '');
    }

    // §6.1 origin getter: the ASCII serialization (HTML §7.1.1) of the URL's origin (§4.7).
    get origin() {
      const scheme = StringPrototypeSlice(this.#href, 0, this.#schemeEnd);
      switch (scheme) {
        case 'http': case 'https': case 'ws': case 'wss': case 'ftp':
          return StringPrototypeSlice(this.#href, 0, this.#schemeEnd + 3)
            + StringPrototypeSlice(this.#href, this.#hostStart, this.#portEnd);
        case 'blob': {
          // The origin of the URL that the path serializes, if that is an http(s) URL.
          const href = ops.parse(StringPrototypeSlice(this.#href, this.#pathStart, this.#pathEnd()), null, offsetsBuffer);
          if (href === null) return 'null';
          const inner = new URL(kParsed);
          inner.#update(href);
          const innerScheme = StringPrototypeSlice(inner.#href, 0, inner.#schemeEnd);
          if (innerScheme !== 'http' && innerScheme !== 'https') return 'null';
          return StringPrototypeSlice(inner.#href, 0, inner.#schemeEnd + 3)
            + StringPrototypeSlice(inner.#href, inner.#hostStart, inner.#portEnd);
        }
        default:
          return 'null'; // an opaque origin (file: included, as the spec leaves it to us)
      }
    }

    get protocol() {
      return StringPrototypeSlice(this.#href, 0, this.#schemeEnd + 1);
    }

    set protocol(value) {
      this.#set(SET_PROTOCOL, toDOMString(value));
    }

    get username() {
      if (this.#usernameEnd === this.#hostStart) return '';
      return StringPrototypeSlice(this.#href, this.#schemeEnd + 3, this.#usernameEnd);
    }

    set username(value) {
      this.#set(SET_USERNAME, toDOMString(value));
    }

    get password() {
      const end = this.#usernameEnd;
      if (end === this.#hostStart || StringPrototypeCharCodeAt(this.#href, end) !== 0x3a) return '';
      return StringPrototypeSlice(this.#href, end + 1, this.#hostStart - 1);
    }

    set password(value) {
      this.#set(SET_PASSWORD, toDOMString(value));
    }

    get host() {
      return StringPrototypeSlice(this.#href, this.#hostStart, this.#portEnd);
    }

    set host(value) {
      this.#set(SET_HOST, toDOMString(value));
    }

    get hostname() {
      return StringPrototypeSlice(this.#href, this.#hostStart, this.#hostEnd);
    }

    set hostname(value) {
      this.#set(SET_HOSTNAME, toDOMString(value));
    }

    get port() {
      return this.#portEnd === this.#hostEnd ? '' : StringPrototypeSlice(this.#href, this.#hostEnd + 1, this.#portEnd);
    }

    set port(value) {
      this.#set(SET_PORT, toDOMString(value));
    }

    get pathname() {
      return StringPrototypeSlice(this.#href, this.#pathStart, this.#pathEnd());
    }

    set pathname(value) {
      this.#set(SET_PATHNAME, toDOMString(value));
    }

    get search() {
      if (this.#queryStart < 0) return '';
      const end = this.#fragmentStart < 0 ? this.#href.length : this.#fragmentStart;
      return end - this.#queryStart <= 1 ? '' : StringPrototypeSlice(this.#href, this.#queryStart, end);
    }

    set search(value) {
      this.#set(SET_SEARCH, toDOMString(value));
      if (this.#searchParams !== null) resetSearchParams(this.#searchParams, this.#query() ?? '');
    }

    get searchParams() {
      if (this.#searchParams === null) this.#searchParams = newSearchParams(this, this.#query() ?? '');
      return this.#searchParams;
    }

    get hash() {
      const start = this.#fragmentStart;
      if (start < 0 || start === this.#href.length - 1) return '';
      return StringPrototypeSlice(this.#href, start);
    }

    set hash(value) {
      this.#set(SET_HASH, toDOMString(value));
    }

    toJSON() {
      return this.#href;
    }

    toString() {
      return this.#href;
    }

    static parse(url, base = undefined) {
      if (typeof url !== 'string') {
        if (url === undefined && arguments.length === 0) requiredArguments(0, 1, "Failed to execute 'parse' on 'URL'");
        url = toDOMString(url);
      }
      if (base !== undefined && typeof base !== 'string') base = toDOMString(base);
      const href = ops.parse(url, base === undefined ? null : base, offsetsBuffer);
      if (href === null) return null;
      const result = new URL(kParsed);
      result.#update(href);
      return result;
    }

    static canParse(url, base = undefined) {
      if (typeof url !== 'string') {
        if (url === undefined && arguments.length === 0) requiredArguments(0, 1, "Failed to execute 'canParse' on 'URL'");
        url = toDOMString(url);
      }
      if (base !== undefined && typeof base !== 'string') base = toDOMString(base);
      return ops.href(url, base === undefined ? null : base) !== null;
    }

    // File API §8.3: the blob URL store lives with Blob (fetch/01_blob.js), which loads later.
    static createObjectURL(obj) {
      requiredArguments(arguments.length, 1, "Failed to execute 'createObjectURL' on 'URL'");
      return internal.fetch.createObjectURL(obj);
    }

    static revokeObjectURL(url) {
      requiredArguments(arguments.length, 1, "Failed to execute 'revokeObjectURL' on 'URL'");
      internal.fetch.revokeObjectURL(toDOMString(url));
    }
  }

  configureInterface(URL);
  // Static operations are enumerable too (WebIDL §3.7.7).
  // (Built on first use, when an app may have replaced built-ins: no iterators, no inherited members.)
  const statics = ['parse', 'canParse', 'createObjectURL', 'revokeObjectURL'];
  for (let i = 0; i < statics.length; i++) ObjectDefineProperty(URL, statics[i], { __proto__: null, enumerable: true });

  const api = {
    __proto__: null, URL, isURL, hrefOf, setQueryFromParams,
    connectSearchParams(create, reset) {
      newSearchParams = create;
      resetSearchParams = reset;
    },
  };
  internal.url.createSearchParams(api); // 01_url_search_params.js: adds URLSearchParams
  return api;
}

// URL and URLSearchParams are built on the first use of either (internal.exposeLazily): most
// requests never make a URL object. Until then no URL or URLSearchParams exists, so the checks
// below answer false without building anything.
let built = null;
const api = internal.exposeLazily(['URL', 'URLSearchParams'], () => (built = createApi()));

// Hooks for NANO's own code (fetch, the HTTP server): parsing without exceptions.
internal.url = {
  __proto__: null,
  // { URL, URLSearchParams, isURL, hrefOf, ... }, built now if need be
  api,
  // A URL object for input against base (a string or undefined), or null for failure.
  parse: (input, base) => api().URL.parse(input, base),
  // The serialized URL for input against base, or null for failure: no URL object is created.
  parseHref: (input, base) => ops.href(`${input}`, base === undefined || base === null ? null : `${base}`),
  isURL: (v) => built !== null && built.isURL(v),
  hrefOf: (url) => built.hrefOf(url),
  isURLSearchParams: (v) => built !== null && built.isURLSearchParams(v),
  serializeSearchParams: (params) => built.serializeSearchParams(params),
  parseUrlencoded: (input) => api().parseUrlencoded(input),
};
