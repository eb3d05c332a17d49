// WebIDL conversions for SubtleCrypto's arguments and WebCrypto §18.4 "normalize an algorithm":
// the registered algorithms per operation (§18.3, plus Ed448/X448 from the Secure Curves draft),
// each with the IDL dictionary its parameters are converted to.
//
// Adds to api:
//   normalize(alg, op) -> a null-prototype record { name, ...members }: BufferSource members are
//       ArrayBuffer copies, a hash member is the normalized hash's name, publicExponent a copy
//   toAlgorithmIdentifier(v), toCryptoKey(v, prefix, n), copyBufferSource(v, prefix, n) -> ArrayBuffer,
//   isBufferSource(v), toJwk(v) (JsonWebKey dictionary), toKeyUsages(v, prefix, n), toKeyFormat(v, prefix),
//   normalizeUsages(usages), hostBytes(byteBuffer) -> ArrayBuffer, hostError() -> DOMException, domError(msg, name)
const { ArrayBuffer, ArrayPrototypePush } = internal.primordials;

ArrayPrototypePush(internal.crypto.builders, (api) => {
  const { toDOMString } = internal.webidl;
  const {
    ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayBufferPrototypeSlice, ArrayPrototypeFilter,
    ArrayPrototypeIncludes, FunctionPrototypeCall, MapPrototypeGet, MapPrototypeSet, MathTrunc,
    NumberIsFinite, SafeMap, StringFromCharCode, StringPrototypeCharCodeAt, SymbolIterator, TypeError,
    TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetSymbolToStringTag,
    TypedArrayPrototypeSet, Uint8Array, ArrayBufferViewGetBuffer, ArrayBufferViewGetByteOffset,
    ArrayBufferViewGetByteLength,
  } = internal.primordials;
  const host = internal.crypto.ops;
  const { DOMException } = internal;

  const domError = (message, name) => new DOMException(message, name);
  // The DOMException for the op that just failed (its name and message wait in the ops object).
  const hostError = () => new DOMException(host.errorMessage(), host.errorName());

  // A Java ByteBuffer's bytes as an ArrayBuffer of the context's own.
  function hostBytes(bytes) {
    const view = new Uint8Array(bytes);
    const out = new Uint8Array(new ArrayBuffer(TypedArrayPrototypeGetByteLength(view)));
    TypedArrayPrototypeSet(out, view);
    return TypedArrayPrototypeGetBuffer(out);
  }

  // --- WebIDL types ---

  // The buffer of a view is an ArrayBuffer or a SharedArrayBuffer. ArrayBuffer's getter throws for
  // the latter: the common case throws nothing (making an exception is far slower than the check).
  function isShared(buffer) {
    try {
      ArrayBufferPrototypeGetByteLength(buffer);
      return false;
    } catch {
      return true;
    }
  }

  // BufferSource = (ArrayBufferView or ArrayBuffer), neither on a SharedArrayBuffer: the region, or
  // undefined when v is not one.
  function bufferRegion(v) {
    if (ArrayBufferIsView(v)) {
      const buffer = ArrayBufferViewGetBuffer(v);
      const offset = ArrayBufferViewGetByteOffset(v);
      const length = ArrayBufferViewGetByteLength(v);
      return isShared(buffer) ? undefined : { buffer, offset, length };
    }
    if (v === null || typeof v !== 'object') return undefined;
    try {
      return { buffer: v, offset: 0, length: ArrayBufferPrototypeGetByteLength(v) };
    } catch {
      return undefined; // not an ArrayBuffer (a SharedArrayBuffer fails this brand check too)
    }
  }

  const isBufferSource = (v) => bufferRegion(v) !== undefined;

  // WebIDL "get a copy of the bytes held by the buffer source" (a detached buffer holds none).
  function copyRegion(r) {
    if (r.length === 0) return new ArrayBuffer(0);
    return ArrayBufferPrototypeSlice(r.buffer, r.offset, r.offset + r.length);
  }

  function copyBufferSource(v, prefix, n) {
    const r = bufferRegion(v);
    if (r === undefined) {
      throw new TypeError(`${prefix}: parameter ${n} is not of type '(ArrayBuffer or ArrayBufferView)'.`);
    }
    return copyRegion(r);
  }

  // WebIDL §3.2.4.9 ConvertToInt with [EnforceRange].
  function enforceRange(v, max, what) {
    const x = +v;
    if (!NumberIsFinite(x)) throw new TypeError(`${what} is not a finite number.`);
    const t = MathTrunc(x);
    if (t < 0 || t > max) throw new TypeError(`${what} is outside the range [0, ${max}].`);
    return t === 0 ? 0 : t;
  }

  // AlgorithmIdentifier = (object or DOMString).
  const toAlgorithmIdentifier = (v) => (v !== null && (typeof v === 'object' || typeof v === 'function') ? v : toDOMString(v));

  function toCryptoKey(v, prefix, n) {
    if (api.keySlots(v) === undefined) throw new TypeError(`${prefix}: parameter ${n} is not of type 'CryptoKey'.`);
    return v;
  }

  // sequence<T>: iterated through the object's own @@iterator (WebIDL §3.2.18).
  function toSequence(v, convert, what) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      throw new TypeError(`${what} is not an iterable object.`);
    }
    const method = v[SymbolIterator];
    if (typeof method !== 'function') throw new TypeError(`${what} is not iterable.`);
    const iterator = FunctionPrototypeCall(method, v);
    if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
      throw new TypeError(`${what}: the iterator is not an object.`);
    }
    const next = iterator.next;
    const out = [];
    for (;;) {
      const step = FunctionPrototypeCall(next, iterator);
      if (step === null || (typeof step !== 'object' && typeof step !== 'function')) {
        throw new TypeError(`${what}: the iterator result is not an object.`);
      }
      if (step.done) return out;
      ArrayPrototypePush(out, convert(step.value));
    }
  }

  // §13.2 KeyUsage, in the order the normalized usages list them.
  const KEY_USAGES = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];

  function toKeyUsages(v, prefix, n) {
    return toSequence(v, (u) => {
      u = toDOMString(u);
      if (!ArrayPrototypeIncludes(KEY_USAGES, u)) {
        throw new TypeError(`${prefix}: The provided value '${u}' is not a valid enum value of type KeyUsage.`);
      }
      return u;
    }, `${prefix}: parameter ${n}`);
  }

  // Without duplicates, in KeyUsage order.
  const normalizeUsages = (usages) => ArrayPrototypeFilter(KEY_USAGES, (u) => ArrayPrototypeIncludes(usages, u));

  function toKeyFormat(v, prefix) {
    v = toDOMString(v);
    if (v !== 'raw' && v !== 'spki' && v !== 'pkcs8' && v !== 'jwk') {
      throw new TypeError(`${prefix}: The provided value '${v}' is not a valid enum value of type KeyFormat.`);
    }
    return v;
  }

  // JsonWebKey (§14.2), members in lexicographic order; oth is sequence<RsaOtherPrimesInfo>.
  const JWK_STRING = 0, JWK_BOOLEAN = 1, JWK_STRINGS = 2, JWK_OTH = 3;
  const JWK_MEMBERS = [['alg', JWK_STRING], ['crv', JWK_STRING], ['d', JWK_STRING], ['dp', JWK_STRING],
    ['dq', JWK_STRING], ['e', JWK_STRING], ['ext', JWK_BOOLEAN], ['k', JWK_STRING], ['key_ops', JWK_STRINGS],
    ['kty', JWK_STRING], ['n', JWK_STRING], ['oth', JWK_OTH], ['p', JWK_STRING], ['q', JWK_STRING],
    ['qi', JWK_STRING], ['use', JWK_STRING], ['x', JWK_STRING], ['y', JWK_STRING]];

  function toDictionaryObject(v, what) {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError(`${what} is not an object.`);
    return v;
  }

  function toJwk(v) {
    const out = { __proto__: null };
    v = toDictionaryObject(v, 'JsonWebKey');
    if (v === undefined) return out;
    for (let i = 0; i < JWK_MEMBERS.length; i++) {
      const key = JWK_MEMBERS[i][0];
      const value = v[key];
      if (value === undefined) continue;
      switch (JWK_MEMBERS[i][1]) {
        case JWK_STRING: out[key] = toDOMString(value); break;
        case JWK_BOOLEAN: out[key] = !!value; break;
        case JWK_STRINGS: out[key] = toSequence(value, toDOMString, `JsonWebKey.${key}`); break;
        case JWK_OTH:
          out[key] = toSequence(value, (info) => {
            const o = { __proto__: null };
            info = toDictionaryObject(info, 'RsaOtherPrimesInfo');
            if (info === undefined) return o;
            const members = ['d', 'r', 't'];
            for (let j = 0; j < members.length; j++) {
              const x = info[members[j]];
              if (x !== undefined) o[members[j]] = toDOMString(x);
            }
            return o;
          }, 'JsonWebKey.oth');
          break;
      }
    }
    return out;
  }

  // --- §18.4 normalize an algorithm ---

  const STRING = 0, BUFFER = 1, OCTET = 2, USHORT = 3, ULONG = 4, HASH = 5, BIGINT = 6, KEY = 7;
  // The parameter dictionaries (§18 per algorithm): members of every level, in conversion order
  // (base dictionary first, each level in lexicographic order), after Algorithm's `name`.
  const DICTIONARIES = {
    __proto__: null,
    RsaHashedKeyGenParams: [['modulusLength', ULONG, true], ['publicExponent', BIGINT, true], ['hash', HASH, true]],
    RsaHashedImportParams: [['hash', HASH, true]],
    RsaPssParams: [['saltLength', ULONG, true]],
    RsaOaepParams: [['label', BUFFER, false]],
    EcdsaParams: [['hash', HASH, true]],
    EcKeyGenParams: [['namedCurve', STRING, true]],
    EcKeyImportParams: [['namedCurve', STRING, true]],
    EcdhKeyDeriveParams: [['public', KEY, true]],
    AesCtrParams: [['counter', BUFFER, true], ['length', OCTET, true]],
    AesKeyGenParams: [['length', USHORT, true]],
    AesDerivedKeyParams: [['length', USHORT, true]],
    AesCbcParams: [['iv', BUFFER, true]],
    AesGcmParams: [['additionalData', BUFFER, false], ['iv', BUFFER, true], ['tagLength', OCTET, false]],
    HmacImportParams: [['hash', HASH, true], ['length', ULONG, false]],
    HmacKeyGenParams: [['hash', HASH, true], ['length', ULONG, false]],
    HkdfParams: [['hash', HASH, true], ['info', BUFFER, true], ['salt', BUFFER, true]],
    Pbkdf2Params: [['hash', HASH, true], ['iterations', ULONG, true], ['salt', BUFFER, true]],
    Ed448Params: [['context', BUFFER, false]],
  };

  const RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
  const AES = ['AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW'];
  const OKP = ['Ed25519', 'Ed448', 'X25519', 'X448'];
  const SHA = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
  // §18.3 registered algorithms: operation -> [[names, dictionary or null], ...].
  const REGISTERED = {
    __proto__: null,
    digest: [[SHA, null]],
    generateKey: [[RSA, 'RsaHashedKeyGenParams'], [['ECDSA', 'ECDH'], 'EcKeyGenParams'], [AES, 'AesKeyGenParams'],
      [['HMAC'], 'HmacKeyGenParams'], [OKP, null]],
    importKey: [[RSA, 'RsaHashedImportParams'], [['ECDSA', 'ECDH'], 'EcKeyImportParams'],
      [['HMAC'], 'HmacImportParams'], [AES, null], [['HKDF', 'PBKDF2'], null], [OKP, null]],
    sign: [[['RSASSA-PKCS1-v1_5', 'HMAC', 'Ed25519'], null], [['RSA-PSS'], 'RsaPssParams'], [['ECDSA'], 'EcdsaParams'],
      [['Ed448'], 'Ed448Params']],
    encrypt: [[['RSA-OAEP'], 'RsaOaepParams'], [['AES-CTR'], 'AesCtrParams'], [['AES-CBC'], 'AesCbcParams'],
      [['AES-GCM'], 'AesGcmParams']],
    deriveBits: [[['ECDH', 'X25519', 'X448'], 'EcdhKeyDeriveParams'], [['HKDF'], 'HkdfParams'],
      [['PBKDF2'], 'Pbkdf2Params']],
    wrapKey: [[['AES-KW'], null]],
    'get key length': [[['AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW'], 'AesDerivedKeyParams'],
      [['HMAC'], 'HmacImportParams'], [['HKDF', 'PBKDF2'], null]],
  };
  REGISTERED.verify = REGISTERED.sign;
  REGISTERED.decrypt = REGISTERED.encrypt;
  REGISTERED.unwrapKey = REGISTERED.wrapKey;

  // "ASCII case-insensitive match": only a-z fold (toUpperCase alone would fold 'ſ' to 'S').
  function asciiUpper(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = StringPrototypeCharCodeAt(s, i);
      out += c >= 0x61 && c <= 0x7a ? StringFromCharCode(c - 0x20) : s[i];
    }
    return out;
  }

  const tables = new SafeMap(); // op -> Map(ASCII-uppercase name -> [name, dictionary])
  function registeredFor(op) {
    let table = MapPrototypeGet(tables, op);
    if (table === undefined) {
      table = new SafeMap();
      const groups = REGISTERED[op];
      for (let i = 0; i < groups.length; i++) {
        const names = groups[i][0];
        for (let j = 0; j < names.length; j++) MapPrototypeSet(table, asciiUpper(names[j]), [names[j], groups[i][1]]);
      }
      MapPrototypeSet(tables, op, table);
    }
    return table;
  }

  function algorithmName(alg) {
    const name = alg.name;
    if (name === undefined) {
      throw new TypeError("Failed to read the 'name' property from 'Algorithm': Required member is undefined.");
    }
    return toDOMString(name);
  }

  function normalize(alg, op) {
    if (typeof alg === 'string') alg = { name: alg };
    const entry = MapPrototypeGet(registeredFor(op), asciiUpper(algorithmName(alg)));
    if (entry === undefined) throw new DOMException('Unrecognized algorithm name', 'NotSupportedError');
    const out = { __proto__: null, name: entry[0] };
    const dictionary = entry[1];
    if (dictionary === null) return out;
    algorithmName(alg); // converting to the desired dictionary reads `name` again
    const members = DICTIONARIES[dictionary];
    for (let i = 0; i < members.length; i++) {
      const key = members[i][0];
      const value = alg[key];
      const what = `Failed to read the '${key}' property from '${dictionary}'`;
      if (value === undefined) {
        if (members[i][2]) throw new TypeError(`${what}: Required member is undefined.`);
        continue;
      }
      switch (members[i][1]) {
        case STRING: out[key] = toDOMString(value); break;
        case BUFFER:
          out[key] = bufferRegion(value);
          if (out[key] === undefined) throw new TypeError(`${what}: The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.`);
          break;
        case OCTET: out[key] = enforceRange(value, 255, what); break;
        case USHORT: out[key] = enforceRange(value, 65535, what); break;
        case ULONG: out[key] = enforceRange(value, 4294967295, what); break;
        case HASH: out[key] = toAlgorithmIdentifier(value); break;
        case BIGINT:
          if (!ArrayBufferIsView(value) || TypedArrayPrototypeGetSymbolToStringTag(value) !== 'Uint8Array' ||
              isShared(TypedArrayPrototypeGetBuffer(value))) {
            throw new TypeError(`${what}: The provided value is not of type 'Uint8Array'.`);
          }
          out[key] = value;
          break;
        case KEY:
          if (api.keySlots(value) === undefined) throw new TypeError(`${what}: The provided value is not of type 'CryptoKey'.`);
          out[key] = value;
          break;
      }
    }
    // §18.4 step 10: copy BufferSource members, normalize hash members (op "digest").
    for (let i = 0; i < members.length; i++) {
      const key = members[i][0];
      const value = out[key];
      if (value === undefined) continue;
      switch (members[i][1]) {
        case BUFFER: out[key] = copyRegion(value); break;
        case HASH: out[key] = normalize(value, 'digest').name; break;
        case BIGINT: out[key] = new Uint8Array(value); break;
      }
    }
    return out;
  }

  api.normalize = normalize;
  api.toAlgorithmIdentifier = toAlgorithmIdentifier;
  api.toCryptoKey = toCryptoKey;
  api.copyBufferSource = copyBufferSource;
  api.isBufferSource = isBufferSource;
  api.toJwk = toJwk;
  api.toKeyUsages = toKeyUsages;
  api.toKeyFormat = toKeyFormat;
  api.normalizeUsages = normalizeUsages;
  api.hostBytes = hostBytes;
  api.hostError = hostError;
  api.domError = domError;
});
