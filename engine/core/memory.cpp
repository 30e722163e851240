#include "buurtlab/memory.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "buurtlab/simulation.hpp"

namespace buurtlab {

namespace {

constexpr double kSaturate = 1.8e19;  // just below 2^64

std::uint64_t saturate(double x) {
  return x >= kSaturate ? std::numeric_limits<std::uint64_t>::max()
                        : static_cast<std::uint64_t>(std::max(0.0, x));
}

std::optional<std::uint64_t> number(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  std::uint64_t x = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return x;
}

std::optional<std::string> slurp(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

MemoryEstimate estimate_memory(const Model& model, const Scenario& sc, int threads,
                               std::uint32_t in_flight) {
  MemoryEstimate m;
  const std::uint32_t R = std::max<std::uint32_t>(sc.replicates, 1);
  m.replicates_in_flight = threads <= 0 ? 1
                           : in_flight > 0 ? std::min(in_flight, R)
                                           : replicates_in_flight(sc, threads);
  m.per_replicate = model.estimate_bytes(sc);
  const double frame = double(model.indicators().size()) * double(sc.places.size()) * 8.0;
  // The writer's chunk spans flush_every time points, never more than the run has.
  const double times = double(sc.ticks()) + 1.0;
  const double chunk = frame * std::min(double(sc.output.flush_every), times);
  m.output_per_replicate = saturate(2.0 * chunk);
  m.results = saturate(2.0 * frame * double(R));
  m.total = saturate(double(m.replicates_in_flight) *
                         (double(m.per_replicate) + double(m.output_per_replicate)) +
                     double(m.results) + double(kProgramBytes));
  return m;
}

std::optional<std::uint64_t> meminfo_available(std::string_view text) {
  constexpr std::string_view kKey = "MemAvailable:";
  const auto at = text.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + kKey.size());
  rest = rest.substr(0, rest.find('\n'));
  const auto unit = rest.find("kB");
  if (unit == std::string_view::npos) return std::nullopt;
  const auto kb = number(rest.substr(0, unit));
  if (!kb || *kb > std::numeric_limits<std::uint64_t>::max() / 1024) return std::nullopt;
  return *kb * 1024;
}

std::optional<std::uint64_t> cgroup_room(std::string_view limit, std::string_view usage) {
  const auto lim = number(limit);  // "max" (no limit) is not a number
  // cgroup v1 writes "no limit" as a huge number rounded to the page size.
  if (!lim || *lim >= (std::uint64_t{1} << 62)) return std::nullopt;
  const std::uint64_t used = number(usage).value_or(0);
  return used >= *lim ? 0 : *lim - used;
}

std::optional<std::uint64_t> available_memory_bytes() {
  std::optional<std::uint64_t> out;
  if (auto text = slurp("/proc/meminfo")) out = meminfo_available(*text);
  auto lower = [&](const char* limit_file, const char* usage_file) {
    const auto limit = slurp(limit_file);
    if (!limit) return;
    const auto room = cgroup_room(*limit, slurp(usage_file).value_or(""));
    if (room) out = out ? std::min(*out, *room) : *room;
  };
  // The process's own cgroup is mounted at /sys/fs/cgroup in a container and under systemd's
  // unified hierarchy; a limit set higher up is reflected in MemAvailable only in part.
  lower("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current");
  lower("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes");
  return out;
}

std::string bytes_text(std::uint64_t b) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double x = double(b);
  int u = 0;
  while (x >= 1024 && u < 6) {
    x /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
  else std::snprintf(buf, sizeof buf, x < 10 ? "%.1f %s" : "%.0f %s", x, units[u]);
  return buf;
}

}  // namespace buurtlab
