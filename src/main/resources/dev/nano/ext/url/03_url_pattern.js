// URLPattern (URL Pattern Standard §1). The pattern syntax is in 02_url_pattern_parser.js; here are
// the canonicalize-* callbacks (§4.3, run through NANO's URL class and its setters), URLPatternInit
// processing (§4.4), the eight compiled components and matching (§1.4).
const { uncurryThis } = internal.primordials;
// Taken at bootstrap, before app code can replace them.
const SafeRegExp = RegExp;
const NumberPrototypeToString = uncurryThis(Number.prototype.toString);

// Built on first use of the global (ARCHITECTURE.md "Keeping a context small").
function createApi() {
  const { toUSVString, configureInterface } = internal.webidl;
  const {
    RegExpPrototypeExec, StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice,
    StringPrototypeToLowerCase, StringPrototypeToUpperCase, TypeError, JSONStringify,
  } = internal.primordials;
  const {
    DEFAULT_OPTIONS, HOSTNAME_OPTIONS, PATHNAME_OPTIONS, PART_REGEXP, FULL_WILDCARD, NONE,
    parsePatternString, generateRegExp, generatePatternString, parseConstructorString, escapePatternString,
  } = internal.urlPatternSyntax();
  const { URL } = internal.url.api();

  const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
  const DEFAULT_PORTS = { __proto__: null, ftp: '21', file: '', http: '80', https: '443', ws: '80', wss: '443' };
  const SPECIAL_SCHEMES = ['ftp', 'file', 'http', 'https', 'ws', 'wss'];
  const isSpecialScheme = (s) => DEFAULT_PORTS[s] !== undefined;

  // A URL to run one setter on: the setters are the URL parser with a state override, which is what
  // the canonicalize-* steps run on their dummy URL. A fresh URL each time: app code never sees it.
  const dummy = (href = 'nano-pattern://dummy.test/') => new URL(href);

  // §4.3 canonicalize a protocol.
  function canonicalizeProtocol(value) {
    if (value === '') return value;
    const url = internal.url.parse(`${value}://dummy.test`);
    if (url === null) throw new TypeError(`Invalid protocol '${value}' in URL pattern`);
    return StringPrototypeSlice(url.protocol, 0, -1);
  }

  function canonicalizeUsername(value) {
    if (value === '') return value;
    const url = dummy();
    url.username = value;
    return url.username;
  }

  function canonicalizePassword(value) {
    if (value === '') return value;
    const url = dummy();
    url.password = value;
    return url.password;
  }

  // §4.3 canonicalize a hostname: the host parser run by the hostname setter. A failed parse leaves
  // a URL unchanged, so the value goes to two URLs with different hosts: they agree only on success.
  // Hosts are parsed as for a special URL (IDNA, lowercase), as browsers and Deno do, unless the
  // the protocol is known and non-special (opaque hosts).
  // A backslash fails, as for an opaque host: a special URL's parser would end the host there.
  function canonicalizeHostname(value, protocol) {
    if (value === '') return value;
    const special = protocol === undefined || protocol === '' || isSpecialScheme(protocol);
    if (special && StringPrototypeIndexOf(value, '\\') >= 0) throw new TypeError(`Invalid hostname '${value}' in URL pattern`);
    const a = dummy(special ? 'http://a.invalid/' : 'nano-pattern://a.invalid/');
    const b = dummy(special ? 'http://b.invalid/' : 'nano-pattern://b.invalid/');
    a.hostname = value;
    b.hostname = value;
    if (a.hostname !== b.hostname) throw new TypeError(`Invalid hostname '${value}' in URL pattern`);
    return a.hostname;
  }

  // §4.3 canonicalize an IPv6 hostname: only hex digits, ':' and brackets, lowercased.
  function canonicalizeIPv6Hostname(value) {
    for (let i = 0; i < value.length; i++) {
      const c = StringPrototypeCharCodeAt(value, i);
      const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        || c === 0x5b || c === 0x5d || c === 0x3a;
      if (!ok) throw new TypeError(`Invalid IPv6 hostname '${value}' in URL pattern`);
    }
    return StringPrototypeToLowerCase(value);
  }

  // §4.3 canonicalize a port: the URL parser's port state with a state override reads leading
  // digits (tabs and newlines removed) and fails when there are none or the number exceeds 65535.
  function canonicalizePort(value, protocol) {
    if (value === '') return value;
    let digits = '';
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (c === '\t' || c === '\n' || c === '\r') continue;
      if (c < '0' || c > '9') break;
      digits += c;
    }
    const port = digits === '' ? NaN : +digits;
    if (!(port <= 65535)) throw new TypeError(`Invalid port '${value}' in URL pattern`);
    const result = `${port}`;
    return protocol !== undefined && DEFAULT_PORTS[protocol] === result ? '' : result;
  }

  // §4.3 canonicalize a pathname: relative values get a '/-' to parse against, removed afterwards.
  function canonicalizePathname(value) {
    if (value === '') return value;
    const leadingSlash = value[0] === '/';
    const url = dummy();
    url.pathname = leadingSlash ? value : `/-${value}`;
    const result = url.pathname;
    return leadingSlash ? result : StringPrototypeSlice(result, 2);
  }

  // §4.3 canonicalize an opaque pathname: the path of 'scheme:-value', without its '-'. Parsing a
  // whole URL trims trailing C0 controls and spaces, which the spec's opaque path state keeps (spaces
  // as they are, controls percent-encoded): they are put back.
  function canonicalizeOpaquePathname(value) {
    if (value === '') return value;
    let end = value.length;
    while (end > 0 && StringPrototypeCharCodeAt(value, end - 1) <= 0x20) end--;
    const url = internal.url.parse(`nano-pattern:-${StringPrototypeSlice(value, 0, end)}`);
    if (url === null) throw new TypeError(`Invalid pathname '${value}' in URL pattern`);
    let result = StringPrototypeSlice(url.pathname, 1);
    for (let i = end; i < value.length; i++) {
      const c = StringPrototypeCharCodeAt(value, i);
      result += c === 0x20 ? ' ' : `%${c < 0x10 ? '0' : ''}${StringPrototypeToUpperCase(NumberPrototypeToString(c, 16))}`;
    }
    return result;
  }

  // §4.3 canonicalize a search / a hash. The setters drop one leading '?' / '#', hence the extra one.
  function canonicalizeSearch(value) {
    if (value === '') return value;
    const url = dummy();
    url.search = `?${value}`;
    return StringPrototypeSlice(url.search, 1);
  }

  function canonicalizeHash(value) {
    if (value === '') return value;
    const url = dummy();
    url.hash = `#${value}`;
    return StringPrototypeSlice(url.hash, 1);
  }

  // §1.4 hostname pattern is an IPv6 address.
  function isIPv6HostnamePattern(value) {
    if (value.length < 2) return false;
    return value[0] === '[' || ((value[0] === '{' || value[0] === '\\') && value[1] === '[');
  }

  // §1.4 compile a component.
  function compileComponent(input, encode, options) {
    const parts = parsePatternString(input, options, encode);
    const { source, names } = generateRegExp(parts, options);
    let regexp;
    try {
      regexp = new SafeRegExp(source, options.ignoreCase ? 'vi' : 'v');
    } catch (e) {
      throw new TypeError(`Invalid URL pattern ${JSONStringify(input)}: ${e.message}`);
    }
    let hasRegExpGroups = false;
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].type === PART_REGEXP) hasRegExpGroups = true;
    }
    // A lone '*' (regexp ^(.*)$) matches every value without a line terminator: exec skips the regexp.
    const part = parts[0];
    const matchesAll = parts.length === 1 && part.type === FULL_WILDCARD && part.modifier === NONE
      && part.prefix === '' && part.suffix === '';
    return { pattern: generatePatternString(parts, options), regexp, names, hasRegExpGroups, matchesAll };
  }

  // What '.' does not match without the 's' flag. Canonical URL components never hold one.
  const hasLineTerminator = (s) => s !== '' && (StringPrototypeIndexOf(s, '\n') >= 0 || StringPrototypeIndexOf(s, '\r') >= 0
    || StringPrototypeIndexOf(s, '\u2028') >= 0 || StringPrototypeIndexOf(s, '\u2029') >= 0);

  function matchesSpecialScheme(component) {
    for (let i = 0; i < SPECIAL_SCHEMES.length; i++) {
      if (RegExpPrototypeExec(component.regexp, SPECIAL_SCHEMES[i]) !== null) return true;
    }
    return false;
  }

  const protocolPatternIsSpecial = (protocol) =>
    matchesSpecialScheme(compileComponent(protocol, canonicalizeProtocol, DEFAULT_OPTIONS));

  // WebIDL conversion of a URLPatternInit dictionary: its members in lexicographic order.
  const RESULT_MEMBERS = ['hash', 'hostname', 'inputs', 'password', 'pathname', 'port', 'protocol', 'search', 'username'];
  const INIT_MEMBERS = ['baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'username'];
  function toURLPatternInit(value) {
    const init = { __proto__: null };
    if (value === undefined || value === null) return init;
    if (typeof value !== 'object' && typeof value !== 'function') {
      throw new TypeError('URLPatternInit must be an object');
    }
    for (let i = 0; i < INIT_MEMBERS.length; i++) {
      const v = value[INIT_MEMBERS[i]];
      if (v !== undefined) init[INIT_MEMBERS[i]] = toUSVString(v);
    }
    return init;
  }

  const isDictionaryInput = (v) => v === undefined || v === null || typeof v === 'object' || typeof v === 'function';

  // §4.4 process a URLPatternInit. type is 'pattern' (values stay patterns, escaped when taken from
  // the base URL) or 'url' (values are canonicalized). defaults fills the members init leaves out.
  function processInit(init, type, defaults) {
    const result = { __proto__: null };
    if (defaults !== null) {
      for (let i = 0; i < COMPONENTS.length; i++) result[COMPONENTS[i]] = defaults;
    }
    const fromBase = (s) => (type === 'pattern' ? escapePatternString(s) : s);
    const has = (k) => init[k] !== undefined;
    let baseURL = null;
    if (has('baseURL')) {
      baseURL = internal.url.parse(init.baseURL);
      if (baseURL === null) throw new TypeError(`Invalid baseURL '${init.baseURL}'`);
      if (!has('protocol')) result.protocol = fromBase(StringPrototypeSlice(baseURL.protocol, 0, -1));
      if (type !== 'pattern' && !has('protocol') && !has('hostname') && !has('port') && !has('username')) {
        result.username = fromBase(baseURL.username);
      }
      if (type !== 'pattern' && !has('protocol') && !has('hostname') && !has('port') && !has('username')
          && !has('password')) {
        result.password = fromBase(baseURL.password);
      }
      if (!has('protocol') && !has('hostname')) result.hostname = fromBase(baseURL.hostname);
      if (!has('protocol') && !has('hostname') && !has('port')) result.port = baseURL.port;
      if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname')) {
        result.pathname = fromBase(baseURL.pathname);
      }
      if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname') && !has('search')) {
        result.search = fromBase(queryOf(baseURL));
      }
      if (!has('protocol') && !has('hostname') && !has('port') && !has('pathname') && !has('search')
          && !has('hash')) {
        result.hash = fromBase(fragmentOf(baseURL));
      }
    }
    if (has('protocol')) {
      const stripped = init.protocol[init.protocol.length - 1] === ':' ? StringPrototypeSlice(init.protocol, 0, -1) : init.protocol;
      result.protocol = type === 'pattern' ? stripped : canonicalizeProtocol(stripped);
    }
    if (has('username')) result.username = type === 'pattern' ? init.username : canonicalizeUsername(init.username);
    if (has('password')) result.password = type === 'pattern' ? init.password : canonicalizePassword(init.password);
    if (has('hostname')) {
      result.hostname = type === 'pattern' ? init.hostname : canonicalizeHostname(init.hostname, result.protocol);
    }
    if (has('port')) result.port = type === 'pattern' ? init.port : canonicalizePort(init.port, result.protocol);
    if (has('pathname')) {
      let pathname = init.pathname;
      if (baseURL !== null && !hasOpaquePath(baseURL) && !isAbsolutePathname(pathname, type)) {
        const basePath = fromBase(baseURL.pathname);
        const slash = lastIndexOfSlash(basePath);
        if (slash >= 0) pathname = StringPrototypeSlice(basePath, 0, slash + 1) + pathname;
      }
      if (type !== 'pattern') {
        const protocol = result.protocol;
        pathname = protocol === undefined || protocol === '' || isSpecialScheme(protocol)
          ? canonicalizePathname(pathname) : canonicalizeOpaquePathname(pathname);
      }
      result.pathname = pathname;
    }
    if (has('search')) {
      const stripped = init.search[0] === '?' ? StringPrototypeSlice(init.search, 1) : init.search;
      result.search = type === 'pattern' ? stripped : canonicalizeSearch(stripped);
    }
    if (has('hash')) {
      const stripped = init.hash[0] === '#' ? StringPrototypeSlice(init.hash, 1) : init.hash;
      result.hash = type === 'pattern' ? stripped : canonicalizeHash(stripped);
    }
    return result;
  }

  function lastIndexOfSlash(s) {
    for (let i = s.length - 1; i >= 0; i--) if (s[i] === '/') return i;
    return -1;
  }

  // A URL has an opaque path when its path does not start with '/' ('mailto:x', 'data:...').
  // (An empty path after '//' is not opaque: 'foo://host'.)
  function hasOpaquePath(url) {
    if (url.pathname[0] === '/') return false;
    const afterScheme = url.protocol.length;
    return StringPrototypeSlice(internal.url.hrefOf(url), afterScheme, afterScheme + 2) !== '//';
  }

  // The query / fragment without '?' / '#', '' when absent (the getters also give '' for an empty one).
  const queryOf = (url) => StringPrototypeSlice(url.search, 1);
  const fragmentOf = (url) => StringPrototypeSlice(url.hash, 1);

  // §4.4 is an absolute pathname.
  function isAbsolutePathname(input, type) {
    if (input === '') return false;
    if (input[0] === '/') return true;
    if (type === 'url' || input.length < 2) return false;
    return (input[0] === '\\' || input[0] === '{') && input[1] === '/';
  }

  class URLPattern {
    #components;
    #hasRegExpGroups;

    // WebIDL overloads: (input, baseURL, options) and (input = {}, options = {}). With two
    // arguments the second decides: a string is a baseURL, undefined/null/an object the options.
    constructor(input = undefined, baseURL = undefined, options = undefined) {
      let base = null;
      if (arguments.length >= 3 || (arguments.length === 2 && !isDictionaryInput(baseURL))) {
        base = toUSVString(baseURL);
      } else {
        options = baseURL;
      }
      if (!isDictionaryInput(options)) throw new TypeError('URLPatternOptions must be an object');
      const ignoreCase = options === undefined || options === null ? false : !!options.ignoreCase;
      let init;
      if (isDictionaryInput(input)) {
        init = toURLPatternInit(input);
        if (base !== null) throw new TypeError('A baseURL is not allowed with a URLPatternInit input; use its baseURL member');
      } else {
        const string = toUSVString(input);
        init = parseConstructorString(string, protocolPatternIsSpecial);
        if (base === null && init.protocol === undefined) {
          throw new TypeError(`Relative URL pattern ${JSONStringify(string)} needs a baseURL`);
        }
        if (base !== null) init.baseURL = base;
      }
      const processed = processInit(init, 'pattern', null);
      for (let i = 0; i < COMPONENTS.length; i++) {
        if (processed[COMPONENTS[i]] === undefined) processed[COMPONENTS[i]] = '*';
      }
      if (isSpecialScheme(processed.protocol) && processed.port === DEFAULT_PORTS[processed.protocol]) processed.port = '';
      const c = { __proto__: null };
      c.protocol = compileComponent(processed.protocol, canonicalizeProtocol, DEFAULT_OPTIONS);
      c.username = compileComponent(processed.username, canonicalizeUsername, DEFAULT_OPTIONS);
      c.password = compileComponent(processed.password, canonicalizePassword, DEFAULT_OPTIONS);
      c.hostname = isIPv6HostnamePattern(processed.hostname)
        ? compileComponent(processed.hostname, canonicalizeIPv6Hostname, HOSTNAME_OPTIONS)
        : compileComponent(processed.hostname, canonicalizeHostname, HOSTNAME_OPTIONS);
      c.port = compileComponent(processed.port, canonicalizePort, DEFAULT_OPTIONS);
      const options_ = { __proto__: DEFAULT_OPTIONS, ignoreCase };
      c.pathname = matchesSpecialScheme(c.protocol)
        ? compileComponent(processed.pathname, canonicalizePathname, { __proto__: PATHNAME_OPTIONS, ignoreCase })
        : compileComponent(processed.pathname, canonicalizeOpaquePathname, options_);
      c.search = compileComponent(processed.search, canonicalizeSearch, options_);
      c.hash = compileComponent(processed.hash, canonicalizeHash, options_);
      this.#components = c;
      let groups = false;
      for (let i = 0; i < COMPONENTS.length; i++) if (c[COMPONENTS[i]].hasRegExpGroups) groups = true;
      this.#hasRegExpGroups = groups;
    }

    test(input = undefined, baseURL = undefined) {
      return this.#match(input, baseURL, arguments.length >= 2) !== null;
    }

    exec(input = undefined, baseURL = undefined) {
      return this.#match(input, baseURL, arguments.length >= 2);
    }

    // §1.4 match: the component values of input, each run through its component's regexp.
    #match(input, baseURL, baseGiven) {
      const components = this.#components;
      let base;
      if (baseGiven && baseURL !== undefined) base = toUSVString(baseURL);
      let values;
      let inputs;
      if (isDictionaryInput(input)) {
        const init = toURLPatternInit(input);
        if (base !== undefined) throw new TypeError('A baseURL is not allowed with a URLPatternInit input; use its baseURL member');
        inputs = [initToDictionary(init)];
        try {
          values = processInit(init, 'url', '');
        } catch {
          return null; // an input that is not a valid URL matches nothing
        }
      } else {
        const string = toUSVString(input);
        inputs = base === undefined ? [string] : [string, base];
        const url = internal.url.parse(string, base);
        if (url === null) return null;
        values = {
          __proto__: null,
          protocol: StringPrototypeSlice(url.protocol, 0, -1),
          username: url.username,
          password: url.password,
          hostname: url.hostname,
          port: url.port,
          pathname: url.pathname,
          search: queryOf(url),
          hash: fragmentOf(url),
        };
      }
      const execs = { __proto__: null };
      for (let i = 0; i < COMPONENTS.length; i++) {
        const name = COMPONENTS[i];
        const component = components[name];
        const value = values[name];
        const m = component.matchesAll && !hasLineTerminator(value) ? [value, value]
          : RegExpPrototypeExec(component.regexp, value);
        if (m === null) return null;
        execs[name] = m;
      }
      // A dictionary's members appear in lexicographic order (WebIDL §3.2.20).
      const result = {};
      for (let i = 0; i < RESULT_MEMBERS.length; i++) {
        const name = RESULT_MEMBERS[i];
        if (name === 'inputs') {
          result.inputs = inputs;
          continue;
        }
        const groups = {};
        const m = execs[name];
        const names = components[name].names;
        for (let g = 1; g < m.length; g++) groups[names[g - 1]] = m[g];
        result[name] = { groups, input: values[name] };
      }
      return result;
    }

    get protocol() { return this.#components.protocol.pattern; }

    get username() { return this.#components.username.pattern; }

    get password() { return this.#components.password.pattern; }

    get hostname() { return this.#components.hostname.pattern; }

    get port() { return this.#components.port.pattern; }

    get pathname() { return this.#components.pathname.pattern; }

    get search() { return this.#components.search.pattern; }

    get hash() { return this.#components.hash.pattern; }

    get hasRegExpGroups() { return this.#hasRegExpGroups; }
  }

  // A converted URLPatternInit as an ordinary object (the exec result's inputs entry).
  function initToDictionary(init) {
    const dict = {};
    for (let i = 0; i < INIT_MEMBERS.length; i++) {
      const k = INIT_MEMBERS[i];
      if (init[k] !== undefined) dict[k] = init[k];
    }
    return dict;
  }

  configureInterface(URLPattern);
  return { URLPattern };
}

internal.exposeLazily(['URLPattern'], createApi);
