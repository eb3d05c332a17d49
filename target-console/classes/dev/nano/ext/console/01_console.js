// Placeholder console: log/info/debug/warn/error only.
const LEVELS = { debug: 0, log: 1, info: 1, warn: 2, error: 3 }; // must match ConsoleOps.LEVELS
const console = {};
for (const [name, level] of Object.entries(LEVELS)) {
  console[name] = (...args) => ops.print(level, args.map((a) => typeof a === 'string' ? a : internal.inspect(a)).join(' '));
}
internal.webidl.exposeInterface('console', console);
