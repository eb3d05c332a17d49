// atob and btoa (HTML §8.3 "Base64 utility methods"). The codec is Java's (WebOps.base64Encode /
// base64Decode): on a 1 MB string it is ~100x faster than a JS loop run by the interpreter, and
// small strings pay one op call (~1 µs interpreted).
const { toDOMString, requiredArguments, exposeOperation } = internal.webidl;

function btoa(data) {
  requiredArguments(arguments.length, 1, "Failed to execute 'btoa'");
  data = toDOMString(data);
  if (data.length === 0) return '';
  const result = ops.base64Encode(data);
  if (result === null) {
    throw new internal.DOMException(
      "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.",
      'InvalidCharacterError');
  }
  return result;
}

function atob(data) {
  requiredArguments(arguments.length, 1, "Failed to execute 'atob'");
  data = toDOMString(data);
  if (data.length === 0) return '';
  const result = ops.base64Decode(data);
  if (result === null) {
    throw new internal.DOMException(
      "Failed to execute 'atob': The string to be decoded is not correctly encoded.", 'InvalidCharacterError');
  }
  return result;
}

exposeOperation('btoa', btoa);
exposeOperation('atob', atob);
