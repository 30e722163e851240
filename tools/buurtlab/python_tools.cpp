#include "python_tools.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ostream>

extern char** environ;

namespace fs = std::filesystem;

// Set by tools/CMakeLists.txt; defaults keep the file compilable on its own.
#ifndef BUURTLAB_PYTHON_EXE
#define BUURTLAB_PYTHON_EXE "/usr/bin/python3"
#endif
#ifndef BUURTLAB_PYTHON_TOOLS_SOURCE_DIR
#define BUURTLAB_PYTHON_TOOLS_SOURCE_DIR ""
#endif

namespace buurtlab {

namespace {

constexpr const char* kScript = "buurtlab_tool.py";

// The child being waited for, for the signal handler; 0 when there is none.
volatile sig_atomic_t g_child = 0;

extern "C" void forward_signal(int sig) {
  // kill() is async-signal-safe. The child decides how to stop (Python raises KeyboardInterrupt),
  // and we keep waiting for it, so its exit code and last words are not lost.
  if (g_child > 0) ::kill(static_cast<pid_t>(g_child), sig);
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

fs::path self_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

// The folder holding buurtlab_tool.py, or empty with `tried` listing where we looked.
fs::path find_tools(std::string& tried) {
  std::vector<fs::path> candidates;
  if (const std::string d = env("BUURTLAB_PYTHON_TOOLS"); !d.empty()) candidates.emplace_back(d);
  if (const fs::path d = self_dir(); !d.empty()) {
    candidates.push_back(d / "python");
    candidates.push_back(d.parent_path() / "share" / "buurtlab" / "python");
  }
  if (const std::string_view src = BUURTLAB_PYTHON_TOOLS_SOURCE_DIR; !src.empty())
    candidates.emplace_back(src);
  std::error_code ec;
  for (const fs::path& c : candidates) {
    if (fs::is_regular_file(c / kScript, ec)) return c;
    tried += (tried.empty() ? "" : ", ") + c.string();
  }
  return {};
}

std::string find_python() {
  if (std::string p = env("BUURTLAB_PYTHON"); !p.empty()) return p;
  std::error_code ec;
  if (fs::exists(BUURTLAB_PYTHON_EXE, ec)) return BUURTLAB_PYTHON_EXE;
  return "python3";  // looked up on the PATH by posix_spawnp
}

class ForwardSignals {
 public:
  explicit ForwardSignals(pid_t child) {
    g_child = child;
    struct sigaction sa {};
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~ForwardSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    g_child = 0;
  }
  ForwardSignals(const ForwardSignals&) = delete;
  ForwardSignals& operator=(const ForwardSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace

bool is_python_command(std::string_view command) {
  return command == "plot" || command == "report" || command == "calibrate";
}

int run_python_command(const std::string& command, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& err) {
  std::string tried;
  const fs::path tools = find_tools(tried);
  if (tools.empty()) {
    err << "buurtlab: error: '" << command << "' needs the Python tools (" << kScript
        << "), not found in " << (tried.empty() ? std::string("any known place") : tried)
        << "; set BUURTLAB_PYTHON_TOOLS to the folder that holds them\n";
    return 1;
  }
  const std::string python = find_python();
  const std::string script = (tools / kScript).string();

  std::vector<std::string> argv_s{python, script, command};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  // `calibrate` runs `sweep` with this very program: the test CLI's test model, a build tree's
  // fresh build, not some other `buurtlab` on the PATH.
  {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) ::setenv("BUURTLAB_PROGRAM", self.c_str(), 1);
  }

  // The child writes to the same descriptors: what we printed so far must come first.
  out.flush();
  err.flush();

  // Signal handlers do not survive exec, ignored signals do: the child handles SIGINT and SIGTERM
  // as the shell arranged for this program.
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    err << "buurtlab: error: '" << command << "' cannot start Python (" << python
        << "): " << std::strerror(rc)
        << "; install python3 or set BUURTLAB_PYTHON to a Python 3 interpreter\n";
    return 1;
  }

  int status = 0;
  {
    ForwardSignals forward(pid);
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        err << "buurtlab: error: waiting for Python: " << std::strerror(errno) << '\n';
        return 1;
      }
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    err << "buurtlab: error: '" << command << "' (" << python << ") was stopped by signal "
        << WTERMSIG(status) << " (" << ::strsignal(WTERMSIG(status)) << ")\n";
  }
  return 1;
}

}  // namespace buurtlab
