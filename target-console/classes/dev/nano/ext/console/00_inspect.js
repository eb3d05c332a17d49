// Placeholder inspect: to be replaced by the full util.inspect-style formatter.
function inspect(value) {
  if (typeof value === 'string') return value;
  try { return JSON.stringify(value) ?? String(value); } catch { return String(value); }
}
internal.inspect = inspect;
