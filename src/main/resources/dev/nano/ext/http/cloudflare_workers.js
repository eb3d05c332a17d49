// The 'cloudflare:workers' module as NANO serves it (engine/ModuleFileSystem): the app's env, readable
// at the top level of its modules, and the base class of a class-based entry point
// (`export default class extends WorkerEntrypoint { fetch(request) { ... this.env ... } }`), which
// http/00_dispatch.js instantiates per request with (ctx, env). An ordinary module, evaluated once
// per context and only in apps that import it.
export const env = globalThis[Symbol.for('nano.env')];

export class WorkerEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
