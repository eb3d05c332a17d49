// Uncaught exceptions and unhandled promise rejections (HTML §8.1.4.7 "report an exception",
// §8.1.5.7 "unhandled promise rejections"): first an `error` / `unhandledrejection` event on the
// global, which a listener may cancel; if nothing handled it, the error goes to the host.
const { ObjectPrototypeToString, TypeError } = internal.primordials;
const { exposeOperation, setFunctionName, requiredArguments } = internal.webidl;

function describe(value) {
  if (value !== null && typeof value === 'object' && typeof value.stack === 'string' && value.stack) {
    const stack = value.stack;
    // GraalJS's stack starts with "Name: message"; keep it as it is.
    return stack;
  }
  if (internal.inspect) return internal.inspect(value);
  try { return `${value}`; } catch { return ObjectPrototypeToString(value); }
}

// Returns true when a listener canceled the event (the error counts as handled).
function dispatchToGlobal(event) {
  return internal.dispatchGlobalEvent ? !internal.dispatchGlobalEvent(event) : false;
}

function reportException(error) {
  let handled = false;
  // With no listener the event would go nowhere: it is not made (nor the event classes built).
  if (internal.hasEventListeners(globalThis, 'error')) {
    const event = new (internal.events().ErrorEvent)('error', {
      cancelable: true,
      message: error instanceof Error ? error.message : `${describe(error)}`,
      error,
    });
    handled = dispatchToGlobal(event);
  }
  if (!handled) internal.hostReportUncaught(`Uncaught ${describe(error)}`);
}

function onUnhandledRejection(reason, promise) {
  let handled = false;
  if (internal.hasEventListeners(globalThis, 'unhandledrejection')) {
    const event = new (internal.events().PromiseRejectionEvent)('unhandledrejection', { cancelable: true, promise, reason });
    handled = dispatchToGlobal(event);
  }
  if (!handled) internal.hostReportUncaught(`Uncaught (in promise) ${describe(reason)}`);
}

// The engine's hook for unhandled rejections; take it, then hide the Graal global from apps.
globalThis.Graal.setUnhandledPromiseRejectionHandler(onUnhandledRejection);
delete globalThis.Graal;

function reportError(e) {
  requiredArguments(arguments.length, 1, "Failed to execute 'reportError'");
  reportException(e);
}

internal.reportException = reportException;
exposeOperation('reportError', setFunctionName(reportError, 'reportError'));
