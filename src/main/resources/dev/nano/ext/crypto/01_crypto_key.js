// CryptoKey (WebCrypto §13): the [[type]], [[extractable]], [[algorithm]] and [[usages]] internal
// slots, and a handle on the key material that Java keeps (dev.nano.ext.crypto.KeyStore). The
// handle is released when the CryptoKey is collected.
//
// Adds to api:
//   newKey(handle, type, extractable, algorithm, usages) -> CryptoKey
//       algorithm: the internal KeyAlgorithm, a null-prototype record never handed to app code:
//       { name, length?, hash? (a name), modulusLength?, publicExponent? (Uint8Array), namedCurve? }
//       usages: normalized (no duplicates, in the order of §13.2 KeyUsage)
//   keySlots(value) -> { handle, type, extractable, algorithm, usages } or undefined (not a CryptoKey)
const { ArrayPrototypePush, Uint8Array } = internal.primordials;

ArrayPrototypePush(internal.crypto.builders, (api) => {
  const { configureInterface, illegalConstructorKey } = internal.webidl;
  const {
    ArrayPrototypeSlice, SafeFinalizationRegistry, FinalizationRegistryPrototypeRegister, TypeError,
  } = internal.primordials;
  const host = internal.crypto.ops;
  const registry = new SafeFinalizationRegistry((handle) => host.release(handle));
  let slotsOf;

  // §13.3: the algorithm attribute is an ECMAScript object made once from [[algorithm]] (a
  // KeyAlgorithm dictionary: members of base dictionaries first, each level in lexicographic order).
  function algorithmObject(alg) {
    const out = { name: alg.name };
    if (alg.modulusLength !== undefined) {
      out.modulusLength = alg.modulusLength;
      out.publicExponent = new Uint8Array(alg.publicExponent);
    }
    if (alg.hash !== undefined) out.hash = { name: alg.hash };
    if (alg.length !== undefined) out.length = alg.length;
    if (alg.namedCurve !== undefined) out.namedCurve = alg.namedCurve;
    return out;
  }

  class CryptoKey {
    #slots;
    #algorithm;
    #usages;
    constructor(key = undefined, slots = undefined) { // length 0, as WebIDL gives interface objects
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      this.#slots = slots;
      FinalizationRegistryPrototypeRegister(registry, this, slots.handle);
    }

    get type() {
      return this.#slots.type;
    }

    get extractable() {
      return this.#slots.extractable;
    }

    // The same object on every read (§13.4, [[algorithm_cached]]).
    get algorithm() {
      const slots = this.#slots;
      return this.#algorithm ??= algorithmObject(slots.algorithm);
    }

    // The same array on every read ([[usages_cached]]).
    get usages() {
      const slots = this.#slots;
      return this.#usages ??= ArrayPrototypeSlice(slots.usages);
    }

    static {
      slotsOf = (value) => (value !== null && typeof value === 'object' && #slots in value ? value.#slots : undefined);
    }
  }
  configureInterface(CryptoKey);

  function newKey(handle, type, extractable, algorithm, usages) {
    return new CryptoKey(illegalConstructorKey, { __proto__: null, handle, type, extractable, algorithm, usages });
  }

  // §13.5 structured clone: the copy has the same slots and its own handle on the same material.
  internal.registerSerializable?.(CryptoKey, {
    is: (v) => slotsOf(v) !== undefined,
    serialize: (key) => slotsOf(key),
    deserialize: (s) => newKey(host.duplicate(s.handle), s.type, s.extractable, s.algorithm, s.usages),
  });

  api.CryptoKey = CryptoKey;
  api.newKey = newKey;
  api.keySlots = slotsOf;
});
