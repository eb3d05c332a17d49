// SubtleCrypto (WebCrypto §14): the twelve methods, each returning a promise, and the encrypt,
// decrypt, sign, verify, digest and derive bits operations of every algorithm. Per WebIDL, a
// method of a promise-returning operation never throws: bad arguments reject the promise too.
//
// The cryptography runs in Java (dev.nano.ext.crypto.CryptoOps) synchronously, as it takes
// microseconds; RSA key generation and heavy PBKDF2 run on a worker thread (api.job, 03_keys.js).
const { ArrayPrototypePush } = internal.primordials;

ArrayPrototypePush(internal.crypto.builders, (api) => {
  const { configureInterface, illegalConstructorKey, requiredArguments, toUnsignedLong } = internal.webidl;
  const {
    ArrayBuffer, ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayPrototypeIncludes, JSONStringify,
    PromiseReject, PromiseResolve, PromisePrototypeThen, TypeError, TypedArrayPrototypeGetBuffer,
    TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
    TypedArrayPrototypeGetSymbolToStringTag,
  } = internal.primordials;
  const host = internal.crypto.ops;
  const {
    normalize, toAlgorithmIdentifier, toCryptoKey, copyBufferSource, isBufferSource, toJwk, toKeyUsages,
    toKeyFormat, keySlots, domError, hostError, hostBytes,
  } = api;

  const invalidAccess = (message) => domError(message, 'InvalidAccessError');
  const operationError = (message) => domError(message, 'OperationError');

  // The checks every method makes "in parallel" before its operation (e.g. §14.3.1 steps 8-9).
  function checkKey(alg, slots, usage) {
    if (alg.name !== slots.algorithm.name) {
      throw invalidAccess(`The requested operation is not valid for the provided key (${slots.algorithm.name}, not ${alg.name}).`);
    }
    if (!ArrayPrototypeIncludes(slots.usages, usage)) {
      throw invalidAccess(`The requested operation is not valid for the provided key (it lacks the '${usage}' usage).`);
    }
  }

  // Private keys and secret keys must have usages (§14.3.6 step 9, §14.3.7 step 15, §14.3.9 step 8, ...).
  function checkNotEmpty(key, usages) {
    if (usages.length === 0 && keySlots(key).type !== 'public') {
      throw domError('Usages cannot be empty when creating a key.', 'SyntaxError');
    }
    return key;
  }

  // --- the operations ---

  // encrypt / decrypt of RSA-OAEP (§22.4), AES-CTR, -CBC, -GCM (§15-17), and wrap / unwrap of AES-KW (§18).
  function cipher(alg, slots, data, encrypt) {
    const name = alg.name;
    let param = null;
    let aad = null;
    let length = 0;
    let hash = null;
    switch (name) {
      case 'AES-CBC': param = alg.iv; break;
      case 'AES-CTR': param = alg.counter; length = alg.length; break;
      case 'AES-GCM': param = alg.iv; aad = alg.additionalData ?? null; length = alg.tagLength ?? 128; break;
      case 'RSA-OAEP': param = alg.label ?? null; hash = slots.algorithm.hash; break;
    }
    const out = host.cipher(name, encrypt, hash, slots.handle, param, aad, length, data);
    if (out === null) throw hostError();
    return hostBytes(out);
  }

  // sign / verify: the hash is the key's for HMAC and RSA, the parameters' for ECDSA (§23.4).
  function signArguments(alg, slots) {
    const name = alg.name;
    // Secure Curves §5.4: an Ed448 context is at most 255 bytes.
    if (alg.context !== undefined && ArrayBufferPrototypeGetByteLength(alg.context) > 255) {
      throw operationError('The Ed448 context must not exceed 255 bytes.');
    }
    return [name, name === 'ECDSA' ? alg.hash : (slots.algorithm.hash ?? null), slots.handle,
      name === 'RSA-PSS' ? alg.saltLength : 0, alg.context ?? null];
  }

  function sign(alg, slots, data) {
    const a = signArguments(alg, slots);
    const out = host.sign(a[0], a[1], a[2], a[3], a[4], data);
    if (out === null) throw hostError();
    return hostBytes(out);
  }

  function verify(alg, slots, signature, data) {
    const a = signArguments(alg, slots);
    const ok = host.verify(a[0], a[1], a[2], a[3], a[4], signature, data);
    if (ok < 0) throw hostError();
    return ok === 1;
  }

  // derive bits (§24.4, §26.4, §31.3, §32.3): an ArrayBuffer, or a promise of one (PBKDF2).
  function deriveBits(alg, slots, length) {
    switch (alg.name) {
      case 'ECDH': case 'X25519': case 'X448': {
        if (slots.type !== 'private') throw invalidAccess('The base key must be a private key.');
        const pub = keySlots(alg.public);
        if (pub.type !== 'public') throw invalidAccess('The public key must be a public key.');
        if (pub.algorithm.name !== slots.algorithm.name) throw invalidAccess('The public key is of another algorithm.');
        if (pub.algorithm.namedCurve !== slots.algorithm.namedCurve) throw invalidAccess('The public key is on another curve.');
        const out = host.deriveShared(slots.handle, pub.handle, length === null ? -1 : length > 0x7fffffff ? 0x7fffffff : length);
        if (out === null) throw hostError();
        return hostBytes(out);
      }
      case 'HKDF': {
        if (length === null || length % 8 !== 0) throw operationError('HKDF length must be a multiple of 8 bits.');
        if (length > 255 * 512) throw operationError('HKDF cannot derive more than 255 hash lengths.');
        const out = host.hkdf(alg.hash, slots.handle, alg.salt, alg.info, length);
        if (out === null) throw hostError();
        return hostBytes(out);
      }
      case 'PBKDF2': {
        if (length === null || length % 8 !== 0) throw operationError('PBKDF2 length must be a multiple of 8 bits.');
        if (alg.iterations === 0) throw operationError('PBKDF2 iterations must not be zero.');
        if (length > 0x7fffffff) throw operationError('PBKDF2 length is too large.');
        const job = api.job(hostBytes);
        host.pbkdf2(job.id, alg.hash, slots.handle, alg.salt, alg.iterations, length);
        return job.promise;
      }
    }
    throw domError('Unrecognized algorithm name', 'NotSupportedError');
  }

  const then = (value, fn) => PromisePrototypeThen(PromiseResolve(value), fn);

  // Runs a method's steps: whatever they throw, synchronously, rejects the returned promise.
  function settle(self, steps) {
    try {
      if (!(api.isSubtle(self))) throw new TypeError('Illegal invocation');
      return PromiseResolve(steps());
    } catch (e) {
      return PromiseReject(e);
    }
  }

  // wrapKey/unwrapKey: the wrap/unwrap operation if the algorithm has one, else encrypt/decrypt.
  function normalizeWrap(alg, op, fallback) {
    try {
      return normalize(alg, op);
    } catch {
      return normalize(alg, fallback);
    }
  }

  // The prefixes of argument errors, made once (WebIDL-style messages, as Chromium words them).
  const PREFIX = { __proto__: null };
  const methods = ['encrypt', 'decrypt', 'sign', 'verify', 'digest', 'generateKey', 'deriveKey', 'deriveBits',
    'importKey', 'exportKey', 'wrapKey', 'unwrapKey'];
  for (let i = 0; i < methods.length; i++) PREFIX[methods[i]] = `Failed to execute '${methods[i]}' on 'SubtleCrypto'`;
  const P = (method) => PREFIX[method];

  // digest()'s common call: a hash named exactly as registered (its digest length in bytes here),
  // and a typed array or ArrayBuffer. It takes a few calls instead of the generic steps' ~40, which
  // cost more than hashing a small body (measured when each primordial call took ~0.1 µs, through the
  // shared wrapper 00_primordials.js no longer uses). The result is the same as the steps'.
  const DIGEST_LENGTHS = { __proto__: null, 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
  let plainBuffer = null;
  let plainOffset = 0;
  let plainLength = 0;

  // Whether data is a typed array or an ArrayBuffer, neither on a SharedArrayBuffer; if so its
  // bytes are left in plain*. False for anything else (DataViews too): the generic steps decide.
  function plainRegion(data) {
    try {
      if (ArrayBufferIsView(data)) {
        if (TypedArrayPrototypeGetSymbolToStringTag(data) === undefined) return false; // a DataView
        plainBuffer = TypedArrayPrototypeGetBuffer(data);
        ArrayBufferPrototypeGetByteLength(plainBuffer); // throws for a SharedArrayBuffer
        plainOffset = TypedArrayPrototypeGetByteOffset(data);
        plainLength = TypedArrayPrototypeGetByteLength(data);
      } else {
        plainLength = ArrayBufferPrototypeGetByteLength(data); // throws for anything else
        plainBuffer = data;
        plainOffset = 0;
      }
      return true;
    } catch {
      return false;
    }
  }

  class SubtleCrypto {
    #brand;
    constructor(key = undefined) { // length 0: WebIDL interfaces without constructors
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    }

    static {
      api.isSubtle = (v) => v !== null && typeof v === 'object' && #brand in v;
    }

    // §14.3.1
    encrypt(algorithm, key, data) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 3, P('encrypt'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(key, P('encrypt'), 2));
        data = copyBufferSource(data, P('encrypt'), 3);
        const alg = normalize(algorithm, 'encrypt');
        checkKey(alg, slots, 'encrypt');
        return cipher(alg, slots, data, true);
      });
    }

    // §14.3.2
    decrypt(algorithm, key, data) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 3, P('decrypt'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(key, P('decrypt'), 2));
        data = copyBufferSource(data, P('decrypt'), 3);
        const alg = normalize(algorithm, 'decrypt');
        checkKey(alg, slots, 'decrypt');
        return cipher(alg, slots, data, false);
      });
    }

    // §14.3.3
    sign(algorithm, key, data) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 3, P('sign'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(key, P('sign'), 2));
        data = copyBufferSource(data, P('sign'), 3);
        const alg = normalize(algorithm, 'sign');
        checkKey(alg, slots, 'sign');
        return sign(alg, slots, data);
      });
    }

    // §14.3.4
    verify(algorithm, key, signature, data) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 4, P('verify'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(key, P('verify'), 2));
        signature = copyBufferSource(signature, P('verify'), 3);
        data = copyBufferSource(data, P('verify'), 4);
        const alg = normalize(algorithm, 'verify');
        checkKey(alg, slots, 'verify');
        return verify(alg, slots, signature, data);
      });
    }

    // Workers' extension, not Web Crypto: compares secrets (MACs, tokens) in time that depends on
    // their length only. Inputs of different lengths are a TypeError, as in workerd.
    timingSafeEqual(a, b) {
      if (this === null || typeof this !== 'object' || !(#brand in this)) throw new TypeError('Illegal invocation');
      requiredArguments(arguments.length, 2, P('timingSafeEqual'));
      a = copyBufferSource(a, P('timingSafeEqual'), 1);
      b = copyBufferSource(b, P('timingSafeEqual'), 2);
      if (ArrayBufferPrototypeGetByteLength(a) !== ArrayBufferPrototypeGetByteLength(b)) {
        throw new TypeError(`${P('timingSafeEqual')}: the two buffers must have the same byte length.`);
      }
      return host.timingSafeEqual(a, b);
    }

    // §14.3.5
    digest(algorithm, data) {
      const length = typeof algorithm === 'string' ? DIGEST_LENGTHS[algorithm] : undefined;
      if (length !== undefined && this !== null && typeof this === 'object' && #brand in this && plainRegion(data)) {
        // The hash is taken before any other JS runs, so reading the caller's buffer is reading a copy.
        const out = new ArrayBuffer(length);
        const buffer = plainBuffer;
        plainBuffer = null;
        host.digestInto(algorithm, buffer, plainOffset, plainLength, out);
        return PromiseResolve(out);
      }
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 2, P('digest'));
        algorithm = toAlgorithmIdentifier(algorithm);
        data = copyBufferSource(data, P('digest'), 2);
        const alg = normalize(algorithm, 'digest');
        const out = host.digest(alg.name, data);
        if (out === null) throw hostError();
        return hostBytes(out);
      });
    }

    // §14.3.6
    generateKey(algorithm, extractable, keyUsages) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 3, P('generateKey'));
        algorithm = toAlgorithmIdentifier(algorithm);
        extractable = !!extractable;
        const usages = toKeyUsages(keyUsages, P('generateKey'), 3);
        const alg = normalize(algorithm, 'generateKey');
        return then(api.generateKey(alg, extractable, usages), (result) => {
          if (keySlots(result) !== undefined) return checkNotEmpty(result, usages);
          checkNotEmpty(result.privateKey, keySlots(result.privateKey).usages);
          return result;
        });
      });
    }

    // §14.3.7
    deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 5, P('deriveKey'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(baseKey, P('deriveKey'), 2));
        derivedKeyType = toAlgorithmIdentifier(derivedKeyType);
        extractable = !!extractable;
        const usages = toKeyUsages(keyUsages, P('deriveKey'), 5);
        const alg = normalize(algorithm, 'deriveBits');
        const importAlg = normalize(derivedKeyType, 'importKey');
        const lengthAlg = normalize(derivedKeyType, 'get key length');
        checkKey(alg, slots, 'deriveKey');
        const length = api.getKeyLength(lengthAlg);
        return then(deriveBits(alg, slots, length), (secret) =>
          checkNotEmpty(api.importKey('raw', secret, importAlg, extractable, usages), usages));
      });
    }

    // §14.3.8
    deriveBits(algorithm, baseKey, length = null) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 2, P('deriveBits'));
        algorithm = toAlgorithmIdentifier(algorithm);
        const slots = keySlots(toCryptoKey(baseKey, P('deriveBits'), 2));
        length = length === null || length === undefined ? null : toUnsignedLong(length);
        const alg = normalize(algorithm, 'deriveBits');
        checkKey(alg, slots, 'deriveBits');
        return deriveBits(alg, slots, length);
      });
    }

    // §14.3.9
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 5, P('importKey'));
        format = toKeyFormat(format, P('importKey'));
        // (BufferSource or JsonWebKey)
        const isBuffer = isBufferSource(keyData);
        if (!isBuffer && keyData !== undefined && keyData !== null && typeof keyData !== 'object' && typeof keyData !== 'function') {
          throw new TypeError(`${P('importKey')}: parameter 2 is not of type '(ArrayBuffer or ArrayBufferView or JsonWebKey)'.`);
        }
        if (!isBuffer) keyData = toJwk(keyData);
        algorithm = toAlgorithmIdentifier(algorithm);
        extractable = !!extractable;
        const usages = toKeyUsages(keyUsages, P('importKey'), 5);
        const alg = normalize(algorithm, 'importKey');
        if (format === 'jwk') {
          if (isBuffer) throw new TypeError(`${P('importKey')}: the 'jwk' format needs a JsonWebKey.`);
        } else {
          if (!isBuffer) throw new TypeError(`${P('importKey')}: the '${format}' format needs a BufferSource.`);
          keyData = copyBufferSource(keyData, P('importKey'), 2);
        }
        return checkNotEmpty(api.importKey(format, keyData, alg, extractable, usages), usages);
      });
    }

    // §14.3.10
    exportKey(format, key) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 2, P('exportKey'));
        format = toKeyFormat(format, P('exportKey'));
        return api.exportKey(format, toCryptoKey(key, P('exportKey'), 2));
      });
    }

    // §14.3.11
    wrapKey(format, key, wrappingKey, wrapAlgorithm) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 4, P('wrapKey'));
        format = toKeyFormat(format, P('wrapKey'));
        toCryptoKey(key, P('wrapKey'), 2);
        const slots = keySlots(toCryptoKey(wrappingKey, P('wrapKey'), 3));
        wrapAlgorithm = toAlgorithmIdentifier(wrapAlgorithm);
        const alg = normalizeWrap(wrapAlgorithm, 'wrapKey', 'encrypt');
        checkKey(alg, slots, 'wrapKey');
        let bytes = api.exportKey(format, key);
        if (format === 'jwk') bytes = TypedArrayPrototypeGetBuffer(internal.encodeUtf8(JSONStringify(bytes)));
        return cipher(alg, slots, bytes, true);
      });
    }

    // §14.3.12
    unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      const n = arguments.length;
      return settle(this, () => {
        requiredArguments(n, 7, P('unwrapKey'));
        format = toKeyFormat(format, P('unwrapKey'));
        const wrapped = copyBufferSource(wrappedKey, P('unwrapKey'), 2);
        const slots = keySlots(toCryptoKey(unwrappingKey, P('unwrapKey'), 3));
        unwrapAlgorithm = toAlgorithmIdentifier(unwrapAlgorithm);
        unwrappedKeyAlgorithm = toAlgorithmIdentifier(unwrappedKeyAlgorithm);
        extractable = !!extractable;
        const usages = toKeyUsages(keyUsages, P('unwrapKey'), 7);
        const alg = normalizeWrap(unwrapAlgorithm, 'unwrapKey', 'decrypt');
        const keyAlg = normalize(unwrappedKeyAlgorithm, 'importKey');
        checkKey(alg, slots, 'unwrapKey');
        let bytes = cipher(alg, slots, wrapped, false);
        if (format === 'jwk') bytes = api.parseJwk(bytes);
        return checkNotEmpty(api.importKey(format, bytes, keyAlg, extractable, usages), usages);
      });
    }
  }
  configureInterface(SubtleCrypto);

  api.SubtleCrypto = SubtleCrypto;
  api.subtle = new SubtleCrypto(illegalConstructorKey);
});
