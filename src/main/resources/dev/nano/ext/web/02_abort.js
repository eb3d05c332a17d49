// DOM Standard §3.1 AbortController and AbortSignal, with dependent signals (AbortSignal.any) and
// AbortSignal.timeout. Other extensions (fetch, streams) use `internal.abortSignal` to add and remove
// abort algorithms, as the spec's own algorithms do.

// The classes, built on first use (see the end of the file).
function createApi() {
  const { requiredArguments, configureInterface, illegalConstructorKey } = internal.webidl;
  const {
    ArrayPrototypePush, ArrayPrototypeIncludes, ArrayPrototypeIndexOf, ArrayPrototypeSplice, ReflectApply,
    MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete, SafeMap, SafeWeakRef, WeakRefPrototypeDeref,
    MathMax, MathTrunc, NumberIsFinite, ObjectAssign, ObjectDefineProperty, SymbolIterator, TypeError,
  } = internal.primordials;
  const { EventTarget, DOMException, dispatchTrusted, defineEventHandler, hasEventListeners } = internal;
  const { Event } = internal.events();

  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  // Browsers' messages (Chromium) for the default reasons.
  const newAbortError = () => new DOMException('signal is aborted without reason', 'AbortError');
  const newTimeoutError = () => new DOMException('signal timed out', 'TimeoutError');

  // Set by AbortSignal's static block: the rest of this file works on its private state through these.
  let isAbortSignal, reasonOf, createSignal, signalAbort, addAlgorithm, removeAlgorithm, createDependent, interestChanged;

  class AbortSignal extends EventTarget {
    #reason = undefined; // the abort reason; undefined while not aborted
    #algorithms = null; // abort algorithms (an array of functions), null when none
    #dependent = false;
    #sources = null; // a dependent signal's source signals (an array, held strongly)
    #dependents = null; // { refs, pruneAt }: WeakRefs to dependent signals, so that a long-lived
    //                     source does not keep every signal made from it by AbortSignal.any alive
    #kept = null; // dependents kept alive by this source (§3.1.5): Map dependent -> has abort listeners
    #keptListening = 0; // how many of #kept have abort listeners
    #timer = null; // AbortSignal.timeout: { id, deadline, ref }

    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      super();
    }

    static abort(reason = undefined) {
      const signal = createSignal();
      signal.#reason = reason === undefined ? newAbortError() : reason;
      return signal;
    }

    static timeout(milliseconds) {
      const prefix = "Failed to execute 'timeout' on 'AbortSignal'";
      requiredArguments(arguments.length, 1, prefix);
      const ms = toEnforcedUnsignedLongLong(milliseconds, prefix);
      const signal = createSignal();
      // "Run steps after a timeout", then a task that aborts the signal. The timers extension loads
      // after this one: look it up now, at call time.
      const timers = internal.timers;
      const timer = { id: 0, deadline: internal.hostNow() + ms, ref: false };
      timer.id = timers.setTimeout(() => {
        signal.#timer = null;
        signalAbort(signal, newTimeoutError());
      }, ms);
      signal.#timer = timer;
      // The exact delay (no HTML nesting clamp), and unref'd: as in Deno, a timeout signal keeps the
      // event loop alive only while something listens for its abort event (see updateTimerRef).
      timers.restart(timer.id, ms, false);
      return signal;
    }

    static any(signals) {
      const prefix = "Failed to execute 'any' on 'AbortSignal'";
      requiredArguments(arguments.length, 1, prefix);
      return createDependent(toSignalSequence(signals, prefix));
    }

    get aborted() { return this.#reason !== undefined; }
    get reason() { return this.#reason; }

    throwIfAborted() {
      const reason = this.#reason;
      if (reason !== undefined) throw reason;
    }

    static {
      isAbortSignal = (v) => isObject(v) && #reason in v;
      reasonOf = (signal) => signal.#reason;
      createSignal = () => new AbortSignal(illegalConstructorKey);

      // §3.1.3 "signal abort": dependents are marked aborted before any abort event fires.
      signalAbort = (signal, reason) => {
        if (signal.#reason !== undefined) return;
        signal.#reason = reason === undefined ? newAbortError() : reason;
        const toAbort = [];
        if (signal.#dependents !== null) {
          const refs = signal.#dependents.refs;
          for (let i = 0; i < refs.length; i++) {
            const dependent = WeakRefPrototypeDeref(refs[i]);
            if (dependent !== undefined && dependent.#reason === undefined) {
              dependent.#reason = signal.#reason;
              ArrayPrototypePush(toAbort, dependent);
            }
          }
        }
        runAbortSteps(signal);
        for (let i = 0; i < toAbort.length; i++) runAbortSteps(toAbort[i]);
      };

      // §3.1.3 "run the abort steps".
      const runAbortSteps = (signal) => {
        const algorithms = signal.#algorithms;
        release(signal);
        if (algorithms !== null) {
          for (let i = 0; i < algorithms.length; i++) {
            const algorithm = algorithms[i];
            try {
              algorithm();
            } catch (e) {
              internal.reportException(e);
            }
          }
        }
        dispatchTrusted(signal, new Event('abort'));
      };

      // An aborted signal needs none of its links any more: drop them so they can be collected.
      const release = (signal) => {
        signal.#algorithms = null;
        signal.#dependents = null;
        signal.#kept = null;
        signal.#keptListening = 0;
        if (signal.#timer !== null) {
          internal.timers.clearTimeout(signal.#timer.id);
          signal.#timer = null;
        }
        if (signal.#dependent) {
          const sources = signal.#sources;
          signal.#sources = null;
          for (let i = 0; i < sources.length; i++) keep(sources[i], signal, false, false);
        }
      };

      addAlgorithm = (signal, algorithm) => {
        if (signal.#reason !== undefined) return;
        if (signal.#algorithms === null) signal.#algorithms = [];
        ArrayPrototypePush(signal.#algorithms, algorithm);
        if (signal.#dependent) interestChanged(signal);
      };

      removeAlgorithm = (signal, algorithm) => {
        const algorithms = signal.#algorithms;
        if (algorithms === null) return;
        const i = ArrayPrototypeIndexOf(algorithms, algorithm);
        if (i >= 0) ArrayPrototypeSplice(algorithms, i, 1);
        if (signal.#dependent) interestChanged(signal);
      };

      // §3.1.4 "create a dependent abort signal": a dependent of dependents follows their sources.
      createDependent = (signals) => {
        const result = createSignal();
        for (let i = 0; i < signals.length; i++) {
          if (signals[i].#reason !== undefined) {
            result.#reason = signals[i].#reason;
            return result;
          }
        }
        result.#dependent = true;
        result.#sources = [];
        for (let i = 0; i < signals.length; i++) {
          const signal = signals[i];
          if (!signal.#dependent) {
            link(result, signal);
          } else {
            const sources = signal.#sources;
            for (let j = 0; j < sources.length; j++) link(result, sources[j]);
          }
        }
        return result;
      };

      const link = (dependent, source) => {
        if (ArrayPrototypeIncludes(dependent.#sources, source)) return;
        ArrayPrototypePush(dependent.#sources, source);
        let deps = source.#dependents;
        if (deps === null) {
          deps = source.#dependents = { refs: [], pruneAt: 16 };
        } else if (deps.refs.length >= deps.pruneAt) {
          // Drop collected and aborted dependents; amortized O(1) per link.
          const live = [];
          for (let i = 0; i < deps.refs.length; i++) {
            const d = WeakRefPrototypeDeref(deps.refs[i]);
            if (d !== undefined && d.#reason === undefined) ArrayPrototypePush(live, deps.refs[i]);
          }
          deps.refs = live;
          deps.pruneAt = MathMax(16, live.length * 2);
        }
        ArrayPrototypePush(deps.refs, new SafeWeakRef(dependent));
      };

      // §3.1.5 garbage collection: a non-aborted dependent with abort listeners or abort algorithms must
      // stay alive while it has sources, so its sources hold it strongly (in #kept) only then.
      interestChanged = (signal) => {
        if (signal.#reason !== undefined) return;
        if (signal.#dependent) {
          const listening = hasEventListeners(signal, 'abort');
          const interested = listening || (signal.#algorithms !== null && signal.#algorithms.length > 0);
          const sources = signal.#sources;
          for (let i = 0; i < sources.length; i++) keep(sources[i], signal, interested, listening);
        }
        if (signal.#timer !== null) updateTimerRef(signal);
      };

      const keep = (source, dependent, interested, listening) => {
        let kept = source.#kept;
        const was = kept === null ? undefined : MapPrototypeGet(kept, dependent);
        if (was === true) source.#keptListening--;
        if (interested) {
          if (kept === null) kept = source.#kept = new SafeMap();
          MapPrototypeSet(kept, dependent, listening);
          if (listening) source.#keptListening++;
        } else if (was !== undefined) {
          MapPrototypeDelete(kept, dependent);
        }
        if (source.#timer !== null) updateTimerRef(source);
      };

      // A timeout signal's timer keeps the loop alive while the signal or one of its dependents has
      // abort listeners; switching restarts the host timer with the time left to the same deadline.
      const updateTimerRef = (signal) => {
        const timer = signal.#timer;
        const ref = signal.#keptListening > 0 || hasEventListeners(signal, 'abort');
        if (ref === timer.ref) return;
        timer.ref = ref;
        internal.timers.restart(timer.id, MathMax(0, timer.deadline - internal.hostNow()), ref);
      };
    }
  }

  // WebIDL [EnforceRange] unsigned long long.
  function toEnforcedUnsignedLongLong(v, prefix) {
    let x = +v;
    if (!NumberIsFinite(x)) throw new TypeError(`${prefix}: Value is not a finite number.`);
    x = MathTrunc(x);
    if (x < 0 || x > 9007199254740991) {
      throw new TypeError(`${prefix}: Value is outside the 'unsigned long long' value range.`);
    }
    return x === 0 ? 0 : x;
  }

  // WebIDL sequence<AbortSignal>: any iterable of signals.
  function toSignalSequence(v, prefix) {
    if (!isObject(v)) throw new TypeError(`${prefix}: parameter 1 is not iterable.`);
    const method = v[SymbolIterator];
    if (typeof method !== 'function') throw new TypeError(`${prefix}: parameter 1 is not iterable.`);
    const iterator = ReflectApply(method, v, []);
    if (!isObject(iterator)) throw new TypeError(`${prefix}: the iterator is not an object.`);
    const next = iterator.next;
    const out = [];
    for (;;) {
      const step = ReflectApply(next, iterator, []);
      if (!isObject(step)) throw new TypeError(`${prefix}: the iterator result is not an object.`);
      if (step.done) return out;
      const signal = step.value;
      if (!isAbortSignal(signal)) throw new TypeError(`${prefix}: an element is not of type 'AbortSignal'.`);
      ArrayPrototypePush(out, signal);
    }
  }

  defineEventHandler(AbortSignal.prototype, 'abort', isAbortSignal);

  class AbortController {
    #signal = createSignal();

    constructor() {}

    get signal() { return this.#signal; }

    abort(reason = undefined) { signalAbort(this.#signal, reason); }
  }

  configureInterface(AbortSignal);
  configureInterface(AbortController);
  // Static operations are enumerable too (WebIDL §3.7.6). (Built on first use, when an app may have
  // replaced built-ins: no iterators, no inherited members.)
  const statics = ['abort', 'timeout', 'any'];
  for (let i = 0; i < statics.length; i++) ObjectDefineProperty(AbortSignal, statics[i], { __proto__: null, enumerable: true });

  // The real operations replace the stubs on internal.abortSignal (callers keep that object).
  ObjectAssign(internal.abortSignal, {
    isAbortSignal, isAborted: (signal) => reasonOf(signal) !== undefined, reason: reasonOf,
    create: createSignal, signalAbort, addAlgorithm, removeAlgorithm, createDependent,
  });
  // EventTarget (previous file) tells us when 'abort' listeners are added to or removed from a target.
  internal.abortListenersChanged = (target) => { if (isAbortSignal(target)) interestChanged(target); };
  return { AbortSignal, AbortController };
}

// AbortSignal and AbortController are built on the first use of either (internal.exposeLazily), or
// when NANO needs a signal (request.signal, a WritableStream's controller, fetch()): most requests
// never do. Until then no signal exists: the operations that take one are never reached, and
// isAbortSignal answers false.
let built = false;
const api = internal.exposeLazily(['AbortSignal', 'AbortController'], () => {
  const classes = createApi();
  built = true;
  return classes;
});
// The stubs forward to the real operations once built, should a caller have kept one.
internal.abortSignal = {
  __proto__: null,
  isAbortSignal: (v) => built && internal.abortSignal.isAbortSignal(v),
  create: () => (api(), internal.abortSignal.create()),
  createDependent: (signals) => (api(), internal.abortSignal.createDependent(signals)),
};
