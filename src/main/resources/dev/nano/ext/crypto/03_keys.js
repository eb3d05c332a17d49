// The generate key, import key, export key and get key length operations of every algorithm
// (WebCrypto §19-32 and the Secure Curves draft), for formats raw, spki and pkcs8 (jwk: 04_jwk.js),
// and the jobs that complete on a worker thread (RSA key generation, heavy PBKDF2).
//
// Adds to api:
//   familyOf(name) -> 'AES' | 'HMAC' | 'KDF' | 'RSA' | 'EC' | 'OKP'
//   SECRET_USAGES, PAIR_USAGES (name -> [public usages, private usages]), checkUsages(usages, allowed)
//   generateKey(alg, extractable, usages) -> CryptoKey, CryptoKeyPair, or a promise of one (RSA)
//   importKey(format, keyData, alg, extractable, usages) -> CryptoKey
//   exportKey(format, key) -> ArrayBuffer or JsonWebKey
//   getKeyLength(alg) -> number or null
//   newSecretKey, newKeyPair, rsaAlgorithm, withHandle, job(finish) -> [id, promise], FORMAT
const { ArrayPrototypePush } = internal.primordials;

ArrayPrototypePush(internal.crypto.builders, (api) => {
  const {
    ArrayBufferPrototypeGetByteLength, ArrayPrototypeFilter, ArrayPrototypeIncludes, MapPrototypeDelete,
    MapPrototypeGet, MapPrototypeSet, Promise, SafeMap, TypeError, TypedArrayPrototypeGetBuffer, Uint8Array,
  } = internal.primordials;
  const host = internal.crypto.ops;
  const { domError, hostError, hostBytes, newKey, normalizeUsages } = api;

  // Format codes for the ops; must match dev.nano.ext.crypto.KeyFormats.
  const FORMAT = { __proto__: null, raw: 0, spki: 1, pkcs8: 2 };

  function familyOf(name) {
    switch (name) {
      case 'AES-CTR': case 'AES-CBC': case 'AES-GCM': case 'AES-KW': return 'AES';
      case 'HMAC': return 'HMAC';
      case 'HKDF': case 'PBKDF2': return 'KDF';
      case 'RSASSA-PKCS1-v1_5': case 'RSA-PSS': case 'RSA-OAEP': return 'RSA';
      case 'ECDSA': case 'ECDH': return 'EC';
      default: return 'OKP';
    }
  }

  const ENCRYPTION = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
  const DERIVATION = ['deriveKey', 'deriveBits'];
  const SECRET_USAGES = {
    __proto__: null, 'AES-CTR': ENCRYPTION, 'AES-CBC': ENCRYPTION, 'AES-GCM': ENCRYPTION,
    'AES-KW': ['wrapKey', 'unwrapKey'], HMAC: ['sign', 'verify'], HKDF: DERIVATION, PBKDF2: DERIVATION,
  };
  // The usages of a key pair's public and private keys, and of the pair (§20-28 generate key).
  const SIGNING = { __proto__: null, public: ['verify'], private: ['sign'], all: ['sign', 'verify'] };
  const AGREEMENT = { __proto__: null, public: [], private: DERIVATION, all: DERIVATION };
  const OAEP = { __proto__: null, public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'], all: ENCRYPTION };
  const PAIR_USAGES = {
    __proto__: null, 'RSASSA-PKCS1-v1_5': SIGNING, 'RSA-PSS': SIGNING, 'RSA-OAEP': OAEP,
    ECDSA: SIGNING, ECDH: AGREEMENT, Ed25519: SIGNING, Ed448: SIGNING, X25519: AGREEMENT, X448: AGREEMENT,
  };
  const CURVES = ['P-256', 'P-384', 'P-521'];

  function checkUsages(usages, allowed) {
    for (let i = 0; i < usages.length; i++) {
      if (!ArrayPrototypeIncludes(allowed, usages[i])) {
        throw domError(`Cannot create a key using the specified key usages ('${usages[i]}').`, 'SyntaxError');
      }
    }
  }

  const intersect = (usages, allowed) => ArrayPrototypeFilter(usages, (u) => ArrayPrototypeIncludes(allowed, u));

  // Runs fn(handle), releasing the handle if fn throws (the key never reached app code).
  function withHandle(handle, fn) {
    if (handle === null) throw hostError();
    try {
      return fn(handle);
    } catch (e) {
      host.release(handle);
      throw e;
    }
  }

  const newSecretKey = (handle, extractable, algorithm, usages) =>
    newKey(handle, 'secret', extractable, algorithm, normalizeUsages(usages));

  // A generated pair: the public key's handle is `handle`, the private key's `handle + 1`.
  function newKeyPair(handle, algorithm, extractable, usages) {
    const allowed = PAIR_USAGES[algorithm.name];
    usages = normalizeUsages(usages);
    return {
      privateKey: newKey(handle + 1, 'private', extractable, algorithm, intersect(usages, allowed.private)),
      publicKey: newKey(handle, 'public', true, algorithm, intersect(usages, allowed.public)),
    };
  }

  // RsaHashedKeyAlgorithm: generateKey keeps the exponent as given, import takes the key's.
  function rsaAlgorithm(handle, name, hash, publicExponent = new Uint8Array(host.rsaPublicExponent(handle))) {
    return { __proto__: null, name, modulusLength: host.keyBits(handle), publicExponent, hash };
  }

  // --- jobs: work done on a worker thread, completed through one function ---

  const jobs = new SafeMap(); // id -> [resolve, reject, finish]
  let nextJob = 1;
  host.setCompletion((id, result, errorName, errorMessage) => {
    const job = MapPrototypeGet(jobs, id);
    MapPrototypeDelete(jobs, id);
    if (errorName !== null && errorName !== undefined) {
      job[1](domError(errorMessage, errorName));
      return;
    }
    try {
      job[0](job[2](result));
    } catch (e) {
      job[1](e);
    }
  });

  // { id, promise }: the promise settles with finish(result) when the job completes.
  function job(finish) {
    const id = nextJob++;
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    MapPrototypeSet(jobs, id, [resolve, reject, finish]);
    return { id, promise };
  }

  // --- generate key ---

  function generateKey(alg, extractable, usages) {
    const name = alg.name;
    switch (familyOf(name)) {
      case 'AES': { // §15-18 generate key
        checkUsages(usages, SECRET_USAGES[name]);
        if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) {
          throw domError('AES key length must be 128, 192 or 256 bits.', 'OperationError');
        }
        return newSecretKey(host.generateSecret(alg.length), extractable, { __proto__: null, name, length: alg.length }, usages);
      }
      case 'HMAC': { // §29.6 generate key
        checkUsages(usages, SECRET_USAGES.HMAC);
        let length = alg.length;
        if (length === undefined) length = hashBlockBits(alg.hash);
        else if (length === 0) throw domError('HMAC key length must not be zero.', 'OperationError');
        if (length > 0x7fffffff) throw domError('HMAC key length is too large.', 'OperationError');
        return newSecretKey(host.generateSecret(length), extractable, { __proto__: null, name, length, hash: alg.hash }, usages);
      }
      case 'RSA': { // §20.8 generate key, on a worker thread
        const allowed = PAIR_USAGES[name];
        checkUsages(usages, allowed.all);
        const exponent = TypedArrayPrototypeGetBuffer(alg.publicExponent);
        const bits = alg.modulusLength > 0x7fffffff ? 0x7fffffff : alg.modulusLength; // the JCA refuses both
        if (!host.rsaCheck(bits, exponent)) throw hostError();
        // The method would refuse the pair for its empty private usages (§14.3.6 step 9): say so
        // before the expensive generation, which the parameters just checked will not fail.
        if (intersect(usages, allowed.private).length === 0) {
          throw domError('Usages cannot be empty when creating a key.', 'SyntaxError');
        }
        const hash = alg.hash;
        const publicExponent = alg.publicExponent;
        const generation = job((handle) =>
          newKeyPair(handle, rsaAlgorithm(handle, name, hash, publicExponent), extractable, usages));
        host.generateRsa(generation.id, bits, exponent);
        return generation.promise;
      }
      case 'EC': { // §23.7 / §24.7 generate key
        checkUsages(usages, PAIR_USAGES[name].all);
        if (!ArrayPrototypeIncludes(CURVES, alg.namedCurve)) throw domError('Unsupported namedCurve.', 'NotSupportedError');
        const handle = host.generatePair('EC', alg.namedCurve);
        if (handle === null) throw hostError();
        return newKeyPair(handle, { __proto__: null, name, namedCurve: alg.namedCurve }, extractable, usages);
      }
      case 'OKP': { // §25.7, §26.7 generate key
        checkUsages(usages, PAIR_USAGES[name].all);
        const handle = host.generatePair(name, '');
        if (handle === null) throw hostError();
        return newKeyPair(handle, { __proto__: null, name }, extractable, usages);
      }
    }
    throw domError('Unrecognized algorithm name', 'NotSupportedError');
  }

  // The block size of an HMAC hash, in bits: the default HMAC key length (§29.6).
  const hashBlockBits = (hash) => (hash === 'SHA-384' || hash === 'SHA-512' ? 1024 : 512);

  // --- import key (raw, spki, pkcs8) ---

  function importKey(format, keyData, alg, extractable, usages) {
    const name = alg.name;
    switch (familyOf(name)) {
      case 'AES': // §15-18 import key
        checkUsages(usages, SECRET_USAGES[name]);
        if (format === 'jwk') return api.importJwk(keyData, alg, extractable, usages);
        if (format !== 'raw') break;
        {
          const bits = ArrayBufferPrototypeGetByteLength(keyData) * 8;
          if (bits !== 128 && bits !== 192 && bits !== 256) {
            throw domError('AES key data must be 128, 192 or 256 bits.', 'DataError');
          }
          return newSecretKey(host.importKey('SECRET', '', FORMAT.raw, keyData), extractable,
            { __proto__: null, name, length: bits }, usages);
        }
      case 'HMAC': // §29.6 import key
        checkUsages(usages, SECRET_USAGES.HMAC);
        if (format === 'jwk') return api.importJwk(keyData, alg, extractable, usages);
        if (format !== 'raw') break;
        return withHandle(host.importKey('SECRET', '', FORMAT.raw, keyData),
          (handle) => hmacKey(handle, alg, extractable, usages));
      case 'KDF': // §31.4, §32.4 import key: raw only, never extractable
        if (format !== 'raw') break;
        checkUsages(usages, DERIVATION);
        if (extractable) throw domError(`${name} keys cannot be extractable.`, 'SyntaxError');
        return newSecretKey(host.importKey('SECRET', '', FORMAT.raw, keyData), false, { __proto__: null, name }, usages);
      case 'RSA': // §20.8 import key
        if (format === 'jwk') return api.importJwk(keyData, alg, extractable, usages);
        if (format === 'raw') break;
        checkUsages(usages, format === 'spki' ? PAIR_USAGES[name].public : PAIR_USAGES[name].private);
        return withHandle(host.importKey('RSA', '', FORMAT[format], keyData), (handle) =>
          newKey(handle, format === 'spki' ? 'public' : 'private', extractable, rsaAlgorithm(handle, name, alg.hash),
            normalizeUsages(usages)));
      case 'EC': // §23.8 / §24.8 import key
        if (format === 'jwk') return api.importJwk(keyData, alg, extractable, usages);
        checkUsages(usages, format === 'pkcs8' ? PAIR_USAGES[name].private : PAIR_USAGES[name].public);
        if (!ArrayPrototypeIncludes(CURVES, alg.namedCurve)) throw domError('Unsupported namedCurve.', 'DataError');
        return asymmetricKey(host.importKey('EC', alg.namedCurve, FORMAT[format], keyData), format, extractable,
          { __proto__: null, name, namedCurve: alg.namedCurve }, usages);
      case 'OKP': // §25.8, §26.8 import key
        if (format === 'jwk') return api.importJwk(keyData, alg, extractable, usages);
        checkUsages(usages, format === 'pkcs8' ? PAIR_USAGES[name].private : PAIR_USAGES[name].public);
        return asymmetricKey(host.importKey(name, '', FORMAT[format], keyData), format, extractable,
          { __proto__: null, name }, usages);
    }
    throw domError(`The '${format}' format is not supported for ${name} keys.`, 'NotSupportedError');
  }

  function asymmetricKey(handle, format, extractable, algorithm, usages) {
    if (handle === null) throw hostError();
    return newKey(handle, format === 'pkcs8' ? 'private' : 'public', extractable, algorithm, normalizeUsages(usages));
  }

  // §29.6 import key steps 5-8: the length checks, on key data already in `handle`.
  function hmacKey(handle, alg, extractable, usages) {
    let length = host.keyBits(handle);
    if (length === 0) throw domError('HMAC key data must not be empty.', 'DataError');
    if (alg.length !== undefined) {
      if (alg.length > length) throw domError('The HMAC key length exceeds the key data.', 'DataError');
      if (alg.length <= length - 8) throw domError('The HMAC key length is shorter than the key data.', 'DataError');
      if (alg.length !== length) host.truncateSecret(handle, alg.length);
      length = alg.length;
    }
    return newSecretKey(handle, extractable, { __proto__: null, name: 'HMAC', length, hash: alg.hash }, usages);
  }

  // --- export key ---

  function exportKey(format, key) {
    const slots = api.keySlots(key);
    const name = slots.algorithm.name;
    const family = familyOf(name);
    if (family === 'KDF') throw domError(`${name} keys cannot be exported.`, 'NotSupportedError');
    if (!slots.extractable) throw domError('The key is not extractable.', 'InvalidAccessError');
    if (format === 'jwk') return api.exportJwk(slots);
    if ((family === 'AES' || family === 'HMAC') ? format !== 'raw' : (family === 'RSA' && format === 'raw')) {
      throw domError(`The '${format}' format is not supported for ${name} keys.`, 'NotSupportedError');
    }
    const bytes = host.exportKey(slots.handle, FORMAT[format]);
    if (bytes === null) throw hostError();
    return hostBytes(bytes);
  }

  // --- get key length (§15-18, §29, §31, §32): for deriveKey ---

  function getKeyLength(alg) {
    switch (familyOf(alg.name)) {
      case 'AES':
        if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) {
          throw domError('AES key length must be 128, 192 or 256 bits.', 'OperationError');
        }
        return alg.length;
      case 'HMAC':
        if (alg.length === undefined) return hashBlockBits(alg.hash);
        if (alg.length === 0) throw new TypeError('HMAC key length must not be zero.');
        return alg.length;
      default:
        return null;
    }
  }

  api.familyOf = familyOf;
  api.SECRET_USAGES = SECRET_USAGES;
  api.PAIR_USAGES = PAIR_USAGES;
  api.CURVES = CURVES;
  api.FORMAT = FORMAT;
  api.checkUsages = checkUsages;
  api.withHandle = withHandle;
  api.newSecretKey = newSecretKey;
  api.rsaAlgorithm = rsaAlgorithm;
  api.hmacKey = hmacKey;
  api.job = job;
  api.generateKey = generateKey;
  api.importKey = importKey;
  api.exportKey = exportKey;
  api.getKeyLength = getKeyLength;
});
