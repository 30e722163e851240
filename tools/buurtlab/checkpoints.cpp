#include "checkpoints.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/version.hpp"

namespace fs = std::filesystem;

namespace buurtlab {

namespace {

constexpr const char* kMagic = "buurtlab checkpoint 1";

std::string fnv1a_hex(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

fs::path replicate_file(const fs::path& dir, std::uint32_t r) {
  return dir / ("replicate-" + std::to_string(r + 1) + ".state");
}

// Writes all of `data` to `path` and makes it durable before returning.
void write_durably(const fs::path& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RunError("cannot write " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      throw RunError("cannot write " + path.string() + ": " + std::strerror(e));
    }
    done += std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw RunError("cannot write " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

fs::path checkpoint_dir(const fs::path& output) {
  return fs::path(output.string() + ".checkpoint");
}

CheckpointIdentity checkpoint_identity(const Scenario& sc) {
  return {std::string(version()), std::string(git_commit()), sc.model,
          fnv1a_hex(sc.resolved_yaml)};
}

CheckpointStore::CheckpointStore(const fs::path& output, CheckpointIdentity id, Tick every,
                                 bool fresh)
    : dir_(checkpoint_dir(output)), id_(std::move(id)), every_(every) {
  std::error_code ec;
  if (fresh) fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
  if (ec) throw RunError("cannot create " + dir_.string() + ": " + ec.message());
}

void CheckpointStore::write(const ReplicateCheckpoint& c) {
  std::ostringstream h;
  h << kMagic << '\n'
    << "version " << id_.version << '\n'
    << "commit " << id_.commit << '\n'
    << "model " << id_.model << '\n'
    << "scenario " << id_.scenario_hash << '\n'
    << "replicate " << c.replicate + 1 << '\n'
    << "tick " << c.tick << '\n'
    << "every " << every_ << '\n'
    << "bytes " << c.state.size() << '\n';
  const fs::path file = replicate_file(dir_, c.replicate);
  const fs::path part = file.string() + ".part";
  write_durably(part, h.str() + c.state);
  std::error_code ec;
  fs::rename(part, file, ec);
  if (ec) throw RunError("cannot write " + file.string() + ": " + ec.message());
  // The rename itself must survive a power cut too: sync the folder.
  const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void CheckpointStore::remove() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::vector<std::optional<LoadedCheckpoint>> read_checkpoints(const fs::path& output,
                                                              const CheckpointIdentity& id,
                                                              std::uint32_t replicates) {
  std::vector<std::optional<LoadedCheckpoint>> out(replicates);
  const fs::path dir = checkpoint_dir(output);
  for (std::uint32_t r = 0; r < replicates; ++r) {
    const fs::path file = replicate_file(dir, r);
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    std::ifstream in(file, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream h(data);
    std::string line;
    const auto field = [&](const std::string& key) {
      if (!std::getline(h, line) || line.rfind(key + " ", 0) != 0)
        throw InputError(file.string() + ": not a checkpoint of this program (no '" + key +
                         "' line)");
      return line.substr(key.size() + 1);
    };
    if (!std::getline(h, line) || line != kMagic)
      throw InputError(file.string() + ": not a buurtlab checkpoint");
    const std::string v = field("version"), commit = field("commit"), model = field("model"),
                      scenario = field("scenario"), replicate = field("replicate"),
                      tick = field("tick"), every = field("every"), bytes = field("bytes");
    if (v != id.version || commit != id.commit)
      throw InputError(file.string() + ": written by buurtlab " + v + " (commit " + commit +
                       "), this is " + id.version + " (commit " + id.commit +
                       "); a checkpoint is continued only by the program that wrote it, so that "
                       "the result is the one the run would have given: resume with that build, "
                       "or run again");
    if (model != id.model) throw InputError(file.string() + ": of model " + model + ", not " + id.model);
    if (scenario != id.scenario_hash)
      throw InputError(file.string() + ": of another scenario than the one the output file records");
    if (replicate != std::to_string(r + 1))
      throw InputError(file.string() + ": holds replicate " + replicate);
    const auto pos = static_cast<std::size_t>(h.tellg());
    std::size_t n = 0;
    try {
      n = std::stoull(bytes);
    } catch (...) {
      throw InputError(file.string() + ": damaged header");
    }
    if (pos == std::string::npos || data.size() - pos != n)
      throw InputError(file.string() + ": damaged (" + std::to_string(data.size() - pos) +
                       " bytes of state, the header says " + bytes + ")");
    out[r] = LoadedCheckpoint{static_cast<Tick>(std::stoll(tick)),
                              static_cast<Tick>(std::stoll(every)), data.substr(pos)};
  }
  return out;
}

}  // namespace buurtlab
