#include <mutex>

#include "hdf5_util.hpp"

#include "buurtlab/diagnostics.hpp"

namespace buurtlab::h5 {

void silence_automatic_errors() {
  // Before HDF5's first use: no clean-up at exit. After a failed write (a full disk) a file can
  // stay open inside the library however it is closed, and HDF5 1.10's clean-up at exit then
  // crashes on it; every file this program opens is closed by its own code anyway.
  static std::once_flag once;
  std::call_once(once, [] { H5dont_atexit(); });
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

namespace {
herr_t collect_error(unsigned, const H5E_error2_t* err, void* data) {
  auto& parts = *static_cast<std::vector<std::string>*>(data);
  std::string msg = err->desc ? err->desc : "";
  if (msg.empty()) {
    // Some entries carry only a minor error class ("file exists", "no space available").
    char buf[256] = "";
    if (H5Eget_msg(err->min_num, nullptr, buf, sizeof buf) > 0) msg = buf;
  }
  // The same message often repeats down the stack (each layer restating "unable to open file").
  if (!msg.empty() && (parts.empty() || parts.back() != msg)) parts.push_back(std::move(msg));
  return 0;
}
}  // namespace

std::string error_text() {
  std::vector<std::string> parts;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &parts);
  H5Eclear2(H5E_DEFAULT);
  if (parts.empty()) return "unknown HDF5 error";
  // The outermost message says what failed ("unable to create file"), the innermost why
  // ("errno = 28, error message = 'No space left on device'"); the layers between only restate.
  std::string out = parts.front();
  if (parts.size() > 1) out += ": " + parts.back();
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

void Context::fail(std::string_view what) const {
  throw RunError("cannot write " + file + ": " + std::string(what) + ": " + error_text());
}

Id utf8_string_type(const Context& cx) {
  Id t(cx.check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  cx.check(H5Tset_size(t.get(), H5T_VARIABLE), "string type");
  cx.check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "string type");
  return t;
}

Id simple_space(const Context& cx, const std::vector<hsize_t>& dims) {
  return Id(cx.check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     "dataspace"),
            H5Sclose);
}

Id scalar_space(const Context& cx) {
  return Id(cx.check(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose);
}

namespace {
// A scalar attribute when `n` is 0, else a one-dimensional one of n values.
void write_attr(const Context& cx, hid_t obj, const char* name, hid_t file_type, hid_t mem_type,
                const void* value, hsize_t n = 0) {
  const std::string what = std::string("attribute ") + name;
  Id attr;
  const htri_t exists = H5Aexists(obj, name);
  cx.check(static_cast<herr_t>(exists), what);
  if (exists > 0) {
    attr = Id(cx.check(H5Aopen(obj, name, H5P_DEFAULT), what), H5Aclose);
  } else {
    Id space = n == 0 ? scalar_space(cx) : simple_space(cx, {n});
    attr = Id(cx.check(H5Acreate2(obj, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                       what),
              H5Aclose);
  }
  cx.check(H5Awrite(attr.get(), mem_type, value), what);
  if (!attr.close()) cx.fail(what);
}

Id write_dataset(const Context& cx, hid_t loc, const char* name, hid_t file_type, hid_t mem_type,
                 hsize_t n, const void* data, bool allocate_early) {
  const std::string what = std::string("dataset ") + name;
  Id space = simple_space(cx, {n});
  Id dcpl(cx.check(H5Pcreate(H5P_DATASET_CREATE), what), H5Pclose);
  if (allocate_early) cx.check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), what);
  Id dset(cx.check(H5Dcreate2(loc, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(),
                              H5P_DEFAULT),
                   what),
          H5Dclose);
  cx.check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
  return dset;
}
}  // namespace

void attr_string(const Context& cx, hid_t obj, const char* name, std::string_view value) {
  Id type = utf8_string_type(cx);
  const std::string s(value);
  const char* p = s.c_str();
  write_attr(cx, obj, name, type.get(), type.get(), &p);
}

void attr_int32(const Context& cx, hid_t obj, const char* name, std::int32_t value) {
  write_attr(cx, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

void attr_uint64(const Context& cx, hid_t obj, const char* name, std::uint64_t value) {
  write_attr(cx, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

void attr_double(const Context& cx, hid_t obj, const char* name, double value) {
  write_attr(cx, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void attr_int32s(const Context& cx, hid_t obj, const char* name,
                 const std::vector<std::int32_t>& values) {
  write_attr(cx, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, values.data(), values.size());
}

void attr_doubles(const Context& cx, hid_t obj, const char* name,
                  const std::vector<double>& values) {
  write_attr(cx, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), values.size());
}

Id dataset_int32(const Context& cx, hid_t loc, const char* name, const std::vector<std::int32_t>& v,
                 bool allocate_early) {
  return write_dataset(cx, loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, v.size(), v.data(),
                       allocate_early);
}

Id dataset_int64(const Context& cx, hid_t loc, const char* name,
                 const std::vector<std::int64_t>& v) {
  return write_dataset(cx, loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, v.size(), v.data(), false);
}

Id dataset_uint64(const Context& cx, hid_t loc, const char* name,
                  const std::vector<std::uint64_t>& v) {
  return write_dataset(cx, loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v.size(), v.data(), false);
}

Id dataset_double(const Context& cx, hid_t loc, const char* name, const std::vector<double>& v) {
  return write_dataset(cx, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.size(), v.data(), false);
}

Id dataset_strings(const Context& cx, hid_t loc, const char* name,
                   const std::vector<std::string>& v) {
  Id type = utf8_string_type(cx);
  std::vector<const char*> ptrs;
  ptrs.reserve(v.size());
  for (const auto& s : v) ptrs.push_back(s.c_str());
  return write_dataset(cx, loc, name, type.get(), type.get(), ptrs.size(), ptrs.data(), false);
}

}  // namespace buurtlab::h5
