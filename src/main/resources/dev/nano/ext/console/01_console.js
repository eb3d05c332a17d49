// The console namespace (Console Standard, https://console.spec.whatwg.org): logging, counting,
// grouping and timing. Output goes to the context's sink through ops.print: debug/log/info to
// stdout, warn/error/trace/assert to stderr, as Deno does.
const {
  ObjectCreate, ObjectDefineProperty, ObjectGetPrototypeOf, ObjectGetOwnPropertyDescriptor, ObjectKeys, ObjectIs,
  ObjectPrototypeHasOwnProperty, StringPrototypeCharCodeAt, JSONStringify,
  ArrayIsArray, ArrayPrototypePush, ArrayPrototypeJoin, StringPrototypeIndexOf, StringPrototypeSlice,
  StringPrototypeRepeat, FunctionPrototypeCall, MathFloor, MathMax, SafeMap,
  MapPrototypeGet, MapPrototypeSet, MapPrototypeHas, MapPrototypeDelete, SymbolToStringTag, TypeError, Error,
} = internal.primordials;
const { toDOMString, exposeInterface } = internal.webidl;
const NumberToFixed = Number.prototype.toFixed;
const NumberParseInt = Number.parseInt;
const NumberParseFloat = Number.parseFloat;
const StringCtor = String;
const SymbolToString = Symbol.prototype.toString;
const MapEntries = Map.prototype.entries;
const MapIteratorNext = ObjectGetPrototypeOf(new Map().entries()).next;
const SetValues = Set.prototype.values;
const SetIteratorNext = ObjectGetPrototypeOf(new Set().values()).next;
const MapSize = ObjectGetOwnPropertyDescriptor(Map.prototype, 'size').get;
const SetSize = ObjectGetOwnPropertyDescriptor(Set.prototype, 'size').get;

// Must match ConsoleOps.LEVELS: 0 debug, 1 info/log, 2 warn, 3 error.
const DEBUG = 0;
const INFO = 1;
const WARN = 2;
const ERROR = 3;

let groupIndent = ''; // two spaces per open group (§1.2 group stack)
let counts; // label -> count (§1.2.1 count map), created on first use
let timers; // label -> start time in ms (§1.4 timer table), created on first use

function print(level, text) {
  if (groupIndent !== '') text = groupIndent + replaceNewlines(text, `\n${groupIndent}`);
  ops.print(level, text);
}

function replaceNewlines(str, replacement) {
  let i = StringPrototypeIndexOf(str, '\n');
  if (i === -1) return str;
  let out = '';
  let last = 0;
  while (i !== -1) {
    out += StringPrototypeSlice(str, last, i) + replacement;
    last = i + 1;
    i = StringPrototypeIndexOf(str, '\n', last);
  }
  return out + StringPrototypeSlice(str, last);
}

// Formatter(data) (§2.2.1), with the common cases answered without the inspector: one string, or
// strings only with no format specifier in the first.
function format(data) {
  const n = data.length;
  if (n === 1 && typeof data[0] === 'string') return data[0];
  if (n === 0) return '';
  let allStrings = typeof data[0] === 'string' && StringPrototypeIndexOf(data[0], '%') === -1;
  for (let i = 0; allStrings && i < n; i++) allStrings = typeof data[i] === 'string';
  if (allStrings) return ArrayPrototypeJoin(data, ' ');
  return safely(() => formatArgs(data));
}

// `%s %d %i %f %o %O %j %c %%` in a leading string, then the remaining arguments separated by
// spaces: strings as they are, anything else inspected. A specifier without an argument left, or
// an unknown one, stays as written.
function formatArgs(args) {
  const first = args[0];
  let out = '';
  let a = 0;
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    a = 1;
    let last = 0;
    let i = StringPrototypeIndexOf(first, '%');
    while (i !== -1 && i < first.length - 1) {
      const c = StringPrototypeCharCodeAt(first, i + 1);
      let piece;
      if (c === 37) {
        piece = '%';
      } else if (a < args.length) {
        switch (c) {
          case 115: piece = formatAsString(args[a++]); break; // %s
          case 100: case 105: piece = formatAsNumber(args[a++], NumberParseInt); break; // %d %i
          case 102: piece = formatAsNumber(args[a++], NumberParseFloat); break; // %f
          case 111: case 79: piece = internal.inspect(args[a++]); break; // %o %O
          case 106: piece = formatAsJson(args[a++]); break; // %j
          case 99: a++; piece = ''; break; // %c: CSS, meaningless on a terminal or in a log
          default: break;
        }
      }
      if (piece === undefined) {
        i = StringPrototypeIndexOf(first, '%', i + 1);
      } else {
        out += StringPrototypeSlice(first, last, i) + piece;
        last = i + 2;
        i = StringPrototypeIndexOf(first, '%', last);
      }
    }
    out += last === 0 ? first : StringPrototypeSlice(first, last);
  }
  for (; a < args.length; a++) {
    const v = args[a];
    if (a !== 0) out += ' ';
    out += typeof v === 'string' ? v : formatValue(v);
  }
  return out;
}

function formatValue(v) {
  switch (typeof v) {
    case 'number': return ObjectIs(v, -0) ? '-0' : `${v}`;
    case 'bigint': return `${v}n`;
    case 'boolean': case 'undefined': return `${v}`;
    case 'symbol': return FunctionPrototypeCall(SymbolToString, v);
    default: return internal.inspect(v);
  }
}

// %String%(value), as the Formatter says; an object whose conversion throws is inspected.
function formatAsString(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'symbol') return FunctionPrototypeCall(SymbolToString, v);
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${v}`;
  try {
    return StringCtor(v);
  } catch {
    return internal.inspect(v, { depth: 0 });
  }
}

// %parseInt% / %parseFloat% of the value; NaN for symbols and values whose conversion throws.
function formatAsNumber(v, parse) {
  if (typeof v === 'symbol') return 'NaN';
  try {
    const n = parse(v);
    return ObjectIs(n, -0) ? '-0' : `${n}`;
  } catch {
    return 'NaN';
  }
}

// JSON, as Node's %j; a cycle prints as [Circular].
function formatAsJson(v) {
  try {
    const json = JSONStringify(v);
    return json === undefined ? 'undefined' : json;
  } catch (err) {
    let circular = false;
    try { circular = StringPrototypeIndexOf(`${err.message}`, 'ircular') !== -1; } catch { /* unknown error */ }
    return circular ? '[Circular]' : internal.inspect(v);
  }
}

// Logging must not throw at the caller because of what it logs; the inspector guards values one
// by one, this is the last line of defence (e.g. a stack overflow while formatting).
function safely(fn) {
  try {
    return fn();
  } catch {
    return '<value could not be formatted>';
  }
}

function logData(level, data) {
  print(level, format(data));
}

// Elapsed time as Node prints it: 1.234ms, 1.234s, 1:02.345 (m:ss.mmm).
function formatTime(ms) {
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) {
        hours = MathFloor(ms / 3600000);
        ms %= 3600000;
      }
      minutes = MathFloor(ms / 60000);
      ms %= 60000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    const fixed = FunctionPrototypeCall(NumberToFixed, seconds, 3);
    const dot = StringPrototypeIndexOf(fixed, '.');
    const whole = StringPrototypeSlice(fixed, 0, dot);
    const lead = hours !== 0 ? `${hours}:${minutes < 10 ? '0' : ''}${minutes}` : `${minutes}`;
    return `${lead}:${whole.length < 2 ? '0' : ''}${whole}${StringPrototypeSlice(fixed, dot)} (${hours !== 0 ? 'h:m' : ''}m:ss.mmm)`;
  }
  if (seconds !== 0) return `${FunctionPrototypeCall(NumberToFixed, seconds, 3)}s`;
  return `${+FunctionPrototypeCall(NumberToFixed, ms, 3)}ms`;
}

// "label: 1.234ms" followed by the extra data, each item printed as console.log prints a value
// after the format string.
function printTimer(label, start, data) {
  let text = `${label}: ${formatTime(internal.hostNow() - start)}`;
  if (data.length !== 0) {
    // As arguments after an empty format string: " " + each item, strings raw, others inspected.
    const args = [''];
    for (let i = 0; i < data.length; i++) ArrayPrototypePush(args, data[i]);
    text += safely(() => formatArgs(args));
  }
  print(INFO, text);
}

// The caller's stack without the first line ("Error") and NANO's own frames.
function callerStack() {
  let stack;
  try {
    stack = new Error().stack;
  } catch {
    return '';
  }
  if (typeof stack !== 'string') return '';
  let out = '';
  let start = StringPrototypeIndexOf(stack, '\n') + 1;
  while (start > 0 && start < stack.length) {
    let end = StringPrototypeIndexOf(stack, '\n', start);
    if (end === -1) end = stack.length;
    const line = StringPrototypeSlice(stack, start, end);
    if (StringPrototypeIndexOf(line, 'nano:ext/') === -1) out += (out === '' ? '' : '\n') + line;
    start = end + 1;
  }
  return out;
}

// console.table (§1.1.7): rows and columns in a box, the layout Node prints.
function table(tabularData, properties) {
  if (properties !== undefined && !ArrayIsArray(properties)) {
    throw new TypeError("Failed to execute 'table' on 'console': The \"properties\" argument must be an array");
  }
  if (tabularData === null || (typeof tabularData !== 'object' && typeof tabularData !== 'function')) {
    logData(INFO, [tabularData]);
    return;
  }
  const text = safely(() => renderTable(tabularData, properties));
  print(INFO, text);
}

function renderTable(data, properties) {
  const cell = (v) => {
    const depth = v !== null && typeof v === 'object' && !ArrayIsArray(v) && ObjectKeys(v).length > 2 ? -1 : 0;
    return internal.inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
  };
  const indexColumn = (length) => {
    const column = [];
    for (let i = 0; i < length; i++) ArrayPrototypePush(column, `${i}`);
    return column;
  };
  let isMap = false;
  let isSet = false;
  try { FunctionPrototypeCall(MapSize, data); isMap = true; } catch { /* not a Map */ }
  try { FunctionPrototypeCall(SetSize, data); isSet = true; } catch { /* not a Set */ }
  if (isMap) {
    const keys = [];
    const values = [];
    const iterator = FunctionPrototypeCall(MapEntries, data);
    for (let step = FunctionPrototypeCall(MapIteratorNext, iterator); !step.done; step = FunctionPrototypeCall(MapIteratorNext, iterator)) {
      ArrayPrototypePush(keys, cell(step.value[0]));
      ArrayPrototypePush(values, cell(step.value[1]));
    }
    return drawTable(['(iteration index)', 'Key', 'Values'], [indexColumn(keys.length), keys, values]);
  }
  if (isSet) {
    const values = [];
    const iterator = FunctionPrototypeCall(SetValues, data);
    for (let step = FunctionPrototypeCall(SetIteratorNext, iterator); !step.done; step = FunctionPrototypeCall(SetIteratorNext, iterator)) {
      ArrayPrototypePush(values, cell(step.value));
    }
    return drawTable(['(iteration index)', 'Values'], [indexColumn(values.length), values]);
  }

  // One row per own enumerable key; one column per key found in the rows (or per `properties`).
  const columns = new SafeMap();
  const columnNames = [];
  const primitiveValues = [];
  let hasPrimitives = false;
  const rowKeys = ObjectKeys(data);
  for (let row = 0; row < rowKeys.length; row++) {
    const item = data[rowKeys[row]];
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      primitiveValues[row] = cell(item);
      continue;
    }
    const keys = properties !== undefined ? properties : ObjectKeys(item);
    for (let k = 0; k < keys.length; k++) {
      const key = `${keys[k]}`;
      let column = MapPrototypeGet(columns, key);
      if (column === undefined) {
        column = [];
        MapPrototypeSet(columns, key, column);
        ArrayPrototypePush(columnNames, key);
      }
      column[row] = primitive || !ObjectPrototypeHasOwnProperty(item, key) ? '' : cell(item[key]);
    }
  }
  const head = ['(index)'];
  const body = [rowKeys];
  for (let i = 0; i < columnNames.length; i++) {
    ArrayPrototypePush(head, columnNames[i]);
    ArrayPrototypePush(body, MapPrototypeGet(columns, columnNames[i]));
  }
  if (hasPrimitives) {
    ArrayPrototypePush(head, 'Values');
    ArrayPrototypePush(body, primitiveValues);
  }
  return drawTable(head, body);
}

// Box drawing: a header row, a rule, then one line per row, cells left-aligned.
function drawTable(head, columns) {
  const width = internal.stringWidth;
  const widths = [];
  let rowCount = 0;
  for (let i = 0; i < columns.length; i++) rowCount = MathMax(rowCount, columns[i].length);
  const rows = [];
  for (let i = 0; i < head.length; i++) {
    let w = width(head[i]);
    const column = columns[i];
    for (let j = 0; j < rowCount; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = ObjectPrototypeHasOwnProperty(column, j) && column[j] !== undefined ? column[j] : '';
      rows[j][i] = value;
      w = MathMax(w, width(value));
    }
    ArrayPrototypePush(widths, w);
  }
  const rule = (left, middle, right) => {
    let line = left;
    for (let i = 0; i < widths.length; i++) {
      line += StringPrototypeRepeat('─', widths[i] + 2) + (i === widths.length - 1 ? right : middle);
    }
    return line;
  };
  const renderRow = (cells) => {
    let line = '│ ';
    for (let i = 0; i < cells.length; i++) {
      line += cells[i] + StringPrototypeRepeat(' ', widths[i] - width(cells[i]));
      line += i === cells.length - 1 ? ' │' : ' │ ';
    }
    return line;
  };
  let out = `${rule('┌', '┬', '┐')}\n${renderRow(head)}\n${rule('├', '┼', '┤')}\n`;
  for (let j = 0; j < rows.length; j++) out += `${renderRow(rows[j])}\n`;
  return out + rule('└', '┴', '┘');
}

function convertLabel(label) {
  return toDOMString(label); // throws, as WebIDL says, for a Symbol or a throwing toString
}

// The namespace object: its [[Prototype]] is an empty object whose prototype is %Object.prototype%
// (Console Standard, "namespace object requirements"); operations are enumerable (WebIDL §3.13).
const console = {
  __proto__: ObjectCreate(ObjectGetPrototypeOf({})),
  assert(condition = false, ...data) {
    if (condition) return;
    if (data.length === 0) {
      print(ERROR, 'Assertion failed');
    } else if (typeof data[0] === 'string') {
      data[0] = `Assertion failed: ${data[0]}`;
      logData(ERROR, data);
    } else {
      print(ERROR, `Assertion failed: ${format(data)}`);
    }
  },
  clear() {
    groupIndent = ''; // "empty the group stack"; there is no screen to clear
  },
  debug(...data) {
    logData(DEBUG, data);
  },
  error(...data) {
    logData(ERROR, data);
  },
  info(...data) {
    logData(INFO, data);
  },
  log(...data) {
    logData(INFO, data);
  },
  table(tabularData = undefined, properties = undefined) {
    table(tabularData, properties);
  },
  trace(...data) {
    let text = data.length === 0 ? 'Trace' : `Trace: ${format(data)}`;
    const stack = callerStack();
    if (stack !== '') text += `\n${stack}`;
    print(ERROR, text);
  },
  warn(...data) {
    logData(WARN, data);
  },
  dir(item = undefined, options = undefined) {
    print(INFO, typeof item === 'string' ? item : safely(() => internal.inspect(item, options)));
  },
  dirxml(...data) {
    logData(INFO, data);
  },
  count(label = 'default') {
    label = convertLabel(label);
    if (counts === undefined) counts = new SafeMap();
    const n = (MapPrototypeGet(counts, label) ?? 0) + 1;
    MapPrototypeSet(counts, label, n);
    print(INFO, `${label}: ${n}`);
  },
  countReset(label = 'default') {
    label = convertLabel(label);
    if (counts !== undefined && MapPrototypeHas(counts, label)) {
      MapPrototypeSet(counts, label, 0);
    } else {
      print(WARN, `Count for '${label}' does not exist`);
    }
  },
  group(...data) {
    if (data.length !== 0) logData(INFO, data);
    groupIndent += '  ';
  },
  groupCollapsed(...data) {
    if (data.length !== 0) logData(INFO, data);
    groupIndent += '  ';
  },
  groupEnd() {
    groupIndent = StringPrototypeSlice(groupIndent, 0, -2);
  },
  time(label = 'default') {
    label = convertLabel(label);
    if (timers === undefined) timers = new SafeMap();
    if (MapPrototypeHas(timers, label)) {
      print(WARN, `Timer '${label}' already exists`);
      return;
    }
    MapPrototypeSet(timers, label, internal.hostNow());
  },
  timeLog(label = 'default', ...data) {
    label = convertLabel(label);
    const start = timers === undefined ? undefined : MapPrototypeGet(timers, label);
    if (start === undefined) {
      print(WARN, `Timer '${label}' does not exist`);
      return;
    }
    printTimer(label, start, data);
  },
  timeEnd(label = 'default') {
    label = convertLabel(label);
    const start = timers === undefined ? undefined : MapPrototypeGet(timers, label);
    if (start === undefined) {
      print(WARN, `Timer '${label}' does not exist`);
      return;
    }
    MapPrototypeDelete(timers, label);
    printTimer(label, start, []);
  },
};
ObjectDefineProperty(console, SymbolToStringTag, {
  value: 'console', writable: false, enumerable: false, configurable: true,
});
exposeInterface('console', console);
