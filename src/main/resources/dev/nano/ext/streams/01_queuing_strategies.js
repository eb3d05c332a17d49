// Streams Standard §7.2-7.3: ByteLengthQueuingStrategy and CountQueuingStrategy. Their `size`
// functions are one function per global (§7.2 "byte length queuing strategy size function"): plain
// arrow functions named "size", without `prototype`, not constructors.
internal.streamsDefine((S) => {
  const { TypeError } = internal.primordials;
  const { configureInterface, requiredArguments } = internal.webidl;
  const { isObject } = S;

  // QueuingStrategyInit: { required unrestricted double highWaterMark }.
  function readInit(init, prefix) {
    if (init !== undefined && init !== null && !isObject(init)) {
      throw new TypeError(`${prefix}: parameter 1 is not of type 'QueuingStrategyInit'.`);
    }
    const hwm = init === undefined || init === null ? undefined : init.highWaterMark;
    if (hwm === undefined) {
      throw new TypeError(`${prefix}: required member highWaterMark is undefined.`);
    }
    return +hwm;
  }

  const byteLengthSize = { size: (chunk) => chunk.byteLength }.size;
  const countSize = { size: () => 1 }.size;

  class ByteLengthQueuingStrategy {
    #highWaterMark;

    constructor(init) {
      const prefix = "Failed to construct 'ByteLengthQueuingStrategy'";
      requiredArguments(arguments.length, 1, prefix);
      this.#highWaterMark = readInit(init, prefix);
    }

    get highWaterMark() {
      if (!isObject(this) || !(#highWaterMark in this)) throw new TypeError('Illegal invocation');
      return this.#highWaterMark;
    }

    get size() {
      if (!isObject(this) || !(#highWaterMark in this)) throw new TypeError('Illegal invocation');
      return byteLengthSize;
    }
  }

  class CountQueuingStrategy {
    #highWaterMark;

    constructor(init) {
      const prefix = "Failed to construct 'CountQueuingStrategy'";
      requiredArguments(arguments.length, 1, prefix);
      this.#highWaterMark = readInit(init, prefix);
    }

    get highWaterMark() {
      if (!isObject(this) || !(#highWaterMark in this)) throw new TypeError('Illegal invocation');
      return this.#highWaterMark;
    }

    get size() {
      if (!isObject(this) || !(#highWaterMark in this)) throw new TypeError('Illegal invocation');
      return countSize;
    }
  }

  configureInterface(ByteLengthQueuingStrategy);
  configureInterface(CountQueuingStrategy);
  S.ByteLengthQueuingStrategy = ByteLengthQueuingStrategy;
  S.CountQueuingStrategy = CountQueuingStrategy;
}, 2);
