// Hello world for the side-by-side HTTP benchmark: the same module runs on NANO, deno serve, workerd-style hosts.
export default {
  fetch() {
    return new Response("Hello World\n");
  },
};
