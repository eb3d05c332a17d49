// Last bootstrap step: the global object's own names (HTML §7.2 WindowOrWorkerGlobalScope, minus the DOM).
const { ObjectDefineProperty } = internal.primordials;
ObjectDefineProperty(globalThis, 'self', {
  get() { return globalThis; }, set(v) { ObjectDefineProperty(globalThis, 'self', { value: v, writable: true, configurable: true, enumerable: true }); },
  enumerable: true, configurable: true,
});
