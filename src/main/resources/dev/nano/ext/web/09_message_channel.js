// HTML §9.4 "Channel messaging": MessageChannel, MessagePort and MessageEvent (§9.2), within one
// context, as Workers and Deno have them (libraries such as React's scheduler post to a
// MessageChannel to queue a task). A message is cloned when posted (StructuredSerializeWithTransfer
// and the deserialize step at once: sender and receiver share the realm) and delivered as a task of
// the context's loop, one task per message, once the receiving port's queue is enabled (start(), or
// setting onmessage). Ports travel in the transfer list: the new port takes over the entanglement
// and the queued messages, the old one is detached. An entangled port does not keep the loop alive.
// Built on first use (ARCHITECTURE.md "Keeping a context small").

function createApi() {
  const {
    requiredArguments, toDOMString, toUSVString, configureInterface, illegalConstructorKey,
  } = internal.webidl;
  const {
    ArrayPrototypeIncludes, ArrayPrototypeIndexOf, ArrayPrototypePush, ArrayPrototypeShift,
    ObjectDefineProperty, ObjectFreeze, ObjectGetOwnPropertyDescriptor, ReflectApply, SymbolIterator,
    TypeError,
  } = internal.primordials;
  const { EventTarget, DOMException, dispatchTrusted, defineEventHandler, structuredClone, toObjectSequence } = internal;
  const { Event } = internal.events();
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  let isPort, isMessageEvent, newPort, entangle, postTo, transferPort, initMessage;

  // Converts `ports` (sequence<MessagePort>) for MessageEvent's init dictionary and initMessageEvent.
  function toPorts(value, prefix) {
    const list = toObjectSequence(value, `${prefix}: The provided value`);
    for (let i = 0; i < list.length; i++) {
      if (!isPort(list[i])) throw new TypeError(`${prefix}: Failed to convert value to 'MessagePort'.`);
    }
    return ObjectFreeze(list);
  }

  function toSource(value, prefix) {
    if (value === null || value === undefined) return null;
    if (!isPort(value)) throw new TypeError(`${prefix}: The provided value is not of type '(MessagePort)'.`);
    return value;
  }

  // HTML §9.2.1 MessageEvent.
  class MessageEvent extends Event {
    #data = null;
    #origin = '';
    #lastEventId = '';
    #source = null;
    #ports = ObjectFreeze([]);

    constructor(type, eventInitDict = undefined) {
      const prefix = "Failed to construct 'MessageEvent'";
      requiredArguments(arguments.length, 1, prefix);
      super(type, eventInitDict);
      if (eventInitDict !== undefined && eventInitDict !== null) {
        // Members in lexicographic order, each read then converted, as WebIDL does.
        const data = eventInitDict.data;
        if (data !== undefined) this.#data = data;
        const lastEventId = eventInitDict.lastEventId;
        if (lastEventId !== undefined) this.#lastEventId = toDOMString(lastEventId);
        const origin = eventInitDict.origin;
        if (origin !== undefined) this.#origin = toUSVString(origin);
        const ports = eventInitDict.ports;
        if (ports !== undefined) this.#ports = toPorts(ports, prefix);
        this.#source = toSource(eventInitDict.source, prefix);
      }
    }

    get data() { return this.#data; }
    get origin() { return this.#origin; }
    get lastEventId() { return this.#lastEventId; }
    get source() { return this.#source; }
    get ports() { return this.#ports; }

    initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '', lastEventId = '',
      source = null, ports = []) {
      const prefix = "Failed to execute 'initMessageEvent' on 'MessageEvent'";
      this.#data; // brand check
      requiredArguments(arguments.length, 1, prefix);
      type = toDOMString(type);
      origin = toUSVString(origin);
      lastEventId = toDOMString(lastEventId);
      source = toSource(source, prefix);
      ports = toPorts(ports, prefix);
      if (internal.initEvent(this, type, bubbles, cancelable)) {
        this.#data = data;
        this.#origin = origin;
        this.#lastEventId = lastEventId;
        this.#source = source;
        this.#ports = ports;
      }
    }

    static {
      isMessageEvent = (v) => isObject(v) && #data in v;
      initMessage = (event, data, ports) => {
        event.#data = data;
        event.#ports = ObjectFreeze(ports);
      };
    }
  }

  // HTML §9.4.4 MessagePort.
  class MessagePort extends EventTarget {
    #entangled = null; // the other end, or null
    #detached = false; // transferred away, or closed
    #enabled = false; // the port message queue: messages wait here until start()
    #queue = []; // [data, ports] pairs not yet delivered
    #scheduled = false; // a delivery task is queued

    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
      super();
    }

    postMessage(message, transfer = undefined) {
      const prefix = "Failed to execute 'postMessage' on 'MessagePort'";
      this.#queue; // brand check
      requiredArguments(arguments.length, 1, prefix);
      let list = [];
      // Overloads: (message, sequence<object> transfer) or (message, StructuredSerializeOptions).
      if (isObject(transfer) && typeof transfer[SymbolIterator] === 'function') {
        list = toObjectSequence(transfer, `${prefix}: The provided value`);
      } else if (transfer !== undefined && transfer !== null) {
        if (!isObject(transfer)) {
          throw new TypeError(`${prefix}: The provided value is not of type 'StructuredSerializeOptions'.`);
        }
        const members = transfer.transfer;
        if (members !== undefined) list = toObjectSequence(members, `${prefix}: 'transfer' of 'StructuredSerializeOptions'`);
      }
      postTo(this, message, list);
    }

    start() {
      if (this.#detached || this.#enabled) return;
      this.#enabled = true;
      schedule(this);
    }

    close() {
      this.#queue; // brand check
      this.#detached = true;
      const other = this.#entangled;
      if (other !== null) {
        this.#entangled = null;
        other.#entangled = null;
        // HTML: disentangling fires `close` at the other port.
        internal.queueTask(() => dispatchTrusted(other, new Event('close')));
      }
    }

    static {
      isPort = (v) => isObject(v) && #queue in v;
      newPort = () => new MessagePort(illegalConstructorKey);
      entangle = (a, b) => {
        a.#entangled = b;
        b.#entangled = a;
      };
      // The message port post message steps.
      postTo = (port, message, transfer) => {
        if (ArrayPrototypeIncludes(transfer, port)) {
          throw new DOMException(
            `Port at index ${ArrayPrototypeIndexOf(transfer, port)} is the port postMessage was called on.`, 'DataCloneError');
        }
        const target = port.#entangled;
        const doomed = target !== null && ArrayPrototypeIncludes(transfer, target);
        const ports = [];
        const data = structuredClone(message, transfer, ports);
        if (target === null || doomed) return;
        const newPorts = [];
        for (let i = 0; i < ports.length; i++) if (isPort(ports[i])) ArrayPrototypePush(newPorts, ports[i]);
        ArrayPrototypePush(target.#queue, [data, newPorts]);
        schedule(target);
      };
      // Transfer steps + transfer-receiving steps: a new port entangled with the old one's partner,
      // holding its undelivered messages; the old one is detached.
      transferPort = (port) => {
        const moved = newPort();
        const other = port.#entangled;
        port.#entangled = null;
        if (other !== null) entangle(moved, other);
        moved.#queue = port.#queue;
        port.#queue = [];
        port.#detached = true;
        return moved;
      };
    }

    static isDetached(port) {
      return port.#detached;
    }

    // One task per message, in order, while the queue is enabled.
    static deliver(port) {
      port.#scheduled = false;
      if (port.#detached || !port.#enabled || port.#queue.length === 0) return;
      const [data, ports] = ArrayPrototypeShift(port.#queue);
      if (port.#queue.length > 0) schedule(port);
      const event = new MessageEvent('message');
      initMessage(event, data, ports);
      dispatchTrusted(port, event);
    }

    static schedule(port) {
      if (port.#scheduled || !port.#enabled || port.#queue.length === 0) return;
      port.#scheduled = true;
      internal.queueTask(() => deliver(port));
    }
  }
  const { isDetached, deliver, schedule } = MessagePort;
  delete MessagePort.isDetached;
  delete MessagePort.deliver;
  delete MessagePort.schedule;

  // Setting onmessage enables the port message queue, as start() does (HTML §9.4.4).
  defineEventHandler(MessagePort.prototype, 'message', isPort);
  const handler = ObjectGetOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  const start = MessagePort.prototype.start;
  const accessors = {
    get onmessage() { return ReflectApply(handler.get, this, []); },
    set onmessage(value) {
      ReflectApply(handler.set, this, [value]);
      ReflectApply(start, this, []);
    },
  };
  const desc = ObjectGetOwnPropertyDescriptor(accessors, 'onmessage');
  ObjectDefineProperty(MessagePort.prototype, 'onmessage', { get: desc.get, set: desc.set, enumerable: true, configurable: true });
  defineEventHandler(MessagePort.prototype, 'messageerror', isPort);
  defineEventHandler(MessagePort.prototype, 'close', isPort);

  internal.registerTransferable(MessagePort, { is: isPort, isDetached, transfer: transferPort });

  // HTML §9.4.3 MessageChannel.
  class MessageChannel {
    #port1;
    #port2;

    constructor() {
      this.#port1 = newPort();
      this.#port2 = newPort();
      entangle(this.#port1, this.#port2);
    }

    get port1() { return this.#port1; }
    get port2() { return this.#port2; }
  }

  for (const klass of [MessageEvent, MessagePort, MessageChannel]) configureInterface(klass);
  internal.isMessageEvent = isMessageEvent;
  return { MessageChannel, MessagePort, MessageEvent };
}

const api = internal.exposeLazily(['MessageChannel', 'MessagePort', 'MessageEvent'], createApi);
// For other extensions that fire message events (WebSocket): the one MessageEvent class.
internal.messageEventClass = () => api().MessageEvent;
