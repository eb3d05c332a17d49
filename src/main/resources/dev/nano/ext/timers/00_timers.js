// setTimeout, setInterval, clearTimeout, clearInterval (HTML §8.6 "Timers") and queueMicrotask
// (HTML §8.7). Java keeps the deadlines (TimerOps); ids, callbacks and nesting levels live here.
const { ReflectApply, MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete, MapPrototypeHas,
  Promise, PromiseReject, PromiseResolve, PromisePrototypeThen, SafeMap, TypeError } = internal.primordials;
const { toLong, exposeOperation, setFunctionName, requiredArguments, illegalConstructorKey } = internal.webidl;

const timers = new SafeMap(); // id -> { handler, args, repeat, timeout, nesting }
let nextId = 1;
let currentNesting = 0; // the timer nesting level of the running timer task, 0 outside timers

function initTimer(handler, timeout, args, repeat, previousId) {
  timeout = toLong(timeout);
  if (timeout < 0) timeout = 0;
  const nesting = currentNesting;
  if (nesting > 5 && timeout < 4) timeout = 4;
  const id = previousId ?? nextId++;
  if (typeof handler !== 'function') handler = `${handler}`;
  MapPrototypeSet(timers, id, { handler, args, repeat, timeout, nesting: nesting + 1 });
  ops.start(id, timeout);
  return id;
}

function fire(id) {
  const timer = MapPrototypeGet(timers, id);
  if (timer === undefined) return;
  if (!timer.repeat) MapPrototypeDelete(timers, id);
  const outer = currentNesting;
  currentNesting = timer.nesting;
  try {
    if (typeof timer.handler === 'function') {
      ReflectApply(timer.handler, globalThis, timer.args);
    } else {
      (0, eval)(timer.handler); // HTML: a string handler is evaluated as a classic script
    }
  } catch (e) {
    internal.reportException(e);
  } finally {
    // An interval re-arms itself unless its callback cleared it (HTML timer initialization steps, repeat).
    if (timer.repeat && MapPrototypeGet(timers, id) === timer) {
      initTimer(timer.handler, timer.timeout, timer.args, true, id);
    }
    currentNesting = outer;
  }
}
ops.setHandler(fire);

function clearTimer(id) {
  id = toLong(id);
  if (MapPrototypeHas(timers, id)) {
    MapPrototypeDelete(timers, id);
    ops.clear(id);
  }
}

function setTimeout(handler, timeout = 0, ...args) {
  return initTimer(handler, timeout, args, false);
}
function setInterval(handler, timeout = 0, ...args) {
  return initTimer(handler, timeout, args, true);
}
function clearTimeout(id = 0) { clearTimer(id); }
function clearInterval(id = 0) { clearTimer(id); }

function queueMicrotask(callback) {
  requiredArguments(arguments.length, 1, "Failed to execute 'queueMicrotask'");
  if (typeof callback !== 'function') {
    throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
  }
  PromisePrototypeThen(PromiseResolve(), () => {
    try {
      ReflectApply(callback, undefined, []);
    } catch (e) {
      internal.reportException(e);
    }
  });
}

exposeOperation('setTimeout', setFunctionName(setTimeout, 'setTimeout'));
exposeOperation('setInterval', setFunctionName(setInterval, 'setInterval'));
exposeOperation('clearTimeout', setFunctionName(clearTimeout, 'clearTimeout'));
exposeOperation('clearInterval', setFunctionName(clearInterval, 'clearInterval'));
exposeOperation('queueMicrotask', setFunctionName(queueMicrotask, 'queueMicrotask'));
// Workers' scheduler.wait(delay, { signal }) (not a Web standard; workerd has it): setTimeout as a
// promise, rejected with the signal's reason when it aborts first. Built on first use.
internal.exposeLazily(['scheduler'], () => {
  class Scheduler {
    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    }

    wait(delay = 0, options = undefined) {
      const signal = options === undefined || options === null ? undefined : options.signal;
      if (signal !== undefined && !internal.abortSignal.isAbortSignal(signal)) {
        return PromiseReject(new TypeError("Failed to execute 'wait' on 'Scheduler': signal is not an AbortSignal."));
      }
      if (signal !== undefined && signal.aborted) return PromiseReject(signal.reason);
      return new Promise((resolve, reject) => {
        let onAbort;
        const id = initTimer(() => {
          if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
          resolve();
        }, delay, [], false);
        if (signal !== undefined) {
          onAbort = () => { clearTimer(id); reject(signal.reason); };
          signal.addEventListener('abort', onAbort, { once: true });
        }
      });
    }
  }
  return { scheduler: new Scheduler(illegalConstructorKey) };
}, true);

// For AbortSignal.timeout (web/02_abort.js): restart re-arms a live timer with an exact delay, ref'd or not.
internal.timers = { __proto__: null, setTimeout, clearTimeout, restart: (id, delay, ref) => { if (MapPrototypeHas(timers, id)) ops.start(id, delay, ref); } };
