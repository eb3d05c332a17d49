// URL Pattern Standard: the pattern syntax. The tokenizer (§2.1), the pattern parser (§2.2) into a
// part list, the regular expression and pattern string generated from a part list (§2.3-2.4), and
// the constructor string parser (§3.1) that splits 'https://*.example.com/:id' into components.
// URLPattern itself (03_url_pattern.js) adds canonicalization and matching.
// Positions are code point indexes, as in the spec: inputs are split into code points first.

// Built on first use, with URLPattern (03_url_pattern.js): ~8 KB per context that most apps never need.
function createSyntax() {
  const {
    ArrayPrototypeJoin, ArrayPrototypePush, ArrayPrototypeSlice, RegExpPrototypeExec,
    StringPrototypeCodePointAt, StringPrototypeIndexOf, TypeError, JSONStringify,
  } = internal.primordials;

  // Splits a string into its code points (lone surrogates stay single units), without the string
  // iterator that app code could replace.
  function codePoints(input) {
    const list = [];
    for (let i = 0; i < input.length;) {
      const cp = StringPrototypeCodePointAt(input, i);
      const n = cp > 0xffff ? 2 : 1;
      ArrayPrototypePush(list, n === 2 ? input[i] + input[i + 1] : input[i]);
      i += n;
    }
    return list;
  }

  const ID_START = /^[\p{ID_Start}$_]$/u;
  const ID_CONTINUE = /^[\p{ID_Continue}$\u200C\u200D]$/u;

  // §2.1.2 is a valid name code point.
  function isValidNameCodePoint(cp, first) {
    return RegExpPrototypeExec(first ? ID_START : ID_CONTINUE, cp) !== null;
  }

  const isASCII = (cp) => StringPrototypeCodePointAt(cp, 0) <= 0x7f;

  // §2.1.1 token types.
  const OPEN = 'open';
  const CLOSE = 'close';
  const REGEXP = 'regexp';
  const NAME = 'name';
  const CHAR = 'char';
  const ESCAPED_CHAR = 'escaped-char';
  const OTHER_MODIFIER = 'other-modifier';
  const ASTERISK = 'asterisk';
  const END = 'end';
  const INVALID_CHAR = 'invalid-char';

  // §2.1.2 tokenize. policy 'strict' throws on the first error; 'lenient' (used by the constructor
  // string parser, which only splits components) records an invalid-char token instead.
  function tokenize(input, policy) {
    const cps = codePoints(input);
    const length = cps.length;
    const tokens = [];
    let index = 0;

    const add = (type, next, valueStart, valueLength = next - valueStart) => {
      ArrayPrototypePush(tokens, {
        type, index, value: ArrayPrototypeJoin(ArrayPrototypeSlice(cps, valueStart, valueStart + valueLength), ''),
      });
      index = next;
    };
    const error = (next, valueStart, what) => {
      if (policy === 'strict') {
        throw new TypeError(`Invalid URL pattern ${JSONStringify(input)}: ${what} at index ${valueStart}`);
      }
      add(INVALID_CHAR, next, valueStart);
    };

    while (index < length) {
      const cp = cps[index];
      if (cp === '*') { add(ASTERISK, index + 1, index); continue; }
      if (cp === '+' || cp === '?') { add(OTHER_MODIFIER, index + 1, index); continue; }
      if (cp === '\\') {
        if (index === length - 1) { error(index + 1, index, 'trailing escape character \'\\\''); continue; }
        add(ESCAPED_CHAR, index + 2, index + 1);
        continue;
      }
      if (cp === '{') { add(OPEN, index + 1, index); continue; }
      if (cp === '}') { add(CLOSE, index + 1, index); continue; }
      if (cp === ':') {
        let pos = index + 1;
        const nameStart = pos;
        while (pos < length && isValidNameCodePoint(cps[pos], pos === nameStart)) pos++;
        if (pos <= nameStart) { error(nameStart, index, 'missing or invalid group name after \':\''); continue; }
        add(NAME, pos, nameStart);
        continue;
      }
      if (cp === '(') {
        let depth = 1;
        let pos = index + 1;
        const regexpStart = pos;
        let failed = null;
        while (pos < length) {
          const c = cps[pos];
          if (!isASCII(c)) { failed = `non-ASCII character '${c}' in regexp group`; break; }
          if (pos === regexpStart && c === '?') { failed = 'regexp group starting with \'?\''; break; }
          if (c === '\\') {
            if (pos === length - 1) { failed = 'trailing escape character in regexp group'; break; }
            if (!isASCII(cps[pos + 1])) { failed = `non-ASCII character '${cps[pos + 1]}' in regexp group`; break; }
            pos += 2;
            continue;
          }
          if (c === ')') {
            depth--;
            if (depth === 0) { pos++; break; }
          } else if (c === '(') {
            depth++;
            if (pos === length - 1) { failed = 'unbalanced \'(\' in regexp group'; break; }
            // Nested groups must be non-capturing ('(?:', '(?=', ...): capturing ones would shift the group names.
            if (cps[pos + 1] !== '?') { failed = 'capturing group inside a regexp group (use \'(?:\')'; break; }
          }
          pos++;
        }
        if (failed !== null) { error(regexpStart, index, failed); continue; }
        if (depth !== 0) { error(regexpStart, index, 'unbalanced \'(\''); continue; }
        const regexpLength = pos - regexpStart - 1;
        if (regexpLength === 0) { error(regexpStart, index, 'empty regexp group \'()\''); continue; }
        add(REGEXP, pos, regexpStart, regexpLength);
        continue;
      }
      add(CHAR, index + 1, index);
    }
    add(END, index, index);
    return tokens;
  }

  // §2.2 part types and modifiers.
  const FIXED_TEXT = 'fixed-text';
  const SEGMENT_WILDCARD = 'segment-wildcard';
  const FULL_WILDCARD = 'full-wildcard';
  const PART_REGEXP = 'regexp';
  const NONE = '';
  const OPTIONAL = '?';
  const ZERO_OR_MORE = '*';
  const ONE_OR_MORE = '+';
  const FULL_WILDCARD_REGEXP = '.*';

  // §2.4 options: the component's segment delimiter and the prefix that a group absorbs.
  const DEFAULT_OPTIONS = { __proto__: null, delimiter: '', prefix: '', ignoreCase: false };
  const HOSTNAME_OPTIONS = { __proto__: null, delimiter: '.', prefix: '', ignoreCase: false };
  const PATHNAME_OPTIONS = { __proto__: null, delimiter: '/', prefix: '/', ignoreCase: false };

  // Puts a backslash before each of input's characters that is in special.
  function escapeChars(input, special) {
    let result = '';
    for (let i = 0; i < input.length; i++) {
      const c = input[i];
      if (StringPrototypeIndexOf(special, c) >= 0) result += '\\';
      result += c;
    }
    return result;
  }

  // §2.3 escape a regexp string; §2.4 escape a pattern string.
  const escapeRegExpString = (input) => escapeChars(input, '.+*?^${}()[]|/\\');
  const escapePatternString = (input) => escapeChars(input, '+*?:{}()\\');

  const segmentWildcardRegExp = (options) => `[^${escapeRegExpString(options.delimiter)}]+?`;

  // §2.2 parse a pattern string into a part list. encode canonicalizes fixed text, prefixes and
  // suffixes for the component (and throws TypeError for text the component cannot hold).
  function parsePatternString(input, options, encode) {
    const tokens = tokenize(input, 'strict');
    const segmentWildcard = segmentWildcardRegExp(options);
    const parts = [];
    const names = [];
    let pendingFixed = '';
    let index = 0;
    let nextNumericName = 0;

    const tryConsume = (type) => {
      const token = tokens[index];
      if (token.type !== type) return null;
      index++;
      return token;
    };
    const tryConsumeModifier = () => tryConsume(OTHER_MODIFIER) ?? tryConsume(ASTERISK);
    const tryConsumeRegExpOrWildcard = (nameToken) => {
      const token = tryConsume(REGEXP);
      return nameToken === null && token === null ? tryConsume(ASTERISK) : token;
    };
    const consumeText = () => {
      let result = '';
      for (;;) {
        const token = tryConsume(CHAR) ?? tryConsume(ESCAPED_CHAR);
        if (token === null) return result;
        result += token.value;
      }
    };
    const consumeRequired = (type) => {
      const token = tryConsume(type);
      if (token === null) {
        const found = tokens[index];
        const what = found.type === END ? 'end of pattern' : `'${found.value}'`;
        throw new TypeError(`Invalid URL pattern ${JSONStringify(input)}: expected ${type === END ? 'end of pattern' : `'}'`}`
          + ` but found ${what} at index ${found.index}`);
      }
      return token;
    };
    const flushPendingFixed = () => {
      if (pendingFixed === '') return;
      const encoded = encode(pendingFixed);
      pendingFixed = '';
      ArrayPrototypePush(parts, { type: FIXED_TEXT, value: encoded, modifier: NONE, name: '', prefix: '', suffix: '' });
    };
    const addPart = (prefix, nameToken, regexpOrWildcard, suffix, modifierToken) => {
      const modifier = modifierToken === null ? NONE : modifierToken.value;
      if (nameToken === null && regexpOrWildcard === null && modifier === NONE) {
        pendingFixed += prefix;
        return;
      }
      flushPendingFixed();
      if (nameToken === null && regexpOrWildcard === null) {
        if (prefix === '') return;
        ArrayPrototypePush(parts, { type: FIXED_TEXT, value: encode(prefix), modifier, name: '', prefix: '', suffix: '' });
        return;
      }
      let regexpValue;
      if (regexpOrWildcard === null) regexpValue = segmentWildcard;
      else if (regexpOrWildcard.type === ASTERISK) regexpValue = FULL_WILDCARD_REGEXP;
      else regexpValue = regexpOrWildcard.value;
      let type = PART_REGEXP;
      if (regexpValue === segmentWildcard) {
        type = SEGMENT_WILDCARD;
        regexpValue = '';
      } else if (regexpValue === FULL_WILDCARD_REGEXP) {
        type = FULL_WILDCARD;
        regexpValue = '';
      }
      let name;
      if (nameToken !== null) name = nameToken.value;
      else name = `${nextNumericName++}`;
      for (let i = 0; i < names.length; i++) {
        if (names[i] === name) {
          throw new TypeError(`Invalid URL pattern ${JSONStringify(input)}: duplicate group name '${name}'`
            + (nameToken === null ? '' : ` at index ${nameToken.index}`));
        }
      }
      ArrayPrototypePush(names, name);
      ArrayPrototypePush(parts, {
        type, value: regexpValue, modifier, name, prefix: encode(prefix), suffix: encode(suffix),
      });
    };

    while (index < tokens.length) {
      const charToken = tryConsume(CHAR);
      let nameToken = tryConsume(NAME);
      let regexpOrWildcard = tryConsumeRegExpOrWildcard(nameToken);
      if (nameToken !== null || regexpOrWildcard !== null) {
        let prefix = charToken === null ? '' : charToken.value;
        if (prefix !== '' && prefix !== options.prefix) {
          pendingFixed += prefix;
          prefix = '';
        }
        flushPendingFixed();
        addPart(prefix, nameToken, regexpOrWildcard, '', tryConsumeModifier());
        continue;
      }
      const fixedToken = charToken ?? tryConsume(ESCAPED_CHAR);
      if (fixedToken !== null) {
        pendingFixed += fixedToken.value;
        continue;
      }
      if (tryConsume(OPEN) !== null) {
        const prefix = consumeText();
        nameToken = tryConsume(NAME);
        regexpOrWildcard = tryConsumeRegExpOrWildcard(nameToken);
        const suffix = consumeText();
        consumeRequired(CLOSE);
        addPart(prefix, nameToken, regexpOrWildcard, suffix, tryConsumeModifier());
        continue;
      }
      flushPendingFixed();
      consumeRequired(END);
    }
    return parts;
  }

  // §2.3 generate a regular expression and name list.
  function generateRegExp(parts, options) {
    let result = '^';
    const names = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.type === FIXED_TEXT) {
        if (part.modifier === NONE) result += escapeRegExpString(part.value);
        else result += `(?:${escapeRegExpString(part.value)})${part.modifier}`;
        continue;
      }
      ArrayPrototypePush(names, part.name);
      let value = part.value;
      if (part.type === SEGMENT_WILDCARD) value = segmentWildcardRegExp(options);
      else if (part.type === FULL_WILDCARD) value = FULL_WILDCARD_REGEXP;
      if (part.prefix === '' && part.suffix === '') {
        if (part.modifier === NONE || part.modifier === OPTIONAL) result += `(${value})${part.modifier}`;
        else result += `((?:${value})${part.modifier})`;
        continue;
      }
      const prefix = escapeRegExpString(part.prefix);
      const suffix = escapeRegExpString(part.suffix);
      if (part.modifier === NONE || part.modifier === OPTIONAL) {
        result += `(?:${prefix}(${value})${suffix})${part.modifier}`;
        continue;
      }
      result += `(?:${prefix}((?:${value})(?:${suffix}${prefix}(?:${value}))*)${suffix})`;
      if (part.modifier === ZERO_OR_MORE) result += '?';
    }
    return { source: `${result}$`, names };
  }

  // §2.4 generate a pattern string: the normalized pattern that the component getters return.
  function generatePatternString(parts, options) {
    let result = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const previous = i > 0 ? parts[i - 1] : null;
      const next = i < parts.length - 1 ? parts[i + 1] : null;
      if (part.type === FIXED_TEXT) {
        if (part.modifier === NONE) result += escapePatternString(part.value);
        else result += `{${escapePatternString(part.value)}}${part.modifier}`;
        continue;
      }
      const customName = !isASCIIDigit(part.name[0]);
      let needsGrouping = part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);
      if (!needsGrouping && customName && part.type === SEGMENT_WILDCARD && part.modifier === NONE
          && next !== null && next.prefix === '' && next.suffix === '') {
        if (next.type === FIXED_TEXT) {
          needsGrouping = next.value !== '' && isValidNameCodePoint(codePoints(next.value)[0], false);
        } else {
          needsGrouping = isASCIIDigit(next.name[0]);
        }
      }
      if (!needsGrouping && part.prefix === '' && previous !== null && previous.type === FIXED_TEXT
          && previous.value !== '' && previous.value[previous.value.length - 1] === options.prefix) {
        needsGrouping = true;
      }
      if (needsGrouping) result += '{';
      result += escapePatternString(part.prefix);
      if (customName) result += `:${part.name}`;
      if (part.type === PART_REGEXP) {
        result += `(${part.value})`;
      } else if (part.type === SEGMENT_WILDCARD && !customName) {
        result += `(${segmentWildcardRegExp(options)})`;
      } else if (part.type === FULL_WILDCARD) {
        if (!customName && (previous === null || previous.type === FIXED_TEXT || previous.modifier !== NONE
            || needsGrouping || part.prefix !== '')) {
          result += '*';
        } else {
          result += `(${FULL_WILDCARD_REGEXP})`;
        }
      }
      if (part.type === SEGMENT_WILDCARD && customName && part.suffix !== ''
          && isValidNameCodePoint(codePoints(part.suffix)[0], false)) {
        result += '\\';
      }
      result += escapePatternString(part.suffix);
      if (needsGrouping) result += '}';
      result += part.modifier;
    }
    return result;
  }

  function isASCIIDigit(c) {
    return c !== undefined && c >= '0' && c <= '9';
  }

  // §3.1 parse a constructor string: splits a pattern string into URLPatternInit members using the
  // lenient tokenizer. protocolIsSpecial(protocolPattern) says whether a protocol pattern matches a
  // special scheme (it compiles the component, which 03_url_pattern.js knows how to do).
  function parseConstructorString(input, protocolIsSpecial) {
    const cps = codePoints(input);
    const tokens = tokenize(input, 'lenient');
    const result = { __proto__: null };
    let componentStart = 0;
    let tokenIndex = 0;
    let tokenIncrement = 1;
    let groupDepth = 0;
    let ipv6Depth = 0;
    let protocolSpecial = false;
    let state = 'init';

    const safeToken = (i) => (i < tokens.length ? tokens[i] : tokens[tokens.length - 1]);
    const isNonSpecialPatternChar = (i, value) => {
      const token = safeToken(i);
      if (token.value !== value) return false;
      return token.type === CHAR || token.type === ESCAPED_CHAR || token.type === INVALID_CHAR;
    };
    const isSearchPrefix = () => {
      if (isNonSpecialPatternChar(tokenIndex, '?')) return true;
      if (tokens[tokenIndex].value !== '?') return false;
      if (tokenIndex - 1 < 0) return true;
      const previous = safeToken(tokenIndex - 1);
      return !(previous.type === NAME || previous.type === REGEXP || previous.type === CLOSE || previous.type === ASTERISK);
    };
    const isHashPrefix = () => isNonSpecialPatternChar(tokenIndex, '#');
    const isPathnameStart = () => isNonSpecialPatternChar(tokenIndex, '/');
    const isColon = () => isNonSpecialPatternChar(tokenIndex, ':');
    const isIdentityTerminator = () => isNonSpecialPatternChar(tokenIndex, '@');
    const makeComponentString = () => {
      const start = safeToken(componentStart).index;
      return ArrayPrototypeJoin(ArrayPrototypeSlice(cps, start, tokens[tokenIndex].index), '');
    };
    const rewind = () => {
      tokenIndex = componentStart;
      tokenIncrement = 0;
    };
    const rewindAndSetState = (newState) => {
      rewind();
      state = newState;
    };
    const has = (key) => result[key] !== undefined;
    const changeState = (newState, skip) => {
      if (state !== 'init' && state !== 'authority' && state !== 'done') result[state] = makeComponentString();
      if (state !== 'init' && newState !== 'done') {
        const beforeHost = state === 'protocol' || state === 'authority' || state === 'username' || state === 'password';
        const beforePath = beforeHost || state === 'hostname' || state === 'port';
        if (beforeHost && (newState === 'port' || newState === 'pathname' || newState === 'search' || newState === 'hash')
            && !has('hostname')) {
          result.hostname = '';
        }
        if (beforePath && (newState === 'search' || newState === 'hash') && !has('pathname')) {
          result.pathname = protocolSpecial ? '/' : '';
        }
        if ((beforePath || state === 'pathname') && newState === 'hash' && !has('search')) result.search = '';
      }
      state = newState;
      tokenIndex += skip;
      componentStart = tokenIndex;
      tokenIncrement = 0;
    };

    while (tokenIndex < tokens.length) {
      tokenIncrement = 1;
      if (tokens[tokenIndex].type === END) {
        if (state === 'init') {
          rewind();
          if (isHashPrefix()) changeState('hash', 1);
          else if (isSearchPrefix()) changeState('search', 1);
          else changeState('pathname', 0);
          tokenIndex += tokenIncrement;
          continue;
        }
        if (state === 'authority') {
          rewindAndSetState('hostname');
          tokenIndex += tokenIncrement;
          continue;
        }
        changeState('done', 0);
        break;
      }
      if (tokens[tokenIndex].type === OPEN) {
        groupDepth++;
        tokenIndex += tokenIncrement;
        continue;
      }
      if (groupDepth > 0) {
        if (tokens[tokenIndex].type === CLOSE) {
          groupDepth--;
        } else {
          tokenIndex += tokenIncrement;
          continue;
        }
      }
      switch (state) {
        case 'init':
          if (isColon()) rewindAndSetState('protocol');
          break;
        case 'protocol':
          if (isColon()) {
            protocolSpecial = protocolIsSpecial(makeComponentString());
            let next = 'pathname';
            let skip = 1;
            if (isNonSpecialPatternChar(tokenIndex + 1, '/') && isNonSpecialPatternChar(tokenIndex + 2, '/')) {
              next = 'authority';
              skip = 3;
            } else if (protocolSpecial) {
              next = 'authority';
            }
            changeState(next, skip);
          }
          break;
        case 'authority':
          if (isIdentityTerminator()) rewindAndSetState('username');
          else if (isPathnameStart() || isSearchPrefix() || isHashPrefix()) rewindAndSetState('hostname');
          break;
        case 'username':
          if (isColon()) changeState('password', 1);
          else if (isIdentityTerminator()) changeState('hostname', 1);
          break;
        case 'password':
          if (isIdentityTerminator()) changeState('hostname', 1);
          break;
        case 'hostname':
          if (isNonSpecialPatternChar(tokenIndex, '[')) ipv6Depth++;
          else if (isNonSpecialPatternChar(tokenIndex, ']')) ipv6Depth--;
          else if (isColon() && ipv6Depth === 0) changeState('port', 1);
          else if (isPathnameStart()) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (isHashPrefix()) changeState('hash', 1);
          break;
        case 'port':
          if (isPathnameStart()) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (isHashPrefix()) changeState('hash', 1);
          break;
        case 'pathname':
          if (isSearchPrefix()) changeState('search', 1);
          else if (isHashPrefix()) changeState('hash', 1);
          break;
        case 'search':
          if (isHashPrefix()) changeState('hash', 1);
          break;
        default: // 'hash': everything up to the end belongs to it
          break;
      }
      tokenIndex += tokenIncrement;
    }
    if (has('hostname') && !has('port')) result.port = '';
    return result;
  }

  return {
    __proto__: null,
    DEFAULT_OPTIONS, HOSTNAME_OPTIONS, PATHNAME_OPTIONS, PART_REGEXP, FULL_WILDCARD, NONE,
    parsePatternString, generateRegExp, generatePatternString, parseConstructorString, escapePatternString,
  };
}

internal.urlPatternSyntax = createSyntax;
