// A model instance's state as bytes, for checkpoints (docs/reliability.md, "Checkpoint and
// resume"). The format is plain and private to one program version: values are written in the
// machine's own representation, in the order the code writes them, each section preceded by its
// name so that a reader that has drifted from the writer fails at once, naming where. A checkpoint
// is only ever read back by the program that wrote it (the file's header says which, and other
// versions are refused), so no portability is attempted.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace buurtlab {

class StateWriter {
 public:
  // Marks the start of a named part; the reader checks the same name comes next.
  void section(std::string_view name) { put_string(name); }

  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>, "put() copies bytes: trivially copyable only");
    const auto* p = reinterpret_cast<const char*>(&v);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "put_vector() copies bytes");
    put<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const char*>(v.data());
    bytes_.insert(bytes_.end(), p, p + v.size() * sizeof(T));
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }

  const std::string& bytes() const { return bytes_; }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Thrown when state bytes do not fit what the reader expects (truncated, or written by other
// code); the message names the section.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : b_(bytes) {}

  void section(std::string_view name) {
    const std::string got = get_string();
    if (got != name)
      throw StateError("checkpoint state: expected section '" + std::string(name) + "', found '" +
                       got.substr(0, 40) + "' (written by other code?)");
    where_ = name;
  }

  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>, "get() copies bytes: trivially copyable only");
    need(sizeof(T));
    T v;
    std::memcpy(&v, b_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  template <class T>
  void get(T& v) {
    v = get<T>();
  }
  template <class T>
  void get_vector(std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "get_vector() copies bytes");
    const auto n = get<std::uint64_t>();
    if (n > (b_.size() - pos_) / (sizeof(T) ? sizeof(T) : 1)) fail("truncated (a vector longer than the data left)");
    v.resize(n);
    if (n > 0) std::memcpy(v.data(), b_.data() + pos_, n * sizeof(T));  // data() may be null at 0
    pos_ += n * sizeof(T);
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }

  bool at_end() const { return pos_ == b_.size(); }
  [[noreturn]] void fail(const std::string& what) const {
    throw StateError("checkpoint state, section '" + std::string(where_) + "': " + what);
  }

 private:
  void need(std::size_t n) const {
    if (n > b_.size() - pos_) fail("truncated");
  }

  std::string_view b_;
  std::size_t pos_ = 0;
  std::string where_ = "start";
};

}  // namespace buurtlab
