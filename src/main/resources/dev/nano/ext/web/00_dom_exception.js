// DOMException (WebIDL §2.8.1): the standard error names with their legacy codes.
const { ObjectDefineProperty } = internal.primordials;

// DOMException and QuotaExceededError are built on first use (internal.exposeLazily): by an app, or
// by NANO when it throws one (internal.DOMException builds them). Until then none exists.
let isDOMException = () => false;

function createApi() {
  const { toDOMString, configureInterface } = internal.webidl;
  const {
    ObjectSetPrototypeOf, StringPrototypeIndexOf, StringPrototypeSlice, Error, SafeWeakMap,
    WeakMapPrototypeGet, WeakMapPrototypeHas, WeakMapPrototypeSet,
  } = internal.primordials;
  // Legacy codes from WebIDL's error names table.
  const CODES = {
    __proto__: null,
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  const CONSTANTS = [
    ['INDEX_SIZE_ERR', 1], ['DOMSTRING_SIZE_ERR', 2], ['HIERARCHY_REQUEST_ERR', 3], ['WRONG_DOCUMENT_ERR', 4],
    ['INVALID_CHARACTER_ERR', 5], ['NO_DATA_ALLOWED_ERR', 6], ['NO_MODIFICATION_ALLOWED_ERR', 7],
    ['NOT_FOUND_ERR', 8], ['NOT_SUPPORTED_ERR', 9], ['INUSE_ATTRIBUTE_ERR', 10], ['INVALID_STATE_ERR', 11],
    ['SYNTAX_ERR', 12], ['INVALID_MODIFICATION_ERR', 13], ['NAMESPACE_ERR', 14], ['INVALID_ACCESS_ERR', 15],
    ['VALIDATION_ERR', 16], ['TYPE_MISMATCH_ERR', 17], ['SECURITY_ERR', 18], ['NETWORK_ERR', 19],
    ['ABORT_ERR', 20], ['URL_MISMATCH_ERR', 21], ['QUOTA_EXCEEDED_ERR', 22], ['TIMEOUT_ERR', 23],
    ['INVALID_NODE_TYPE_ERR', 24], ['DATA_CLONE_ERR', 25],
  ];

  const brand = new SafeWeakMap(); // DOMException -> { name, message }

  function dataOf(self, what) {
    const data = WeakMapPrototypeGet(brand, self);
    if (data === undefined) throw new TypeError(`Illegal invocation: ${what} called on an object that is not a DOMException`);
    return data;
  }

  class DOMException {
    constructor(message = '', options = 'Error') {
      message = toDOMString(message);
      let name = 'Error';
      let cause;
      let hasCause = false;
      if (options !== null && typeof options === 'object') {
        if ('name' in options) name = toDOMString(options.name);
        if ('cause' in options) { hasCause = true; cause = options.cause; }
      } else {
        name = toDOMString(options);
      }
      WeakMapPrototypeSet(brand, this, { name, message });
      if (hasCause) ObjectDefineProperty(this, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
      // A stack like any Error's, so uncaught DOMExceptions point at the code that threw them.
      const stack = new Error().stack;
      // Skip the "Error" line and this constructor's own frame.
      const firstFrame = StringPrototypeIndexOf(stack, '\n', StringPrototypeIndexOf(stack, '\n') + 1);
      ObjectDefineProperty(this, 'stack', {
        value: `${name}: ${message}${firstFrame < 0 ? '' : StringPrototypeSlice(stack, firstFrame)}`,
        writable: true, enumerable: false, configurable: true,
      });
    }
    get name() { return dataOf(this, 'name').name; }
    get message() { return dataOf(this, 'message').message; }
    get code() { const n = dataOf(this, 'code').name; return CODES[n] ?? 0; }
  }
  ObjectSetPrototypeOf(DOMException.prototype, Error.prototype);
  configureInterface(DOMException);
  for (let i = 0; i < CONSTANTS.length; i++) { // per context: an indexed loop, one descriptor per constant
    const desc = { value: CONSTANTS[i][1], writable: false, enumerable: true, configurable: false };
    ObjectDefineProperty(DOMException, CONSTANTS[i][0], desc);
    ObjectDefineProperty(DOMException.prototype, CONSTANTS[i][0], desc);
  }

  isDOMException = (v) => v !== null && typeof v === 'object' && WeakMapPrototypeHas(brand, v);

  // QuotaExceededError (WebIDL §2.8.2): a DOMException named QuotaExceededError with the quota and
  // the requested amount, each a number or null (crypto.getRandomValues throws one).
  class QuotaExceededError extends DOMException {
    #quota = null;
    #requested = null;
    constructor(message = '', options = undefined) {
      super(message, 'QuotaExceededError');
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object' && typeof options !== 'function') {
          throw new TypeError("Failed to construct 'QuotaExceededError': The provided value is not of type 'QuotaExceededErrorOptions'.");
        }
        const toDouble = (v, what) => {
          const x = +v;
          if (x !== x || x === Infinity || x === -Infinity) throw new TypeError(`Failed to construct 'QuotaExceededError': ${what} is not a finite number.`);
          if (x < 0) throw new RangeError(`Failed to construct 'QuotaExceededError': ${what} must not be negative.`);
          return x;
        };
        const quota = options.quota, requested = options.requested;
        if (quota !== undefined) this.#quota = toDouble(quota, 'quota');
        if (requested !== undefined) this.#requested = toDouble(requested, 'requested');
        if (this.#quota !== null && this.#requested !== null && this.#requested < this.#quota) {
          throw new RangeError("Failed to construct 'QuotaExceededError': requested must not be less than quota.");
        }
      }
    }
    get quota() { return this.#quota; }
    get requested() { return this.#requested; }
  }
  configureInterface(QuotaExceededError);

  // For structuredClone (web/06_structured_clone.js): immune to an app redefining the getters.
  const nameOf = (e) => dataOf(e, 'name').name;
  const messageOf = (e) => dataOf(e, 'message').message;
  return { DOMException, QuotaExceededError, nameOf, messageOf };
}

const api = internal.exposeLazily(['DOMException', 'QuotaExceededError'], createApi);
// { DOMException, QuotaExceededError, nameOf, messageOf }, built now if need be
internal.domExceptions = api;
ObjectDefineProperty(internal, 'DOMException', { get: () => api().DOMException, enumerable: true });
ObjectDefineProperty(internal, 'QuotaExceededError', { get: () => api().QuotaExceededError, enumerable: true });
internal.isDOMException = (v) => isDOMException(v);
