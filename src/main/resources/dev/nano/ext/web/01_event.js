// DOM Standard §2 "Events": Event, CustomEvent, EventTarget and the dispatch algorithm (§2.9) for
// targets without parents (NANO has no nodes, so an event path is always just its target), plus
// HTML's ErrorEvent, PromiseRejectionEvent and event handler attributes (HTML §8.1.8).
// The global object is an EventTarget too: its listeners live in `globalState` below, and
// global/99_global.js puts EventTarget.prototype on its prototype chain.
const {
  ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ArrayPrototypePush, ArrayPrototypeSlice,
  ArrayPrototypeSplice, ArrayPrototypeIndexOf, ReflectApply, TypeError,
} = internal.primordials;
const { requiredArguments, toDOMString, configureInterface, exposeInterface } = internal.webidl;

// Event flags (DOM §2.2), as bits of one field.
const BUBBLES = 1, CANCELABLE = 2, COMPOSED = 4, STOP_PROPAGATION = 8, STOP_IMMEDIATE = 16,
  CANCELED = 32, IN_PASSIVE = 64, INITIALIZED = 128, DISPATCH = 256, TRUSTED = 512;
const NONE = 0, CAPTURING_PHASE = 1, AT_TARGET = 2, BUBBLING_PHASE = 3;

const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

// Accessors to the private state of the classes below, set by their static blocks, so that the
// dispatch algorithm can be written as plain functions.
let isEvent = () => false;
let eventType, eventFlags, setEventFlags, setEventTarget, setCurrentTarget, setEventPhase;
let initEvent, isTrustedDescriptor, isErrorEvent, errorEventArgs;
let stateOf, isEventTarget;

// DOM §2.2 "set the canceled flag".
function setCanceled(event) {
  const flags = eventFlags(event);
  if ((flags & CANCELABLE) !== 0 && (flags & IN_PASSIVE) === 0) setEventFlags(event, flags | CANCELED);
}

// The event classes, built on first use (internal.exposeLazily below): Event, CustomEvent, ErrorEvent
// and PromiseRejectionEvent. Until one is built no event exists, so isEvent answers false and the
// functions below that take an event are not reached.
function createEvents() {
  const { toUSVString, toUnsignedLong } = internal.webidl;
  let eventPhaseOf; // set in Event's static block
  // Event.prototype.stopImmediatePropagation as a function of the event
  const stopImmediatePropagation = (e) => { setEventFlags(e, eventFlags(e) | STOP_PROPAGATION | STOP_IMMEDIATE); };
  // Reads an EventInit dictionary (bubbles, cancelable, composed, in WebIDL's lexicographic order).
  function eventInitFlags(init, prefix) {
    if (init === undefined || init === null) return 0;
    if (!isObject(init)) throw new TypeError(`${prefix}: The provided value is not of type 'EventInit'.`);
    let flags = 0;
    if (init.bubbles) flags |= BUBBLES;
    if (init.cancelable) flags |= CANCELABLE;
    if (init.composed) flags |= COMPOSED;
    return flags;
  }

  class Event {
    #type;
    #flags;
    #target = null;
    #currentTarget = null;
    #phase = NONE;
    #timeStamp;

    constructor(type, eventInitDict = undefined) {
      requiredArguments(arguments.length, 1, "Failed to construct 'Event'");
      type = toDOMString(type);
      const flags = eventInitFlags(eventInitDict, "Failed to construct 'Event'");
      this.#type = type;
      this.#flags = flags | INITIALIZED;
      this.#timeStamp = internal.hostNow();
      ObjectDefineProperty(this, 'isTrusted', isTrustedDescriptor);
    }

    get type() { return this.#type; }
    get target() { return this.#target; }
    get srcElement() { return this.#target; }
    get currentTarget() { return this.#currentTarget; }
    get eventPhase() { return this.#phase; }
    get bubbles() { return (this.#flags & BUBBLES) !== 0; }
    get cancelable() { return (this.#flags & CANCELABLE) !== 0; }
    get composed() { return (this.#flags & COMPOSED) !== 0; }
    get defaultPrevented() { return (this.#flags & CANCELED) !== 0; }
    get timeStamp() { return this.#timeStamp; }

    // §2.2 composedPath(): the path of a parentless target is the target itself, during dispatch only.
    composedPath() {
      return (this.#flags & DISPATCH) !== 0 && this.#currentTarget !== null ? [this.#currentTarget] : [];
    }

    stopPropagation() { this.#flags |= STOP_PROPAGATION; }
    get cancelBubble() { return (this.#flags & STOP_PROPAGATION) !== 0; }
    set cancelBubble(value) {
      const flags = this.#flags;
      if (value) this.#flags = flags | STOP_PROPAGATION;
    }
    stopImmediatePropagation() { this.#flags |= STOP_PROPAGATION | STOP_IMMEDIATE; }

    get returnValue() { return (this.#flags & CANCELED) === 0; }
    set returnValue(value) {
      this.#flags; // brand check
      if (!value) setCanceled(this);
    }
    preventDefault() { setCanceled(this); }

    // §2.2 initEvent(): legacy re-initialization, ignored while the event is being dispatched.
    initEvent(type, bubbles = false, cancelable = false) {
      this.#flags; // brand check before converting the arguments
      requiredArguments(arguments.length, 1, "Failed to execute 'initEvent' on 'Event'");
      type = toDOMString(type);
      if ((this.#flags & DISPATCH) !== 0) return;
      this.#init(type, bubbles, cancelable);
    }

    // §2.5 "initialize": also used by CustomEvent.initCustomEvent.
    #init(type, bubbles, cancelable) {
      this.#flags = INITIALIZED | (bubbles ? BUBBLES : 0) | (cancelable ? CANCELABLE : 0) | (this.#flags & COMPOSED);
      this.#target = null;
      this.#type = type;
    }

    static {
      isEvent = (v) => isObject(v) && #flags in v;
      eventType = (e) => e.#type;
      eventFlags = (e) => e.#flags;
      setEventFlags = (e, flags) => { e.#flags = flags; };
      setEventTarget = (e, target) => { e.#target = target; };
      setCurrentTarget = (e, target) => { e.#currentTarget = target; };
      setEventPhase = (e, phase) => { e.#phase = phase; };
      eventPhaseOf = (e) => e.#phase;
      initEvent = (e, type, bubbles, cancelable) => {
        if ((e.#flags & DISPATCH) !== 0) return false;
        e.#init(type, bubbles, cancelable);
        return true;
      };
      // [LegacyUnforgeable] isTrusted (DOM §2.2, WebIDL §3.7.5): an own accessor of every instance,
      // with one getter function shared by all of them.
      const { get } = ObjectGetOwnPropertyDescriptor({ get isTrusted() { return (this.#flags & TRUSTED) !== 0; } }, 'isTrusted');
      isTrustedDescriptor = { __proto__: null, get, set: undefined, enumerable: true, configurable: false };
    }
  }

  class CustomEvent extends Event {
    #detail = null;

    constructor(type, eventInitDict = undefined) {
      requiredArguments(arguments.length, 1, "Failed to construct 'CustomEvent'");
      super(type, eventInitDict);
      if (eventInitDict !== undefined && eventInitDict !== null) {
        const detail = eventInitDict.detail;
        if (detail !== undefined) this.#detail = detail;
      }
    }

    get detail() { return this.#detail; }

    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      this.#detail; // brand check
      requiredArguments(arguments.length, 1, "Failed to execute 'initCustomEvent' on 'CustomEvent'");
      type = toDOMString(type);
      if (initEvent(this, type, bubbles, cancelable)) this.#detail = detail;
    }
  }

  // HTML §8.1.4.7 ErrorEvent.
  class ErrorEvent extends Event {
    #message = '';
    #filename = '';
    #lineno = 0;
    #colno = 0;
    #error = undefined;

    constructor(type, eventInitDict = undefined) {
      requiredArguments(arguments.length, 1, "Failed to construct 'ErrorEvent'");
      super(type, eventInitDict);
      if (eventInitDict !== undefined && eventInitDict !== null) {
        // Members in lexicographic order, each read then converted, as WebIDL does.
        const colno = eventInitDict.colno;
        if (colno !== undefined) this.#colno = toUnsignedLong(colno);
        this.#error = eventInitDict.error;
        const filename = eventInitDict.filename;
        if (filename !== undefined) this.#filename = toUSVString(filename);
        const lineno = eventInitDict.lineno;
        if (lineno !== undefined) this.#lineno = toUnsignedLong(lineno);
        const message = eventInitDict.message;
        if (message !== undefined) this.#message = toDOMString(message);
      }
    }

    get message() { return this.#message; }
    get filename() { return this.#filename; }
    get lineno() { return this.#lineno; }
    get colno() { return this.#colno; }
    get error() { return this.#error; }

    static {
      isErrorEvent = (v) => isObject(v) && #error in v;
      // The arguments of an OnErrorEventHandler (HTML §8.1.8.1, special error event handling).
      errorEventArgs = (e) => [e.#message, e.#filename, e.#lineno, e.#colno, e.#error];
    }
  }

  // HTML §8.1.5.7 PromiseRejectionEvent.
  class PromiseRejectionEvent extends Event {
    #promise;
    #reason = undefined;

    constructor(type, eventInitDict) {
      requiredArguments(arguments.length, 2, "Failed to construct 'PromiseRejectionEvent'");
      super(type, eventInitDict);
      const prefix = "Failed to construct 'PromiseRejectionEvent'";
      if (eventInitDict === undefined || eventInitDict === null) {
        throw new TypeError(`${prefix}: required member promise is undefined.`);
      }
      const promise = eventInitDict.promise;
      if (promise === undefined) throw new TypeError(`${prefix}: required member promise is undefined.`);
      if (!isObject(promise)) throw new TypeError(`${prefix}: member promise is not an object.`);
      this.#promise = promise;
      this.#reason = eventInitDict.reason;
    }

    get promise() { return this.#promise; }
    get reason() { return this.#reason; }
  }

  // ---- Interfaces ----
  // (Built on first use, when an app may have replaced built-ins: no iterators.)
  configureInterface(Event);
  configureInterface(CustomEvent);
  configureInterface(ErrorEvent);
  configureInterface(PromiseRejectionEvent);
  const PHASES = [['NONE', NONE], ['CAPTURING_PHASE', CAPTURING_PHASE], ['AT_TARGET', AT_TARGET], ['BUBBLING_PHASE', BUBBLING_PHASE]];
  for (let i = 0; i < PHASES.length; i++) {
    const desc = { value: PHASES[i][1], writable: false, enumerable: true, configurable: false };
    ObjectDefineProperty(Event, PHASES[i][0], desc);
    ObjectDefineProperty(Event.prototype, PHASES[i][0], desc);
  }
  // For FetchEvent (http/00_dispatch.js), immune to an app replacing the members.
  return { Event, CustomEvent, ErrorEvent, PromiseRejectionEvent, eventPhaseOf, stopImmediatePropagation };
}

// ---- EventTarget ----
// A target's state: its event listener list (DOM §2.7) and its event handler map (HTML §8.1.8.1),
// created on first use. A listener is a record { type, callback, capture, passive, once, removed,
// signal, abort, handler }; `handler` is set for the listener of an event handler attribute.
const newState = () => ({ list: [], handlers: null });
let globalState = null;

function newListener(type, callback, capture, passive, once, handler) {
  return { type, callback, capture, passive, once, removed: false, signal: null, abort: null, handler };
}

// The abort signal extension (next file) keeps timeout timers and dependent signals alive only
// while somebody listens for 'abort'; tell it when that changes.
function abortListenersChanged(target, type) {
  if (type === 'abort' && internal.abortListenersChanged !== undefined) internal.abortListenersChanged(target);
}

function appendListener(target, state, listener) {
  ArrayPrototypePush(state.list, listener);
  abortListenersChanged(target, listener.type);
}

// DOM §2.7 "remove an event listener".
function removeListener(target, state, listener) {
  listener.removed = true;
  const i = ArrayPrototypeIndexOf(state.list, listener);
  if (i >= 0) ArrayPrototypeSplice(state.list, i, 1);
  // Not in the spec, unobservable: drop the signal's reference to a listener that is gone.
  if (listener.signal !== null) internal.abortSignal.removeAlgorithm(listener.signal, listener.abort);
  abortListenersChanged(target, listener.type);
}

function findListener(list, type, callback, capture) {
  for (let i = 0; i < list.length; i++) {
    const l = list[i];
    if (l.type === type && l.callback === callback && l.capture === capture && l.handler === null) return l;
  }
  return null;
}

// `EventListener?` (a callback interface): null, or any object.
function toListener(callback, prefix) {
  if (callback === undefined || callback === null) return null;
  if (!isObject(callback)) throw new TypeError(`${prefix}: parameter 2 is not of type 'EventListener'.`);
  return callback;
}

// DOM §2.7 "flatten": the capture of `(EventListenerOptions or boolean)`.
function flattenCapture(options) {
  if (isObject(options)) return !!options.capture;
  return options !== undefined && options !== null && !!options;
}

class EventTarget {
  #state = null;

  constructor() {}

  addEventListener(type, callback, options = undefined) {
    const target = this ?? globalThis; // WebIDL: an operation of the global called on undefined
    stateOf(target, false); // brand check
    const prefix = "Failed to execute 'addEventListener' on 'EventTarget'";
    requiredArguments(arguments.length, 2, prefix);
    type = toDOMString(type);
    callback = toListener(callback, prefix);
    // §2.7 "flatten more", reading AddEventListenerOptions members in WebIDL order.
    let capture = false, once = false, passive = false, signal = null;
    if (isObject(options)) {
      capture = !!options.capture;
      once = !!options.once;
      const p = options.passive;
      if (p !== undefined) passive = !!p; // else the default passive value: false without nodes
      const s = options.signal;
      if (s !== undefined) {
        if (!internal.abortSignal.isAbortSignal(s)) {
          throw new TypeError(`${prefix}: member signal is not of type 'AbortSignal'.`);
        }
        signal = s;
      }
    } else if (options !== undefined && options !== null) {
      capture = !!options;
    }
    // §2.7 "add an event listener".
    if (signal !== null && internal.abortSignal.isAborted(signal)) return;
    if (callback === null) return;
    const state = stateOf(target, true);
    if (findListener(state.list, type, callback, capture) !== null) return;
    const listener = newListener(type, callback, capture, passive, once, null);
    if (signal !== null) {
      listener.signal = signal;
      listener.abort = () => { if (!listener.removed) removeListener(target, state, listener); };
      internal.abortSignal.addAlgorithm(signal, listener.abort);
    }
    appendListener(target, state, listener);
  }

  removeEventListener(type, callback, options = undefined) {
    const target = this ?? globalThis;
    stateOf(target, false);
    const prefix = "Failed to execute 'removeEventListener' on 'EventTarget'";
    requiredArguments(arguments.length, 2, prefix);
    type = toDOMString(type);
    callback = toListener(callback, prefix);
    const capture = flattenCapture(options);
    const state = stateOf(target, false);
    if (state === null || callback === null) return;
    const listener = findListener(state.list, type, callback, capture);
    if (listener !== null) removeListener(target, state, listener);
  }

  dispatchEvent(event) {
    const target = this ?? globalThis;
    stateOf(target, false);
    requiredArguments(arguments.length, 1, "Failed to execute 'dispatchEvent' on 'EventTarget'");
    if (!isEvent(event)) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    }
    const flags = eventFlags(event);
    if ((flags & DISPATCH) !== 0 || (flags & INITIALIZED) === 0) {
      throw new internal.DOMException(
        "Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", 'InvalidStateError');
    }
    setEventFlags(event, flags & ~TRUSTED);
    return dispatch(target, event);
  }

  static {
    isEventTarget = (v) => v === globalThis || (isObject(v) && #state in v);
    // The state of `target` (null if none yet, or a new one if `create`); throws for non-targets.
    stateOf = (target, create) => {
      if (target === globalThis) {
        if (globalState === null && create) globalState = newState();
        return globalState;
      }
      if (!isObject(target) || !(#state in target)) throw new TypeError('Illegal invocation');
      let state = target.#state;
      if (state === null && create) state = target.#state = newState();
      return state;
    };
  }
}

// ---- Dispatch (DOM §2.9) ----
// With no parents the event path is [target]: capture listeners run, then the others, both AT_TARGET.
function dispatch(target, event) {
  setEventFlags(event, eventFlags(event) | DISPATCH);
  setEventTarget(event, target);
  setEventPhase(event, AT_TARGET);
  try {
    invoke(target, event, true);
    invoke(target, event, false);
  } finally {
    setEventPhase(event, NONE);
    setCurrentTarget(event, null);
    setEventFlags(event, eventFlags(event) & ~(DISPATCH | STOP_PROPAGATION | STOP_IMMEDIATE | IN_PASSIVE));
  }
  return (eventFlags(event) & CANCELED) === 0;
}

// §2.9 "invoke" and "inner invoke": the listener list is copied first, so listeners added during
// dispatch do not run and listeners removed during it (their `removed` flag) do not either.
function invoke(target, event, capture) {
  if ((eventFlags(event) & STOP_PROPAGATION) !== 0) return;
  setCurrentTarget(event, target);
  const state = stateOf(target, false);
  if (state === null || state.list.length === 0) return;
  const listeners = ArrayPrototypeSlice(state.list);
  const type = eventType(event);
  for (let i = 0; i < listeners.length; i++) {
    const listener = listeners[i];
    if (listener.removed || listener.type !== type || listener.capture !== capture) continue;
    if (listener.once) removeListener(target, state, listener);
    if (listener.passive) setEventFlags(event, eventFlags(event) | IN_PASSIVE);
    try {
      if (listener.handler !== null) {
        runEventHandler(listener.handler, event, target);
      } else {
        callListener(listener.callback, event, target);
      }
    } catch (e) {
      internal.reportException(e);
    }
    const flags = eventFlags(event);
    setEventFlags(event, flags & ~IN_PASSIVE);
    if ((flags & STOP_IMMEDIATE) !== 0) return;
  }
}

// WebIDL "call a user object's operation": a function is called with the target as `this`, any
// other object through its handleEvent method, looked up at each call.
function callListener(callback, event, target) {
  if (typeof callback === 'function') {
    ReflectApply(callback, target, [event]);
    return;
  }
  const handleEvent = callback.handleEvent;
  if (typeof handleEvent !== 'function') throw new TypeError("The listener's 'handleEvent' is not a function");
  ReflectApply(handleEvent, callback, [event]);
}

// ---- Event handler attributes (HTML §8.1.8.1) ----
// An `on<type>` attribute owns one listener, added when it is first set to a non-null value and
// kept at that place in the list until the attribute is set to null.
function handlerOf(target, type) {
  const state = stateOf(target, false);
  const handler = state === null || state.handlers === null ? undefined : state.handlers[type];
  return handler === undefined ? null : handler.value;
}

function setHandler(target, type, value) {
  if (!isObject(value)) value = null; // [LegacyTreatNonObjectAsNull]
  const state = stateOf(target, value !== null);
  const handler = state === null || state.handlers === null ? undefined : state.handlers[type];
  if (value === null) {
    if (handler !== undefined) { // deactivate
      state.handlers[type] = undefined;
      removeListener(target, state, handler.listener);
    }
    return;
  }
  if (handler !== undefined) {
    handler.value = value;
    return;
  }
  if (state.handlers === null) state.handlers = { __proto__: null };
  const record = { value, listener: null };
  record.listener = newListener(type, null, false, false, false, record);
  state.handlers[type] = record;
  appendListener(target, state, record.listener);
}

// HTML "the event handler processing algorithm"; onerror on the global gets the OnErrorEventHandler
// arguments and cancels the event by returning true, other handlers cancel it by returning false.
function runEventHandler(record, event, target) {
  const callback = record.value;
  if (typeof callback !== 'function') return;
  const special = target === globalThis && eventType(event) === 'error' && isErrorEvent(event);
  const result = ReflectApply(callback, target, special ? errorEventArgs(event) : [event]);
  if (special ? result === true : result === false) setCanceled(event);
}

// Defines the `on<type>` accessor on `object` (a prototype, or the global); `isBrand` checks `this`.
function defineEventHandler(object, type, isBrand) {
  const name = `on${type}`;
  const check = (self) => {
    const target = self ?? globalThis;
    if (!isBrand(target)) throw new TypeError('Illegal invocation');
    return target;
  };
  const accessors = {
    get [name]() { return handlerOf(check(this), type); },
    set [name](value) { setHandler(check(this), type, value); },
  };
  // an object literal's accessor is already enumerable and configurable, as WebIDL wants
  ObjectDefineProperty(object, name, ObjectGetOwnPropertyDescriptor(accessors, name));
}
// ---- Interfaces ----
configureInterface(EventTarget);
exposeInterface('EventTarget', EventTarget);
const events = internal.exposeLazily(['Event', 'CustomEvent', 'ErrorEvent', 'PromiseRejectionEvent'], createEvents);

// "Fire an event" style dispatch by NANO itself: the event is trusted.
function dispatchTrusted(target, event) {
  setEventFlags(event, eventFlags(event) | TRUSTED);
  return dispatch(target, event);
}

// HTML §8.1.4.7: while an error event is being dispatched on the global ("in error reporting mode"),
// a listener's own uncaught error is not dispatched again but goes straight to the host.
let reportingError = false;
function dispatchGlobalEvent(event) {
  const isError = eventType(event) === 'error' && isErrorEvent(event);
  if (isError) {
    if (reportingError) return true;
    reportingError = true;
  }
  try {
    return dispatchTrusted(globalThis, event);
  } finally {
    if (isError) reportingError = false;
  }
}

// { Event, CustomEvent, ErrorEvent, PromiseRejectionEvent }, built now if need be.
internal.events = events;
internal.EventTarget = EventTarget;
internal.initEvent = (e, type, bubbles, cancelable) => initEvent(e, type, bubbles, cancelable);
internal.isEventTarget = isEventTarget;
internal.dispatchTrusted = dispatchTrusted;
internal.dispatchGlobalEvent = dispatchGlobalEvent;
internal.defineEventHandler = defineEventHandler;
internal.hasEventListeners = (target, type) => {
  const state = stateOf(target, false);
  if (state === null) return false;
  for (let i = 0; i < state.list.length; i++) if (state.list[i].type === type) return true;
  return false;
};
