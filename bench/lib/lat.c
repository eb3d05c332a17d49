#define _GNU_SOURCE
// Closed-loop HTTP/1.1 keep-alive load like `wrk -t1 -c32`, recording every request's send time and
// latency (CLOCK_MONOTONIC ns) so slow requests can be matched to GC logs and scheduler traces.
// usage: lat port conns seconds out.bin [path]
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static inline uint64_t now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000ull + t.tv_nsec; }
typedef struct { int fd; uint64_t sent; char buf[4096]; int len; } conn;
static char REQ[1024];
int main(int argc, char **argv) {
  int port = atoi(argv[1]), n = atoi(argv[2]); double secs = atof(argv[3]);
  FILE *out = fopen(argv[4], "wb");
  snprintf(REQ, sizeof REQ, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", argc > 5 ? argv[5] : "/");
  int reqlen = strlen(REQ);
  size_t cap = 1 << 25, cnt = 0; uint64_t *rec = malloc(cap * 16);
  int ep = epoll_create1(0); conn *cs = calloc(n, sizeof(conn));
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) }; inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (connect(fd, (void *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK); cs[i].fd = fd;
    struct epoll_event e = { .events = EPOLLIN, .data.u32 = i }; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
  }
  uint64_t start = now(), end = start + (uint64_t)(secs * 1e9);
  for (int i = 0; i < n; i++) { cs[i].sent = now(); write(cs[i].fd, REQ, reqlen); }
  struct epoll_event ev[64];
  while (now() < end) {
    int k = epoll_wait(ep, ev, 64, 100);
    for (int j = 0; j < k; j++) {
      conn *c = &cs[ev[j].data.u32];
      int r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
      if (r <= 0) { if (r < 0 && errno == EAGAIN) continue; fprintf(stderr, "closed\n"); return 1; }
      c->len += r; c->buf[c->len] = 0;
      char *h = strstr(c->buf, "\r\n\r\n"); if (!h) continue;
      char *cl = strcasestr(c->buf, "content-length:"); int body = cl ? atoi(cl + 15) : 0;
      int total = (int)(h + 4 - c->buf) + body; if (c->len < total) continue;
      uint64_t t = now();
      if (cnt < cap) { rec[2 * cnt] = c->sent; rec[2 * cnt + 1] = t - c->sent; cnt++; }
      memmove(c->buf, c->buf + total, c->len - total); c->len -= total;
      c->sent = now(); write(c->fd, REQ, reqlen);
    }
  }
  fwrite(rec, 16, cnt, out); fclose(out);
  fprintf(stderr, "%zu requests in %.1f s\n", cnt, (now() - start) / 1e9);
  return 0;
}
