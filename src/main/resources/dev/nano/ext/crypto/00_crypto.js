// Crypto (WebCrypto §10): crypto.getRandomValues, crypto.randomUUID and crypto.subtle, and how
// this extension is put together. Nothing is built until the app first touches `crypto`,
// `Crypto`, `CryptoKey` or `SubtleCrypto` (ARCHITECTURE.md "Keeping a context small"): each file
// here pushes a builder onto internal.crypto.builders, and the first access runs them in file
// order, each adding what it defines to one `api` object that the later builders use.
//
// Files: 00_crypto (Crypto), 01_crypto_key (CryptoKey), 02_normalize (WebIDL conversions and
// "normalize an algorithm"), 03_keys (generate/import/export per algorithm), 04_jwk (the JWK
// format), 05_subtle (SubtleCrypto's methods and the operations). Java: dev.nano.ext.crypto.
const {
  ArrayBufferIsView, ArrayPrototypePush, ArrayPrototypeIncludes, ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor, TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet,
  SharedArrayBufferPrototypeGetByteLength, TypeError, Uint8Array,
} = internal.primordials;
const { configureInterface, illegalConstructorKey, requiredArguments } = internal.webidl;

// Every file of an extension gets its own ops object: this file's is the one all of them use
// (internal.crypto.ops), so that the context has one key store.
const builders = [];
internal.crypto = { __proto__: null, builders, ops };

function createApi() {
  const api = { __proto__: null };
  for (let i = 0; i < builders.length; i++) builders[i](api);
  return api;
}

ArrayPrototypePush(builders, (api) => {
  const { DOMException, QuotaExceededError } = internal;
  // §10.2.1: the integer-typed arrays getRandomValues accepts.
  const INTEGER_ARRAYS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];

  function isShared(buffer) {
    try {
      SharedArrayBufferPrototypeGetByteLength(buffer);
      return true;
    } catch {
      return false;
    }
  }

  class Crypto {
    #brand;
    constructor(key = undefined) { // length 0: WebIDL interfaces without constructors
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    }

    // [SecureContext] readonly attribute SubtleCrypto subtle ([SameObject] in practice: one instance).
    get subtle() {
      if (!(#brand in this)) throw new TypeError('Illegal invocation');
      return api.subtle;
    }

    // §10.2.1 getRandomValues(ArrayBufferView array).
    getRandomValues(array) {
      const prefix = "Failed to execute 'getRandomValues' on 'Crypto'";
      if (!(#brand in this)) throw new TypeError('Illegal invocation');
      requiredArguments(arguments.length, 1, prefix);
      if (!ArrayBufferIsView(array)) throw new TypeError(`${prefix}: parameter 1 is not of type 'ArrayBufferView'.`);
      const tag = TypedArrayPrototypeGetSymbolToStringTag(array); // undefined for a DataView
      const buffer = tag === undefined ? undefined : TypedArrayPrototypeGetBuffer(array);
      if (buffer !== undefined && isShared(buffer)) {
        throw new TypeError(`${prefix}: The provided ArrayBufferView value must not be shared.`);
      }
      if (!ArrayPrototypeIncludes(INTEGER_ARRAYS, tag)) {
        throw new DOMException(`${prefix}: The provided ArrayBufferView is of type '${tag ?? 'DataView'}', which is not an integer array type.`,
          'TypeMismatchError');
      }
      const length = TypedArrayPrototypeGetByteLength(array);
      if (length > 65536) {
        throw new QuotaExceededError(`${prefix}: The ArrayBufferView's byte length (${length}) exceeds the number of bytes of entropy available via this API (65536).`);
      }
      if (length > 0) {
        const view = new Uint8Array(buffer, TypedArrayPrototypeGetByteOffset(array), length);
        TypedArrayPrototypeSet(view, new Uint8Array(ops.randomBytes(length)));
      }
      return array;
    }

    // §10.2.2 randomUUID(): a version 4 UUID from a cryptographically strong source.
    randomUUID() {
      if (!(#brand in this)) throw new TypeError('Illegal invocation');
      return ops.randomUUID();
    }
  }
  configureInterface(Crypto);
  api.Crypto = Crypto;
  api.crypto = new Crypto(illegalConstructorKey);
});

const api = internal.exposeLazily(['Crypto', 'CryptoKey', 'SubtleCrypto'], createApi);

// WindowOrWorkerGlobalScope: `[SameObject] readonly attribute Crypto crypto`, a getter only.
const accessor = ObjectGetOwnPropertyDescriptor({ get crypto() { return api().crypto; } }, 'crypto');
ObjectDefineProperty(globalThis, 'crypto', { get: accessor.get, enumerable: true, configurable: true });
