// Spins on every request: the watchdog stops each one at limits.cpuMs (default 50 ms) with a 503.
export default {
  fetch() {
    for (;;) {}
  },
};
