// File (File API §4): a Blob with a name and a last-modified time.
const fetch = internal.fetch;
// Called by 01_blob.js when it builds Blob, File and FormData (on first use).
fetch.createFile = () => {
  const { configureInterface, requiredArguments, toUSVString, illegalConstructorKey } = internal.webidl;
  const { DateNow, MathFloor, ObjectAssign, ObjectDefineProperty, TypeError } = internal.primordials;
  const { Blob } = fetch;

  // WebIDL long long (modular 64-bit; beyond 2^53 the double's precision is all there is).
  function toLongLong(v) {
    let x = +v;
    if (x !== x || x === Infinity || x === -Infinity || x === 0) return 0;
    x = x < 0 ? -MathFloor(-x) : MathFloor(x);
    return x === 0 ? 0 : x;
  }

  let isFile;

  class File extends Blob {
    #name;
    #lastModified;

    constructor(fileBits, fileName, options = undefined) {
      if (fileBits === illegalConstructorKey) { // internal: fileName is { parts, size, type, name, lastModified }
        super(illegalConstructorKey, fileName);
        this.#name = fileName.name;
        this.#lastModified = fileName.lastModified;
        return;
      }
      const what = "Failed to construct 'File'";
      requiredArguments(arguments.length, 2, what);
      // Arguments are converted left to right, dictionary members in lexicographic order (WebIDL).
      const items = fetch.convertBlobParts(fileBits, what);
      const name = toUSVString(fileName);
      const { endings, type, extra } = fetch.readBlobOptions(options, what, (o) => {
        const lm = o === undefined ? undefined : o.lastModified;
        return lm === undefined ? DateNow() : toLongLong(lm);
      });
      const { parts, size } = fetch.processBlobParts(items, endings);
      super(illegalConstructorKey, { parts, size, type });
      this.#name = name;
      this.#lastModified = extra;
    }

    get name() {
      if (!(#name in this)) throw new TypeError('Illegal invocation: the receiver is not a File');
      return this.#name;
    }

    get lastModified() {
      if (!(#name in this)) throw new TypeError('Illegal invocation: the receiver is not a File');
      return this.#lastModified;
    }

    // File and Directory Entries API: always empty for files not picked from a directory.
    get webkitRelativePath() {
      if (!(#name in this)) throw new TypeError('Illegal invocation: the receiver is not a File');
      return '';
    }

    static {
      isFile = (v) => typeof v === 'object' && v !== null && #name in v;
    }
  }

  ObjectDefineProperty(File, 'length', { value: 2 });
  configureInterface(File);

  // A File sharing the bytes of `blob` (no copy: Blob bytes are immutable).
  function fileFromBlob(blob, name, type, lastModified) {
    const parts = fetch.blobPartsOf(blob);
    return new File(illegalConstructorKey, { parts, size: fetch.blobSize(blob), type, name, lastModified });
  }

  // Structured clone (HTML §2.7 serializable objects; File API §3 and §4 serialization steps).
  // Blob bytes are immutable, so the copy shares the parts instead of copying them.
  if (internal.registerSerializable) {
    internal.registerSerializable(Blob, {
      is: fetch.isBlob,
      serialize: (b) => ({ parts: fetch.blobPartsOf(b), size: fetch.blobSize(b), type: b.type }),
      deserialize: (d) => fetch.blobFromParts(d.parts, d.type),
    });
    internal.registerSerializable(File, {
      is: isFile,
      serialize: (f) => ({
        parts: fetch.blobPartsOf(f), size: fetch.blobSize(f), type: f.type, name: f.name, lastModified: f.lastModified,
      }),
      deserialize: (d) => new File(illegalConstructorKey, d),
    });
  }

  ObjectAssign(fetch, { File, isFile, fileFromBlob });
};
