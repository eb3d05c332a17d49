// A second example app for examples/nano.json: reads its greeting from env (set per app in the config).
export default {
  fetch(request, env) {
    const name = new URL(request.url).searchParams.get('name') ?? 'world';
    return new Response(`${env.GREETING}, ${name}! (app: greet, host: ${request.headers.get('host')})\n`);
  },
};
