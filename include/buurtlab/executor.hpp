// Runs a loop over agents either serially (the reference executor) or in parallel with oneTBB.
//
// Work is cut into blocks of a fixed size (kBlockSize agents) that does not depend on the number
// of threads. Anything a block produces (proposals, partial sums) is kept per block and combined
// in block order, so the parallel executor gives bit-for-bit the result of the serial one, for any
// thread count. Model code is written once against this class and never sees threads.
#pragma once
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <memory>
#include <string>

#if defined(__SANITIZE_THREAD__)
#define BUURTLAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BUURTLAB_TSAN 1
#endif
#endif
#ifdef BUURTLAB_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace buurtlab {

// ThreadSanitizer sees only instrumented code, and Debian's libtbb is not instrumented: the
// ordering its task scheduler gives a parallel loop (everything before the loop happens before
// every body, every body before the loop returns) is invisible to it, so every write in a body
// would be reported as a race with the code around the loop. In ThreadSanitizer builds the
// executor states that fork and join to it; races between the bodies themselves are still
// reported. Elsewhere these are no-ops.
namespace detail {
inline void tsan_release([[maybe_unused]] void* sync) {
#ifdef BUURTLAB_TSAN
  __tsan_release(sync);
#endif
}
inline void tsan_acquire([[maybe_unused]] void* sync) {
#ifdef BUURTLAB_TSAN
  __tsan_acquire(sync);
#endif
}
}  // namespace detail

inline constexpr std::size_t kBlockSize = 1024;

inline std::size_t block_count(std::size_t n) { return (n + kBlockSize - 1) / kBlockSize; }

// Half-open range of indices [begin, end) belonging to block `index`.
struct Block {
  std::size_t index;
  std::size_t begin;
  std::size_t end;
};

class Executor {
 public:
  // threads == 0 selects the serial reference executor; threads >= 1 a oneTBB arena of that size.
  explicit Executor(int threads);

  static Executor serial() { return Executor(0); }

  bool is_serial() const { return threads_ == 0; }
  int threads() const { return threads_; }
  std::string describe() const;

  // Calls f(Block) for every block of [0, n). In parallel mode blocks run concurrently; f must
  // write only to state owned by the agents of its block, or to per-block buffers.
  template <class F>
  void for_blocks(std::size_t n, F&& f) const {
    const std::size_t nb = block_count(n);
    auto one = [&](std::size_t b) {
      const std::size_t begin = b * kBlockSize;
      const std::size_t end = begin + kBlockSize < n ? begin + kBlockSize : n;
      f(Block{b, begin, end});
    };
    if (is_serial() || nb <= 1) {
      for (std::size_t b = 0; b < nb; ++b) one(b);
      return;
    }
    char fork = 0, join = 0;  // addresses that name the loop's fork and join to ThreadSanitizer
    const auto body = [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
      detail::tsan_acquire(&fork);
      for (std::size_t b = r.begin(); b != r.end(); ++b) one(b);
      detail::tsan_release(&join);
    };
    detail::tsan_release(&fork);  // after `body` is made: oneTBB copies it into its own tasks
    arena_->execute([&] {
      oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, nb, 1), body);
    });
    detail::tsan_acquire(&join);
  }

  // Calls f(i) for every index in [0, n), blocked as above.
  template <class F>
  void for_each(std::size_t n, F&& f) const {
    for_blocks(n, [&](const Block& b) {
      for (std::size_t i = b.begin; i < b.end; ++i) f(i);
    });
  }

  // Runs f(i) for i in [0, n) with one task each (for a handful of independent, coarse jobs such as
  // replicates). The caller guarantees the jobs touch disjoint state.
  template <class F>
  void for_tasks(std::size_t n, F&& f) const {
    if (is_serial() || n <= 1) {
      for (std::size_t i = 0; i < n; ++i) f(i);
      return;
    }
    // A range body, as in for_blocks, so that oneTBB works on its own copies of it.
    char fork = 0, join = 0;
    const auto body = [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
      detail::tsan_acquire(&fork);
      for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
      detail::tsan_release(&join);
    };
    detail::tsan_release(&fork);
    arena_->execute([&] {
      oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, n, 1), body);
    });
    detail::tsan_acquire(&join);
  }

 private:
  int threads_;
  std::shared_ptr<oneapi::tbb::task_arena> arena_;
};

}  // namespace buurtlab
