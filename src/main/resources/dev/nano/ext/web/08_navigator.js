// navigator (HTML §8.10.1, the WorkerNavigator subset a server runtime can answer, as in
// Cloudflare Workers and Deno): userAgent, language(s) and hardwareConcurrency. The interface is
// built on first use (ARCHITECTURE.md "Keeping a context small"), and the host values come from
// Java on first read, so a context that never looks at navigator pays for two accessors only.
const { ObjectDefineProperty, ObjectGetOwnPropertyDescriptor } = internal.primordials;

function createApi() {
  const { configureInterface, illegalConstructorKey } = internal.webidl;
  const { ObjectFreeze, TypeError } = internal.primordials;
  let userAgent;
  let hardwareConcurrency;
  const languages = ObjectFreeze(['en-US']);
  let isNavigator;

  function check(self, what) {
    if (self === null || typeof self !== 'object' || !isNavigator(self)) {
      throw new TypeError(`Illegal invocation: ${what} called on an object that is not a Navigator`);
    }
  }

  class Navigator {
    #brand = true;

    constructor(key = undefined) {
      if (key !== illegalConstructorKey) throw new TypeError('Illegal constructor');
    }

    static {
      isNavigator = (value) => #brand in value;
    }

    // NavigatorID: "NANO/<version>", like Cloudflare's "Cloudflare-Workers" and Deno's "Deno/<version>".
    get userAgent() {
      check(this, 'userAgent');
      return userAgent ??= `NANO/${ops.version()}`;
    }

    // NavigatorLanguage: a server has no user locale; this is the conventional default.
    get language() {
      check(this, 'language');
      return 'en-US';
    }

    // FrozenArray<DOMString>: the same frozen array every time.
    get languages() {
      check(this, 'languages');
      return languages;
    }

    // NavigatorConcurrentHardware: the processors the JVM may use.
    get hardwareConcurrency() {
      check(this, 'hardwareConcurrency');
      return hardwareConcurrency ??= ops.hardwareConcurrency();
    }
  }
  configureInterface(Navigator);

  return { Navigator, navigator: new Navigator(illegalConstructorKey) };
}

const api = internal.exposeLazily(['Navigator'], createApi);

// WorkerGlobalScope: `readonly attribute WorkerNavigator navigator`, a getter without a setter.
const accessor = ObjectGetOwnPropertyDescriptor({ get navigator() { return api().navigator; } }, 'navigator');
ObjectDefineProperty(globalThis, 'navigator', { get: accessor.get, enumerable: true, configurable: true });
