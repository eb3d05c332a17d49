// Encoding Standard §7.3 TextEncoderStream and §7.5 TextDecoderStream (GenericTransformStream,
// Streams §6.5), on the codecs of the web extension: internal.encodeUtf8 and its TextDecoder.
internal.streamsDefine((S) => {
  const {
    ObjectAssign, FunctionPrototypeCall, StringPrototypeCharCodeAt, StringPrototypeSlice, ArrayBufferIsView, Uint8Array, TypeError,
  } = internal.primordials;
  const { configureInterface, toDOMString } = internal.webidl;
  const {
    isObject, isArrayBuffer, isSharedArrayBuffer, illegal, setUpTransformStream, TransformStreamDefaultControllerEnqueue,
  } = S;
  const encodeUtf8 = internal.encodeUtf8;
  const TextDecoder = internal.TextDecoder;
  const decode = TextDecoder.prototype.decode;
  const streamOption = { __proto__: null, stream: true };

  let encoderStreamOf, decoderStreamOf;

  class TextEncoderStream {
    #t;

    constructor() {
      // "convert code unit to scalar value": a leading surrogate at the end of a chunk waits for the
      // next chunk; anything else unpaired becomes U+FFFD (encodeUtf8 makes the string well formed).
      let leadingSurrogate = '';
      const stream = setUpTransformStream((chunk) => {
        let input = toDOMString(chunk);
        if (leadingSurrogate !== '') {
          input = leadingSurrogate + input;
          leadingSurrogate = '';
        }
        const n = input.length;
        if (n === 0) return;
        const last = StringPrototypeCharCodeAt(input, n - 1);
        if (last >= 0xD800 && last <= 0xDBFF) {
          leadingSurrogate = StringPrototypeSlice(input, n - 1);
          input = StringPrototypeSlice(input, 0, n - 1);
          if (input.length === 0) return;
        }
        TransformStreamDefaultControllerEnqueue(stream.controller, encodeUtf8(input));
      }, () => {
        if (leadingSurrogate !== '') {
          const replacement = new Uint8Array(3); // U+FFFD
          replacement[0] = 0xEF;
          replacement[1] = 0xBF;
          replacement[2] = 0xBD;
          TransformStreamDefaultControllerEnqueue(stream.controller, replacement);
        }
      });
      this.#t = stream;
    }

    get encoding() {
      encoderStreamOf(this, 'encoding');
      return 'utf-8';
    }

    get readable() {
      return encoderStreamOf(this, 'readable').readable.w;
    }

    get writable() {
      return encoderStreamOf(this, 'writable').writable.w;
    }

    static {
      encoderStreamOf = (v, what) => {
        if (!isObject(v) || !(#t in v)) throw illegal(what, 'TextEncoderStream');
        return v.#t;
      };
    }
  }

  class TextDecoderStream {
    #t;
    #attributes; // { encoding, fatal, ignoreBOM } of the decoder

    constructor(label = undefined, options = undefined) {
      const decoder = new TextDecoder(label, options);
      const stream = setUpTransformStream((chunk) => {
        // "Converting chunk to an AllowSharedBufferSource".
        if (!ArrayBufferIsView(chunk) && !isArrayBuffer(chunk) && !isSharedArrayBuffer(chunk)) {
          throw new TypeError("Failed to execute 'write' on 'TextDecoderStream': chunk is not an ArrayBuffer or ArrayBufferView");
        }
        const output = FunctionPrototypeCall(decode, decoder, chunk, streamOption);
        if (output !== '') TransformStreamDefaultControllerEnqueue(stream.controller, output);
      }, () => {
        const output = FunctionPrototypeCall(decode, decoder);
        if (output !== '') TransformStreamDefaultControllerEnqueue(stream.controller, output);
      });
      this.#t = stream;
      this.#attributes = { encoding: decoder.encoding, fatal: decoder.fatal, ignoreBOM: decoder.ignoreBOM };
    }

    get encoding() {
      decoderStreamOf(this, 'encoding');
      return this.#attributes.encoding;
    }

    get fatal() {
      decoderStreamOf(this, 'fatal');
      return this.#attributes.fatal;
    }

    get ignoreBOM() {
      decoderStreamOf(this, 'ignoreBOM');
      return this.#attributes.ignoreBOM;
    }

    get readable() {
      return decoderStreamOf(this, 'readable').readable.w;
    }

    get writable() {
      return decoderStreamOf(this, 'writable').writable.w;
    }

    static {
      decoderStreamOf = (v, what) => {
        if (!isObject(v) || !(#t in v)) throw illegal(what, 'TextDecoderStream');
        return v.#t;
      };
    }
  }

  configureInterface(TextEncoderStream);
  configureInterface(TextDecoderStream);
  ObjectAssign(S, { TextEncoderStream, TextDecoderStream });
}, 2);
