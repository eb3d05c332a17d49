// performance: High Resolution Time (hr-time §4 "The Performance interface"), Performance Timeline
// (§4.1 getEntries*, §5 PerformanceObserver), and User Timing Level 3 (§3 mark/measure, §4
// PerformanceMark, PerformanceMeasure). Times are milliseconds since the context was created
// (internal.hostNow(), monotonic, sub-millisecond); timeOrigin is that moment on the wall clock.
// The entry buffer has no size limit, as the spec says for marks and measures.
const {
  NumberIsFinite, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, TypeError,
} = internal.primordials;
const hostNow = internal.hostNow;
const timeOrigin = internal.hostTimeOrigin;

const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

// WebIDL `double` (DOMHighResTimeStamp): NaN and the infinities are a TypeError.
function toTimeStamp(value, prefix, what) {
  const x = +value;
  if (!NumberIsFinite(x)) throw new TypeError(`${prefix}: ${what} is not a finite number.`);
  return x;
}

// `detail` is stored as a structured clone (User Timing §4.1 step 5, §3.1.3 step 7).
function cloneDetail(detail) {
  return detail === undefined || detail === null ? null : internal.structuredClone(detail);
}

// Everything below is built on first use of performance or of one of its interfaces
// (ARCHITECTURE.md "Keeping a context small"): most server code never touches them.
function createApi() {
  const { toDOMString, requiredArguments, configureInterface, illegalConstructorKey } = internal.webidl;
  const {
    ArrayPrototypePush, ArrayPrototypeSort, ArrayPrototypeFilter, ArrayPrototypeSlice,
    ArrayPrototypeIncludes, ObjectFreeze, FunctionPrototypeCall, PromiseResolve, PromisePrototypeThen,
  } = internal.primordials;
  const { DOMException } = internal;
  // Private state of the entry classes, for the functions of this file.
  let entryName, entryType, entryStartTime, entryDetail;

  class PerformanceEntry {
    #name;
    #entryType;
    #startTime;
    #duration;
    #detail;

    constructor(key = undefined, name, type, startTime, duration, detail) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      this.#name = name;
      this.#entryType = type;
      this.#startTime = startTime;
      this.#duration = duration;
      this.#detail = detail;
    }

    get name() { return this.#name; }
    get entryType() { return this.#entryType; }
    get startTime() { return this.#startTime; }
    get duration() { return this.#duration; }

    // [Default] toJSON: the four attributes; marks and measures add their detail, as browsers and
    // Deno do.
    toJSON() {
      const json = { name: this.#name, entryType: this.#entryType, startTime: this.#startTime, duration: this.#duration };
      if (this.#entryType === 'mark' || this.#entryType === 'measure') json.detail = this.#detail;
      return json;
    }

    static {
      entryName = (entry) => entry.#name;
      entryType = (entry) => entry.#entryType;
      entryStartTime = (entry) => entry.#startTime;
      entryDetail = (entry) => entry.#detail;
    }
  }
  configureInterface(PerformanceEntry);

  class PerformanceMark extends PerformanceEntry {
    #mark = true;

    // User Timing §4.1: constructor(DOMString markName, optional PerformanceMarkOptions markOptions = {}).
    constructor(markName, markOptions = undefined) {
      const prefix = "Failed to construct 'PerformanceMark'";
      requiredArguments(arguments.length, 1, prefix);
      markName = toDOMString(markName);
      let detail;
      let startTime;
      if (isObject(markOptions)) {
        // Dictionary members in lexicographic order: detail, startTime.
        detail = markOptions.detail;
        startTime = markOptions.startTime;
        if (startTime !== undefined) startTime = toTimeStamp(startTime, prefix, 'startTime');
      } else if (markOptions !== undefined && markOptions !== null) {
        throw new TypeError(`${prefix}: The provided value is not of type 'PerformanceMarkOptions'.`);
      }
      if (startTime === undefined) {
        startTime = hostNow();
      } else if (startTime < 0) {
        throw new TypeError(`${prefix}: '${markName}' cannot have a negative start time.`);
      }
      super(illegalConstructorKey, markName, 'mark', startTime, 0, cloneDetail(detail));
    }

    get detail() {
      if (!isObject(this) || !(#mark in this)) throw new TypeError('Illegal invocation');
      return entryDetail(this);
    }
  }
  configureInterface(PerformanceMark);

  class PerformanceMeasure extends PerformanceEntry {
    #measure = true;

    constructor(key = undefined, name, startTime, duration, detail) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      super(key, name, 'measure', startTime, duration, detail);
    }

    get detail() {
      if (!isObject(this) || !(#measure in this)) throw new TypeError('Illegal invocation');
      return entryDetail(this);
    }
  }
  configureInterface(PerformanceMeasure);

  // The performance entry buffer of this context (marks and measures), in the order they were added.
  let buffer = [];

  // Performance Timeline §4.1 "filter buffer by name and type", sorted by startTime (a stable sort).
  function filterEntries(name, type, list = buffer) {
    list = ArrayPrototypeFilter(list, (entry) =>
      (name === undefined || entryName(entry) === name) && (type === undefined || entryType(entry) === type));
    return ArrayPrototypeSort(list, (a, b) => entryStartTime(a) - entryStartTime(b));
  }

  function clearEntries(type, name) {
    buffer = ArrayPrototypeFilter(buffer, (entry) =>
      entryType(entry) !== type || (name !== undefined && entryName(entry) !== name));
  }

  // User Timing §3.1.4 "convert a mark to a timestamp": the latest mark of that name, or a
  // non-negative time. (The PerformanceTiming attribute names only apply to Window.)
  function markToTimestamp(mark, prefix) {
    if (typeof mark === 'number') {
      if (mark < 0) throw new TypeError(`${prefix}: '${mark}' cannot be negative.`);
      return mark;
    }
    for (let i = buffer.length - 1; i >= 0; i--) {
      const entry = buffer[i];
      if (entryType(entry) === 'mark' && entryName(entry) === mark) return entryStartTime(entry);
    }
    throw new DOMException(`${prefix}: The mark '${mark}' does not exist.`, 'SyntaxError');
  }

  // WebIDL union (DOMString or DOMHighResTimeStamp): numbers stay numbers, the rest become strings.
  function toMarkOrTime(value, prefix, what) {
    return typeof value === 'number' ? toTimeStamp(value, prefix, what) : toDOMString(value);
  }

  // Performance Timeline §5: PerformanceObserver. Observers registered with this context's
  // performance, each with its options list and the entries not yet delivered.
  const SUPPORTED_ENTRY_TYPES = ObjectFreeze(['mark', 'measure']);
  let registered = []; // { observer, options: [{ type } | { entryTypes }] }
  let observerTaskQueued = false;
  let observerState; // PerformanceObserver -> its private state, set by the class's static block

  // §5.2 "queue a PerformanceEntry": hand the entry to every observer interested in its type.
  function queueEntry(entry) {
    if (registered.length === 0) return;
    const type = entryType(entry);
    let interested = false;
    for (let i = 0; i < registered.length; i++) {
      const { observer, options } = registered[i];
      for (let j = 0; j < options.length; j++) {
        const o = options[j];
        if (o.type === type || (o.entryTypes !== undefined && ArrayPrototypeIncludes(o.entryTypes, type))) {
          ArrayPrototypePush(observerState(observer).buffer, entry);
          interested = true;
          break;
        }
      }
    }
    if (interested) queueObserverTask();
  }

  // §5.2 "queue the PerformanceObserver task": one task delivers to every observer with entries.
  function queueObserverTask() {
    if (observerTaskQueued) return;
    observerTaskQueued = true;
    const timers = internal.timers;
    if (timers !== undefined) timers.setTimeout(runObserverTask, 0);
    else PromisePrototypeThen(PromiseResolve(), runObserverTask);
  }

  function runObserverTask() {
    observerTaskQueued = false;
    const notify = ArrayPrototypeSlice(registered);
    for (let i = 0; i < notify.length; i++) {
      const observer = notify[i].observer;
      const state = observerState(observer);
      if (state.buffer.length === 0) continue;
      const list = new PerformanceObserverEntryList(illegalConstructorKey, state.buffer);
      state.buffer = [];
      // No entry is ever dropped (the buffer has no limit): the first delivery says so.
      const options = {};
      if (state.requiresDroppedEntries) {
        options.droppedEntriesCount = 0;
        state.requiresDroppedEntries = false;
      }
      try {
        FunctionPrototypeCall(state.callback, observer, list, observer, options);
      } catch (error) {
        internal.reportException(error);
      }
    }
  }

  class PerformanceObserverEntryList {
    #entries;

    constructor(key = undefined, entries) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      this.#entries = entries;
    }

    getEntries() {
      return filterEntries(undefined, undefined, this.#entries);
    }

    getEntriesByType(type) {
      requiredArguments(arguments.length, 1, "Failed to execute 'getEntriesByType' on 'PerformanceObserverEntryList'");
      return filterEntries(undefined, toDOMString(type), this.#entries);
    }

    getEntriesByName(name, type = undefined) {
      requiredArguments(arguments.length, 1, "Failed to execute 'getEntriesByName' on 'PerformanceObserverEntryList'");
      return filterEntries(toDOMString(name), type === undefined ? undefined : toDOMString(type), this.#entries);
    }
  }
  configureInterface(PerformanceObserverEntryList);

  class PerformanceObserver {
    #state;

    constructor(callback) {
      const prefix = "Failed to construct 'PerformanceObserver'";
      requiredArguments(arguments.length, 1, prefix);
      if (typeof callback !== 'function') throw new TypeError(`${prefix}: parameter 1 is not of type 'Function'.`);
      // kind: undefined until the first observe(), then 'single' (type) or 'multiple' (entryTypes).
      this.#state = { callback, buffer: [], kind: undefined, requiresDroppedEntries: false };
    }

    static {
      observerState = (observer) => observer.#state;
    }

    // §5.2.1 observe(options).
    observe(options = undefined) {
      const state = this.#state;
      const prefix = "Failed to execute 'observe' on 'PerformanceObserver'";
      if (options !== undefined && options !== null && !isObject(options)) {
        throw new TypeError(`${prefix}: The provided value is not of type 'PerformanceObserverInit'.`);
      }
      // Dictionary members in lexicographic order: buffered, entryTypes, type.
      let buffered, entryTypes, type;
      if (isObject(options)) {
        buffered = options.buffered;
        if (buffered !== undefined) buffered = !!buffered;
        entryTypes = options.entryTypes;
        if (entryTypes !== undefined) {
          if (!isObject(entryTypes)) throw new TypeError(`${prefix}: entryTypes is not a sequence.`);
          const list = [];
          for (const t of entryTypes) ArrayPrototypePush(list, toDOMString(t));
          entryTypes = list;
        }
        type = options.type;
        if (type !== undefined) type = toDOMString(type);
      }
      if (entryTypes === undefined && type === undefined) {
        throw new TypeError(`${prefix}: either entryTypes or type must be given.`);
      }
      if (entryTypes !== undefined && (type !== undefined || buffered !== undefined)) {
        throw new TypeError(`${prefix}: entryTypes cannot be combined with type or buffered.`);
      }
      state.kind ??= entryTypes !== undefined ? 'multiple' : 'single';
      if ((state.kind === 'single' && entryTypes !== undefined) || (state.kind === 'multiple' && type !== undefined)) {
        throw new DOMException(`${prefix}: an observer cannot switch between entryTypes and type.`, 'InvalidModificationError');
      }
      state.requiresDroppedEntries = true;
      let reg;
      for (let i = 0; i < registered.length; i++) if (registered[i].observer === this) reg = registered[i];
      if (state.kind === 'multiple') {
        entryTypes = ArrayPrototypeFilter(entryTypes, (t) => ArrayPrototypeIncludes(SUPPORTED_ENTRY_TYPES, t));
        if (entryTypes.length === 0) return;
        if (reg !== undefined) reg.options = [{ entryTypes }];
        else ArrayPrototypePush(registered, { observer: this, options: [{ entryTypes }] });
        return;
      }
      if (!ArrayPrototypeIncludes(SUPPORTED_ENTRY_TYPES, type)) return;
      if (reg === undefined) {
        ArrayPrototypePush(registered, { observer: this, options: [{ type }] });
      } else if (!ArrayPrototypeFilter(reg.options, (o) => o.type === type).length) {
        ArrayPrototypePush(reg.options, { type });
      }
      if (buffered) {
        const entries = filterEntries(undefined, type);
        for (let i = 0; i < entries.length; i++) ArrayPrototypePush(state.buffer, entries[i]);
        queueObserverTask();
      }
    }

    disconnect() {
      const state = this.#state;
      registered = ArrayPrototypeFilter(registered, (r) => r.observer !== this);
      state.buffer = [];
    }

    takeRecords() {
      const state = this.#state;
      const records = state.buffer;
      state.buffer = [];
      return records;
    }

    static get supportedEntryTypes() {
      return SUPPORTED_ENTRY_TYPES;
    }
  }
  configureInterface(PerformanceObserver);
  // WebIDL: static attributes are enumerable too.
  ObjectDefineProperty(PerformanceObserver, 'supportedEntryTypes', {
    ...ObjectGetOwnPropertyDescriptor(PerformanceObserver, 'supportedEntryTypes'), enumerable: true,
  });

  // Stands for EventTarget when web/01_event.js did not define one: then Performance is a plain interface.
  function NoEventTarget() {}
  NoEventTarget.prototype = Object.prototype;
  const PerformanceBase = typeof internal.EventTarget === 'function' ? internal.EventTarget : NoEventTarget;

  let isPerformance;

  function checkPerformance(self, what) {
    if (!isObject(self) || !isPerformance(self)) {
      throw new TypeError(`Illegal invocation: ${what} called on an object that is not a Performance`);
    }
  }

  class Performance extends PerformanceBase {
    #brand = true;

    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      super();
    }

    static {
      isPerformance = (value) => #brand in value;
    }

    // hr-time §4: now() and timeOrigin.
    now() {
      checkPerformance(this, 'now');
      return hostNow();
    }

    get timeOrigin() {
      checkPerformance(this, 'timeOrigin');
      return timeOrigin;
    }

    toJSON() {
      checkPerformance(this, 'toJSON');
      return { timeOrigin };
    }

    // Performance Timeline §4.1.
    getEntries() {
      checkPerformance(this, 'getEntries');
      return filterEntries(undefined, undefined);
    }

    getEntriesByType(type) {
      checkPerformance(this, 'getEntriesByType');
      requiredArguments(arguments.length, 1, "Failed to execute 'getEntriesByType' on 'Performance'");
      return filterEntries(undefined, toDOMString(type));
    }

    getEntriesByName(name, type = undefined) {
      checkPerformance(this, 'getEntriesByName');
      requiredArguments(arguments.length, 1, "Failed to execute 'getEntriesByName' on 'Performance'");
      return filterEntries(toDOMString(name), type === undefined ? undefined : toDOMString(type));
    }

    // User Timing §3.1.1 mark(markName, markOptions): a new PerformanceMark, added to the buffer.
    mark(markName, markOptions = undefined) {
      checkPerformance(this, 'mark');
      requiredArguments(arguments.length, 1, "Failed to execute 'mark' on 'Performance'");
      const entry = new PerformanceMark(markName, markOptions);
      ArrayPrototypePush(buffer, entry);
      queueEntry(entry);
      return entry;
    }

    clearMarks(markName = undefined) {
      checkPerformance(this, 'clearMarks');
      clearEntries('mark', markName === undefined ? undefined : toDOMString(markName));
    }

    // User Timing §3.1.3 measure(measureName, startOrMeasureOptions, endMark), all overloads.
    measure(measureName, startOrMeasureOptions = undefined, endMark = undefined) {
      checkPerformance(this, 'measure');
      const prefix = "Failed to execute 'measure' on 'Performance'";
      requiredArguments(arguments.length, 1, prefix);
      measureName = toDOMString(measureName);
      // (DOMString or PerformanceMeasureOptions): undefined, null and objects are the dictionary.
      let startMark;
      let detail, duration, end, start;
      if (isObject(startOrMeasureOptions)) {
        // Dictionary members in lexicographic order: detail, duration, end, start.
        detail = startOrMeasureOptions.detail;
        duration = startOrMeasureOptions.duration;
        if (duration !== undefined) duration = toTimeStamp(duration, prefix, 'duration');
        end = startOrMeasureOptions.end;
        if (end !== undefined) end = toMarkOrTime(end, prefix, 'end');
        start = startOrMeasureOptions.start;
        if (start !== undefined) start = toMarkOrTime(start, prefix, 'start');
      } else if (startOrMeasureOptions !== undefined && startOrMeasureOptions !== null) {
        startMark = toDOMString(startOrMeasureOptions);
      }
      if (endMark !== undefined) endMark = toDOMString(endMark);

      // Step 1: a non-empty options dictionary excludes endMark and needs start or end.
      const hasOptions = detail !== undefined || duration !== undefined || end !== undefined || start !== undefined;
      if (hasOptions) {
        if (endMark !== undefined) throw new TypeError(`${prefix}: endMark cannot be given with an options dictionary.`);
        if (start === undefined && end === undefined) throw new TypeError(`${prefix}: options must have a start or an end.`);
        if (start !== undefined && duration !== undefined && end !== undefined) {
          throw new TypeError(`${prefix}: options cannot have start, duration and end all at once.`);
        }
      }
      // Step 2: the end time.
      let endTime;
      if (endMark !== undefined) {
        endTime = markToTimestamp(endMark, prefix);
      } else if (end !== undefined) {
        endTime = markToTimestamp(end, prefix);
      } else if (start !== undefined && duration !== undefined) {
        endTime = markToTimestamp(start, prefix) + markToTimestamp(duration, prefix);
      } else {
        endTime = hostNow();
      }
      // Step 3: the start time.
      let startTime;
      if (start !== undefined) {
        startTime = markToTimestamp(start, prefix);
      } else if (duration !== undefined && end !== undefined) {
        startTime = markToTimestamp(end, prefix) - markToTimestamp(duration, prefix);
      } else if (startMark !== undefined) {
        startTime = markToTimestamp(startMark, prefix);
      } else {
        startTime = 0;
      }
      const entry = new PerformanceMeasure(illegalConstructorKey, measureName, startTime, endTime - startTime,
        hasOptions ? cloneDetail(detail) : null);
      ArrayPrototypePush(buffer, entry);
      queueEntry(entry);
      return entry;
    }

    clearMeasures(measureName = undefined) {
      checkPerformance(this, 'clearMeasures');
      clearEntries('measure', measureName === undefined ? undefined : toDOMString(measureName));
    }
  }
  configureInterface(Performance);

  const performance = new Performance(illegalConstructorKey);
  return {
    performance, Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
    PerformanceObserverEntryList,
  };
}

const api = internal.exposeLazily(['Performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure',
  'PerformanceObserver', 'PerformanceObserverEntryList'], createApi);

// hr-time §5: `[Replaceable] readonly attribute Performance performance` of the global scope: an
// accessor whose setter replaces it with a data property (WebIDL §3.7.6 [Replaceable]).
const accessors = ObjectGetOwnPropertyDescriptor({
  get performance() { return api().performance; },
  set performance(value) {
    ObjectDefineProperty(globalThis, 'performance', { value, writable: true, enumerable: true, configurable: true });
  },
}, 'performance');
ObjectDefineProperty(globalThis, 'performance', { get: accessors.get, set: accessors.set, enumerable: true, configurable: true });
