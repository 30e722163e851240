// Small helpers over the HDF5 C API for the trajectory writer: owned identifiers, the HDF5 error
// stack as text, and typed attribute and dataset writes.
//
// Private to engine/output (the only place that includes HDF5 headers). Every helper that fails
// throws RunError naming the file and quoting HDF5's own error messages, so a full disk or a
// read-only folder reads as such instead of as "HDF5 error".
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace buurtlab::h5 {

// An HDF5 identifier with the function that closes it. Move-only; closes on destruction.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(Id&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      closer_ = o.closer_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns false if HDF5 reported an error (the id is released either way).
  bool close() noexcept {
    if (id_ < 0) return true;
    const herr_t rc = closer_(id_);
    id_ = H5I_INVALID_HID;
    return rc >= 0;
  }
  void reset() noexcept { close(); }
  // Forgets the id without closing it: for a file that must not be written again (closing would
  // flush it). The library keeps it open until the process ends.
  void abandon() noexcept { id_ = H5I_INVALID_HID; }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Turns off HDF5's habit of printing its error stack to stderr; errors are reported through
// exceptions built from error_text() instead. The setting is per thread in thread-safe builds
// (Debian's is one), so call it on the thread that makes the HDF5 calls.
void silence_automatic_errors();

// The current HDF5 error stack as one line (what failed: why); clears the stack.
std::string error_text();

// Everything below throws RunError("cannot write FILE: WHAT: <HDF5 messages>") on failure, where
// FILE is the `file` argument.
struct Context {
  std::string file;  // for messages
  [[noreturn]] void fail(std::string_view what) const;
  hid_t check(hid_t id, std::string_view what) const {
    if (id < 0) fail(what);
    return id;
  }
  void check(herr_t rc, std::string_view what) const {
    if (rc < 0) fail(what);
  }
};

Id utf8_string_type(const Context& cx);
Id simple_space(const Context& cx, const std::vector<hsize_t>& dims);
Id scalar_space(const Context& cx);

// Scalar attributes on an object (dataset, group or file id = root group). Overwrites an existing
// attribute of the same name and type.
void attr_string(const Context& cx, hid_t obj, const char* name, std::string_view value);
void attr_int32(const Context& cx, hid_t obj, const char* name, std::int32_t value);
void attr_uint64(const Context& cx, hid_t obj, const char* name, std::uint64_t value);
void attr_double(const Context& cx, hid_t obj, const char* name, double value);
// One-dimensional attributes (at least one value). Overwrites one of the same name, type and size.
void attr_int32s(const Context& cx, hid_t obj, const char* name,
                 const std::vector<std::int32_t>& values);
void attr_doubles(const Context& cx, hid_t obj, const char* name,
                  const std::vector<double>& values);

// 1-D contiguous datasets written in full at creation.
Id dataset_int32(const Context& cx, hid_t loc, const char* name, const std::vector<std::int32_t>& v,
                 bool allocate_early = false);
Id dataset_int64(const Context& cx, hid_t loc, const char* name,
                 const std::vector<std::int64_t>& v);
Id dataset_uint64(const Context& cx, hid_t loc, const char* name,
                  const std::vector<std::uint64_t>& v);
Id dataset_double(const Context& cx, hid_t loc, const char* name, const std::vector<double>& v);
Id dataset_strings(const Context& cx, hid_t loc, const char* name,
                   const std::vector<std::string>& v);

}  // namespace buurtlab::h5
