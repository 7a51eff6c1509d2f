// How long one cache line takes to go from CPU 0 to CPU 1 and back: two
// threads, one pinned to each, hand a counter back and forth. A scorer with
// two threads hands its rows between the cores, so its time follows this
// figure; on a VM it changes with where the host runs the vCPUs (about 100 ns
// or 440 ns on the 2-core VM of session 20, docs/performance.md).
// Usage: core_latency [ROUND_TRIPS]   (prints nothing on one CPU)
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

bool pinTo(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

alignas(64) std::atomic<long> ball{0};

} // namespace

int main(int argc, char **argv) {
  long trips = argc > 1 ? std::atol(argv[1]) : 1000000;
  if (std::thread::hardware_concurrency() < 2 || trips <= 0) return 0;
  bool pinned = true;
  std::thread other([&] {
    pinned = pinTo(1) && pinned;
    for (long i = 0; i < trips; ++i) {
      while (ball.load(std::memory_order_acquire) != 2 * i + 1) {}
      ball.store(2 * i + 2, std::memory_order_release);
    }
  });
  pinned = pinTo(0) && pinned;
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < trips; ++i) {
    ball.store(2 * i + 1, std::memory_order_release);
    while (ball.load(std::memory_order_acquire) != 2 * i + 2) {}
  }
  std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  other.join();
  std::printf("cache line CPU 0 → CPU 1 → CPU 0: %.0f ns a round trip%s\n", took.count() / static_cast<double>(trips),
              pinned ? "" : " (the threads could not be pinned)");
  return 0;
}
