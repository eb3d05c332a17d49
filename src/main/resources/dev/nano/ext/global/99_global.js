// Last bootstrap step: the global object's own names (HTML §7.2 WindowOrWorkerGlobalScope, minus the DOM).
const { ObjectDefineProperty, ObjectSetPrototypeOf, TypeError } = internal.primordials;
const { configureInterface } = internal.webidl;

ObjectDefineProperty(globalThis, 'self', {
  get() { return globalThis; }, set(v) { ObjectDefineProperty(globalThis, 'self', { value: v, writable: true, configurable: true, enumerable: true }); },
  enumerable: true, configurable: true,
});

// The global object is an EventTarget, as a worker's global scope is (HTML §10.2.1 WorkerGlobalScope :
// EventTarget): addEventListener('fetch' | 'error' | 'unhandledrejection', ...) work on it, bare or
// through globalThis/self. Its listeners live in web/01_event.js; the interface is not exposed by name.
class WorkerGlobalScope extends internal.EventTarget {
  constructor() {
    throw new TypeError('Illegal constructor');
  }
}
configureInterface(WorkerGlobalScope);
ObjectSetPrototypeOf(globalThis, WorkerGlobalScope.prototype);

// Event handler IDL attributes of the global (HTML §8.1.8.2): own accessors, as for any [Global].
// onerror is an OnErrorEventHandler: it gets (message, filename, lineno, colno, error) and returning
// true cancels the error event (web/01_event.js runEventHandler).
const isGlobal = (v) => v === globalThis;
internal.defineEventHandler(globalThis, 'error', isGlobal);
internal.defineEventHandler(globalThis, 'unhandledrejection', isGlobal);
