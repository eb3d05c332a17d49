// The "jwk" key format (WebCrypto §14.3.9 / §14.3.10 and each algorithm's import and export
// steps; JSON Web Key RFC 7517, JWA RFC 7518, OKP RFC 8037): the checks of kty, use, key_ops,
// ext, alg and crv here, the key material (base64url members) in Java.
//
// Adds to api:
//   importJwk(jwk, alg, extractable, usages) -> CryptoKey   (jwk: a converted JsonWebKey dictionary)
//   exportJwk(slots) -> a JsonWebKey object
//   parseJwk(bytes) -> JsonWebKey dictionary (§14.4 "parse a JWK", for unwrapKey)
const { ArrayPrototypePush } = internal.primordials;

ArrayPrototypePush(internal.crypto.builders, (api) => {
  const {
    ArrayPrototypeIncludes, ArrayPrototypeIndexOf, ArrayPrototypeSlice, JSONParse, StringPrototypeSlice,
    StringPrototypeSplit,
  } = internal.primordials;
  const host = internal.crypto.ops;
  const { domError, hostError, newKey, normalizeUsages, checkUsages, withHandle, familyOf, PAIR_USAGES, CURVES } = api;

  const dataError = (message) => domError(message, 'DataError');

  // The JWK "alg" of each hash, per algorithm (§20.8, §21.8, §22.8, §29.6).
  const RSA_ALG = {
    __proto__: null,
    'RSASSA-PKCS1-v1_5': { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' },
    'RSA-PSS': { 'SHA-1': 'PS1', 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' },
    'RSA-OAEP': { 'SHA-1': 'RSA-OAEP', 'SHA-256': 'RSA-OAEP-256', 'SHA-384': 'RSA-OAEP-384', 'SHA-512': 'RSA-OAEP-512' },
  };
  const HMAC_ALG = { __proto__: null, 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };
  const ECDSA_ALG = { __proto__: null, 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

  // The common steps: "If usages is non-empty and the use field of jwk is present and is not
  // `use`", "If the key_ops field ... is invalid ... or does not contain all of the specified
  // usages", "If the ext field ... is false and extractable is true": DataError.
  function checkUseOpsExt(jwk, usages, use, extractable) {
    if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) {
      throw dataError(`The JWK "use" member must be "${use}".`);
    }
    const ops = jwk.key_ops;
    if (ops !== undefined) {
      for (let i = 0; i < ops.length; i++) {
        if (ArrayPrototypeIndexOf(ops, ops[i]) !== i) throw dataError('The JWK "key_ops" member has duplicates.');
      }
      for (let i = 0; i < usages.length; i++) {
        if (!ArrayPrototypeIncludes(ops, usages[i])) {
          throw dataError(`The JWK "key_ops" member does not allow '${usages[i]}'.`);
        }
      }
    }
    if (jwk.ext === false && extractable) throw dataError('The JWK is not extractable ("ext" is false).');
  }

  function importJwk(jwk, alg, extractable, usages) {
    const name = alg.name;
    const family = familyOf(name);
    if (family === 'AES' || family === 'HMAC') {
      // Usages were checked by the caller. §15-18 / §29.6 import key, format "jwk".
      if (jwk.kty !== 'oct') throw dataError('The JWK "kty" member must be "oct".');
      if (jwk.k === undefined) throw dataError('The JWK has no "k" member.');
      return withHandle(host.importSecretJwk(jwk.k), (handle) => {
        if (family === 'HMAC') {
          const expected = HMAC_ALG[alg.hash];
          if (jwk.alg !== undefined && jwk.alg !== expected) throw dataError(`The JWK "alg" member must be "${expected}".`);
          checkUseOpsExt(jwk, usages, 'sig', extractable);
          return api.hmacKey(handle, alg, extractable, usages);
        }
        const bits = host.keyBits(handle);
        if (bits !== 128 && bits !== 192 && bits !== 256) throw dataError('AES key data must be 128, 192 or 256 bits.');
        const expected = `A${bits}${StringPrototypeSlice(name, 4)}`;
        if (jwk.alg !== undefined && jwk.alg !== expected) throw dataError(`The JWK "alg" member must be "${expected}".`);
        checkUseOpsExt(jwk, usages, 'enc', extractable);
        return api.newSecretKey(handle, extractable, { __proto__: null, name, length: bits }, usages);
      });
    }
    if (family === 'KDF') throw domError(`The 'jwk' format is not supported for ${name} keys.`, 'NotSupportedError');

    // Key pairs: the usages allowed depend on whether the JWK holds a private key.
    const isPrivate = jwk.d !== undefined;
    checkUsages(usages, isPrivate ? PAIR_USAGES[name].private : PAIR_USAGES[name].public);
    const use = name === 'RSA-OAEP' || name === 'ECDH' || name === 'X25519' || name === 'X448' ? 'enc' : 'sig';
    let handle;
    let algorithm;
    switch (family) {
      case 'RSA': { // §20.8 import key, format "jwk"
        if (jwk.kty !== 'RSA') throw dataError('The JWK "kty" member must be "RSA".');
        checkUseOpsExt(jwk, usages, use, extractable);
        if (jwk.alg !== undefined && jwk.alg !== RSA_ALG[name][alg.hash]) {
          throw dataError(`The JWK "alg" member must be "${RSA_ALG[name][alg.hash]}".`);
        }
        if (jwk.oth !== undefined) throw domError('RSA keys with more than two primes are not supported.', 'NotSupportedError');
        handle = host.importRsaJwk(jwk.n ?? null, jwk.e ?? null, jwk.d ?? null, jwk.p ?? null, jwk.q ?? null,
          jwk.dp ?? null, jwk.dq ?? null, jwk.qi ?? null);
        if (handle === null) throw hostError();
        algorithm = api.rsaAlgorithm(handle, name, alg.hash);
        break;
      }
      case 'EC': { // §23.8 / §24.8 import key, format "jwk"
        if (jwk.kty !== 'EC') throw dataError('The JWK "kty" member must be "EC".');
        checkUseOpsExt(jwk, usages, use, extractable);
        const curve = alg.namedCurve;
        if (jwk.crv !== curve) throw dataError(`The JWK "crv" member must be "${curve}".`);
        if (!ArrayPrototypeIncludes(CURVES, curve)) throw dataError('Unsupported namedCurve.');
        // ECDSA only: an "alg" names the curve (ECDH ignores it).
        if (name === 'ECDSA' && jwk.alg !== undefined && jwk.alg !== ECDSA_ALG[curve]) {
          throw dataError(`The JWK "alg" member must be "${ECDSA_ALG[curve]}".`);
        }
        handle = host.importEcJwk(curve, jwk.x ?? null, jwk.y ?? null, jwk.d ?? null);
        if (handle === null) throw hostError();
        algorithm = { __proto__: null, name, namedCurve: curve };
        break;
      }
      default: { // §25.8, §26.8 import key, format "jwk" (RFC 8037)
        if (jwk.kty !== 'OKP') throw dataError('The JWK "kty" member must be "OKP".');
        if (jwk.crv !== name) throw dataError(`The JWK "crv" member must be "${name}".`);
        if (use === 'sig' && jwk.alg !== undefined && jwk.alg !== name && jwk.alg !== 'EdDSA') {
          throw dataError(`The JWK "alg" member must be "${name}" or "EdDSA".`);
        }
        checkUseOpsExt(jwk, usages, use, extractable);
        handle = host.importOkpJwk(name, jwk.x ?? null, jwk.d ?? null);
        if (handle === null) throw hostError();
        algorithm = { __proto__: null, name };
      }
    }
    return newKey(handle, isPrivate ? 'private' : 'public', extractable, algorithm, normalizeUsages(usages));
  }

  // §14.3.10 / each algorithm's export key, format "jwk": a JsonWebKey dictionary, its members in
  // lexicographic order as WebIDL converts a dictionary to an object.
  function exportJwk(slots) {
    const alg = slots.algorithm;
    const name = alg.name;
    const parts = host.exportJwk(slots.handle);
    if (parts === null) throw hostError();
    const v = StringPrototypeSplit(parts, '.');
    const keyOps = ArrayPrototypeSlice(slots.usages);
    const ext = slots.extractable;
    switch (familyOf(name)) {
      case 'AES':
        return { alg: `A${alg.length}${StringPrototypeSlice(name, 4)}`, ext, k: v[0], key_ops: keyOps, kty: 'oct' };
      case 'HMAC':
        return { alg: HMAC_ALG[alg.hash], ext, k: v[0], key_ops: keyOps, kty: 'oct' };
      case 'RSA':
        if (v.length === 2) return { alg: RSA_ALG[name][alg.hash], e: v[1], ext, key_ops: keyOps, kty: 'RSA', n: v[0] };
        return {
          alg: RSA_ALG[name][alg.hash], d: v[2], dp: v[5], dq: v[6], e: v[1], ext, key_ops: keyOps, kty: 'RSA',
          n: v[0], p: v[3], q: v[4], qi: v[7],
        };
      case 'EC':
        if (v.length === 2) return { crv: alg.namedCurve, ext, key_ops: keyOps, kty: 'EC', x: v[0], y: v[1] };
        return { crv: alg.namedCurve, d: v[2], ext, key_ops: keyOps, kty: 'EC', x: v[0], y: v[1] };
      default: {
        // Ed25519 and Ed448 name themselves in "alg" (w3c/webcrypto#401); X25519 and X448 have none.
        const signs = name === 'Ed25519' || name === 'Ed448';
        const jwk = {};
        if (signs) jwk.alg = name;
        jwk.crv = name;
        if (v.length === 2) jwk.d = v[1];
        jwk.ext = ext;
        jwk.key_ops = keyOps;
        jwk.kty = 'OKP';
        jwk.x = v[0];
        return jwk;
      }
    }
  }

  // §14.4 parse a JWK: UTF-8 JSON to a JsonWebKey dictionary that has a kty.
  function parseJwk(bytes) {
    let jwk;
    try {
      jwk = api.toJwk(JSONParse(internal.decodeUtf8(bytes)));
    } catch {
      throw dataError('The unwrapped key is not a valid JWK.');
    }
    if (jwk.kty === undefined) throw dataError('The unwrapped JWK has no "kty" member.');
    return jwk;
  }

  api.importJwk = importJwk;
  api.exportJwk = exportJwk;
  api.parseJwk = parseJwk;
});
