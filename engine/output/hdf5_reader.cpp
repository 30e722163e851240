// Reading trajectory files (docs/output.md) back for the tools: compare, sweep resumption.
//
// The reader trusts nothing it has not checked: a file given on the command line may be any HDF5
// file, an older or newer layout, or one a killed run left behind. What the tools rely on (the
// root attributes naming the run, the replicate/time/place axes, the indicators' shapes) is
// checked on opening and reported as an input error naming the file; optional parts that are
// missing read as empty.
#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <unordered_set>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/limits.hpp"
#include "buurtlab/output_reader.hpp"
#include "hdf5_util.hpp"

namespace buurtlab {

std::optional<std::size_t> OutputFileInfo::indicator_index(std::string_view name) const {
  for (std::size_t i = 0; i < indicators.size(); ++i)
    if (indicators[i].name == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> OutputFileInfo::place_index(std::string_view code) const {
  for (std::size_t i = 0; i < places.size(); ++i)
    if (places[i].code == code) return i;
  return std::nullopt;
}

namespace {

namespace fs = std::filesystem;
using h5::Id;

// What a reader needs besides the path: where to send complaints.
struct Source {
  std::string file;

  [[noreturn]] void bad(const std::string& what) const { throw InputError(file + ": " + what); }
  [[noreturn]] void unreadable(const std::string& what) const {
    throw RunError("cannot read " + file + ": " + what + ": " + h5::error_text());
  }
};

bool has_attr(hid_t obj, const char* name) { return H5Aexists(obj, name) > 0; }

bool has_link(hid_t loc, const char* name) { return H5Lexists(loc, name, H5P_DEFAULT) > 0; }

// A string attribute, variable or fixed length; nullopt if it is missing or not a string.
std::optional<std::string> read_string_attr(const Source& src, hid_t obj, const char* name) {
  if (!has_attr(obj, name)) return std::nullopt;
  Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) src.unreadable(std::string("attribute ") + name);
  Id ftype(H5Aget_type(attr.get()), H5Tclose);
  if (!ftype.valid() || H5Tget_class(ftype.get()) != H5T_STRING) return std::nullopt;
  Id space(H5Aget_space(attr.get()), H5Sclose);
  if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
  Id mtype(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get()));
  if (H5Tis_variable_str(ftype.get()) > 0) {
    H5Tset_size(mtype.get(), H5T_VARIABLE);
    char* p = nullptr;
    if (H5Aread(attr.get(), mtype.get(), &p) < 0) src.unreadable(std::string("attribute ") + name);
    std::string out = p ? p : "";
    H5free_memory(p);
    return out;
  }
  const std::size_t n = H5Tget_size(ftype.get());
  std::string buf(n + 1, '\0');
  H5Tset_size(mtype.get(), n + 1);
  H5Tset_strpad(mtype.get(), H5T_STR_NULLTERM);
  if (H5Aread(attr.get(), mtype.get(), buf.data()) < 0)
    src.unreadable(std::string("attribute ") + name);
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

// A numeric attribute converted to T by HDF5; nullopt if missing or not an integer/float scalar.
template <class T>
std::optional<T> read_number_attr(const Source& src, hid_t obj, const char* name, hid_t mem_type) {
  if (!has_attr(obj, name)) return std::nullopt;
  Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) src.unreadable(std::string("attribute ") + name);
  Id ftype(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = ftype.valid() ? H5Tget_class(ftype.get()) : H5T_NO_CLASS;
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) return std::nullopt;
  Id space(H5Aget_space(attr.get()), H5Sclose);
  if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
  T v{};
  if (H5Aread(attr.get(), mem_type, &v) < 0) return std::nullopt;  // e.g. out of range
  return v;
}

std::vector<hsize_t> dims_of(hid_t dset) {
  Id space(H5Dget_space(dset), H5Sclose);
  if (!space.valid()) return {};
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) return {};
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

// A 1-D dataset of `n` numbers, converted to `mem_type`. Missing: nullopt if optional, else an
// input error; present with the wrong shape: an input error either way.
template <class T>
std::optional<std::vector<T>> read_vector(const Source& src, hid_t file, const char* name,
                                          hid_t mem_type, std::optional<hsize_t> n, bool required) {
  if (!has_link(file, name)) {
    if (required)
      src.bad(std::string("not a complete Buurtlab output file (no dataset ") + name + ")");
    return std::nullopt;
  }
  Id d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!d.valid()) src.unreadable(std::string("dataset ") + name);
  const auto dims = dims_of(d.get());
  Id ftype(H5Dget_type(d.get()), H5Tclose);
  const H5T_class_t cls = ftype.valid() ? H5Tget_class(ftype.get()) : H5T_NO_CLASS;
  if (dims.size() != 1 || (n && dims[0] != *n) || (cls != H5T_INTEGER && cls != H5T_FLOAT))
    src.bad(std::string("dataset ") + name + " does not have the layout of a Buurtlab output file");
  std::vector<T> v(dims[0]);
  if (!v.empty() && H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
    src.unreadable(std::string("dataset ") + name);
  return v;
}

// Owns every block HDF5 allocates for variable-length data during one read.
struct StringArena {
  std::unordered_set<void*> blocks;

  StringArena() = default;
  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;
  ~StringArena() {
    for (void* b : blocks) std::free(b);
  }
  // Called from C: no exception may leave it (HDF5 reports a null block as a failed read).
  static void* allocate(std::size_t size, void* info) noexcept {
    void* b = std::malloc(size);
    try {
      if (b) static_cast<StringArena*>(info)->blocks.insert(b);
    } catch (...) {
      std::free(b);
      return nullptr;
    }
    return b;
  }
  static void release(void* b, void* info) noexcept {
    if (b && static_cast<StringArena*>(info)->blocks.erase(b)) std::free(b);
  }
};

std::vector<std::string> read_strings(const Source& src, hid_t file, const char* name, hsize_t n) {
  if (!has_link(file, name)) return {};
  Id d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!d.valid()) src.unreadable(std::string("dataset ") + name);
  Id ftype(H5Dget_type(d.get()), H5Tclose);
  const auto dims = dims_of(d.get());
  if (dims.size() != 1 || dims[0] != n || !ftype.valid() ||
      H5Tget_class(ftype.get()) != H5T_STRING || H5Tis_variable_str(ftype.get()) <= 0)
    src.bad(std::string("dataset ") + name + " does not have the layout of a Buurtlab output file");
  Id mtype(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mtype.get(), H5T_VARIABLE);
  H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get()));
  // The strings are allocated through a StringArena: a read that fails part way (a damaged heap)
  // has already allocated the strings before it, and their pointers are lost in HDF5's conversion
  // buffer, so only the arena can free them (found by fuzzing, docs/reliability.md).
  StringArena arena;
  Id xfer(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
  if (!xfer.valid() || H5Pset_vlen_mem_manager(xfer.get(), StringArena::allocate, &arena,
                                               StringArena::release, &arena) < 0)
    src.unreadable(std::string("dataset ") + name);
  std::vector<char*> p(n, nullptr);
  if (n > 0 && H5Dread(d.get(), mtype.get(), H5S_ALL, H5S_ALL, xfer.get(), p.data()) < 0)
    src.unreadable(std::string("dataset ") + name);
  std::vector<std::string> out;
  out.reserve(n);
  for (char* s : p) out.emplace_back(s ? s : "");
  return out;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t* info, void* data) {
  if (info->type == H5L_TYPE_HARD) static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

class Hdf5Reader final : public OutputReader {
 public:
  explicit Hdf5Reader(const fs::path& path);
  const OutputFileInfo& info() const override { return info_; }
  std::vector<double> read_place(std::size_t indicator, std::size_t place) const override;

 private:
  void read_description();
  void find_indicators();

  Source src_;
  OutputFileInfo info_;
  Id file_;
  std::vector<Id> datasets_;  // one per indicator, as in info_.indicators
};

Hdf5Reader::Hdf5Reader(const fs::path& path) : src_{path.string()} {
  info_.path = path;
  h5::silence_automatic_errors();
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) src_.bad("no such file");
  if (fs::is_directory(st)) src_.bad("is a folder, not an output file");
  file_ = Id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file_.valid()) {
    const std::string why = h5::error_text();
    if (H5Fis_hdf5(path.c_str()) == 0) {
      H5Eclear2(H5E_DEFAULT);
      src_.bad("not a Buurtlab output file (not an HDF5 file)");
    }
    H5Eclear2(H5E_DEFAULT);
    // HDF5 records the file's length in its header; a copy or download that stopped early, or
    // a disk that filled up, leaves a shorter file, which HDF5 reports as "truncated file: eof =
    // N, ..., stored_eof = M".
    if (why.find("truncated file") != std::string::npos) {
      std::error_code size_ec;
      const auto size = fs::file_size(path, size_ec);
      const auto stored = why.find("stored_eof = ");
      std::string expected;
      if (stored != std::string::npos) {
        const auto digits = why.substr(stored + 13);
        expected = digits.substr(0, digits.find_first_not_of("0123456789"));
      }
      src_.bad("truncated: the file has " + (size_ec ? std::string("fewer") : std::to_string(size)) +
               " bytes" + (expected.empty() ? "" : " of the " + expected + " its header records") +
               " (a copy that did not finish, or a full disk?)");
    }
    // The usual cause: a run still has the file open for writing (HDF5 locks it).
    if (why.find("unable to lock file") != std::string::npos)
      src_.bad("cannot open it: " + why + " (is a run still writing it?)");
    src_.bad("cannot open it: " + why);
  }
  read_description();
  find_indicators();
}

void Hdf5Reader::read_description() {
  const hid_t f = file_.get();
  auto version = read_string_attr(src_, f, "buurtlab_version");
  if (!version) src_.bad("not a Buurtlab output file (no buurtlab_version attribute)");
  info_.buurtlab_version = *version;

  auto required_string = [&](const char* name) {
    auto v = read_string_attr(src_, f, name);
    if (!v)
      src_.bad(std::string("not a complete Buurtlab output file (no ") + name + " attribute)");
    return *v;
  };
  auto optional_string = [&](const char* name) {
    return read_string_attr(src_, f, name).value_or(std::string());
  };
  info_.model = required_string("model");
  info_.status = required_string("status");
  info_.git_commit = optional_string("git_commit");
  info_.scenario_name = optional_string("scenario_name");
  info_.scenario_file = optional_string("scenario_file");
  info_.scenario_yaml = optional_string("scenario_yaml");
  info_.tick_length = optional_string("tick_length");
  info_.start_date = optional_string("start_date");
  info_.seed = read_number_attr<std::uint64_t>(src_, f, "seed", H5T_NATIVE_UINT64).value_or(0);
  info_.spin_up = optional_string("spin_up");
  info_.spin_up_check = optional_string("spin_up_check");
  info_.spin_up_drifting = optional_string("spin_up_drifting");
  info_.spin_up_ticks = static_cast<Tick>(std::max<std::int64_t>(
      0, read_number_attr<std::int64_t>(src_, f, "spin_up_ticks", H5T_NATIVE_INT64).value_or(0)));

  const auto ticks = read_number_attr<std::int64_t>(src_, f, "ticks", H5T_NATIVE_INT64);
  const auto reps = read_number_attr<std::int64_t>(src_, f, "replicates", H5T_NATIVE_INT64);
  if (!ticks || *ticks < 0 || !reps || *reps < 1)
    src_.bad("not a complete Buurtlab output file (no valid ticks and replicates attributes)");
  // A file claims its sizes; HDF5 datasets may be declared far larger than the file (unwritten
  // chunks take no space), so a damaged or hostile file could ask a reader for any amount of
  // memory. No run within the scenario limits (limits.hpp) writes more than this.
  constexpr std::int64_t kMaxFileTicks = std::int64_t{kMaxYears} * 366;
  if (*ticks > kMaxFileTicks || *reps > std::int64_t{kMaxReplicates})
    src_.bad("not a Buurtlab output file: it claims " + std::to_string(*ticks) + " ticks and " +
             std::to_string(*reps) + " replicates, more than a run can write (at most " +
             std::to_string(kMaxFileTicks) + " ticks and " + std::to_string(kMaxReplicates) +
             " replicates)");
  info_.ticks = static_cast<Tick>(*ticks);
  info_.replicates = static_cast<std::uint32_t>(*reps);
  const hsize_t T = hsize_t(info_.ticks) + 1, R = info_.replicates;

  info_.time = *read_vector<double>(src_, f, "time", H5T_NATIVE_DOUBLE, T, true);
  read_vector<std::int32_t>(src_, f, "replicate", H5T_NATIVE_INT32, R, true);
  const auto place_index = read_vector<std::int32_t>(src_, f, "place", H5T_NATIVE_INT32, {}, true);
  const hsize_t P = place_index->size();
  if (P == 0) src_.bad("not a complete Buurtlab output file (no places)");
  if (P > kMaxPlaces)
    src_.bad("not a Buurtlab output file: it claims " + std::to_string(P) +
             " places, more than a run can write (at most " + std::to_string(kMaxPlaces) + ")");
  info_.ticks_written =
      *read_vector<std::int32_t>(src_, f, "ticks_written", H5T_NATIVE_INT32, R, true);
  info_.replicate_seeds =
      read_vector<std::uint64_t>(src_, f, "replicate_seed", H5T_NATIVE_UINT64, R, false)
          .value_or(std::vector<std::uint64_t>());

  const auto codes = read_strings(src_, f, "place_code", P);
  if (codes.empty()) src_.bad("not a complete Buurtlab output file (no dataset place_code)");
  const auto names = read_strings(src_, f, "place_name", P);
  const auto levels = read_strings(src_, f, "place_level", P);
  const auto parents =
      read_vector<std::int32_t>(src_, f, "place_parent", H5T_NATIVE_INT32, P, false);
  const auto populations =
      read_vector<std::int64_t>(src_, f, "place_population", H5T_NATIVE_INT64, P, false);
  info_.places.resize(P);
  for (hsize_t p = 0; p < P; ++p) {
    OutputPlace& pl = info_.places[p];
    pl.code = codes[p];
    if (!names.empty()) pl.name = names[p];
    if (!levels.empty()) pl.level = levels[p];
    if (parents) pl.parent = (*parents)[p];
    if (populations) pl.population = (*populations)[p];
  }
}

// Indicators are the floating-point datasets shaped (replicate, time, place); listing the root in
// creation order gives them in the order the model declares them.
void Hdf5Reader::find_indicators() {
  const hid_t f = file_.get();
  std::vector<std::string> names;
  if (H5Literate(f, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_name, &names) < 0) {
    // Files whose creator did not track creation order can still be listed by name.
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    if (H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names) < 0)
      src_.unreadable("listing the datasets");
  }
  const std::vector<hsize_t> shape = {info_.replicates, hsize_t(info_.ticks) + 1,
                                      info_.places.size()};
  for (const std::string& name : names) {
    Id obj(H5Oopen(f, name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!obj.valid()) src_.unreadable("object " + name);
    if (H5Iget_type(obj.get()) != H5I_DATASET) continue;
    Id d(H5Dopen2(f, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid()) src_.unreadable("dataset " + name);
    Id type(H5Dget_type(d.get()), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_FLOAT || dims_of(d.get()) != shape)
      continue;
    OutputIndicator ind;
    ind.name = name;
    ind.units = read_string_attr(src_, d.get(), "units").value_or(std::string());
    ind.description = read_string_attr(src_, d.get(), "long_name").value_or(std::string());
    info_.indicators.push_back(std::move(ind));
    datasets_.push_back(std::move(d));
  }
}

std::vector<double> Hdf5Reader::read_place(std::size_t indicator, std::size_t place) const {
  if (indicator >= datasets_.size() || place >= info_.places.size())
    throw std::out_of_range("OutputReader::read_place: indicator or place out of range");
  h5::silence_automatic_errors();  // per thread; the reader may be used from another one
  const hsize_t R = info_.replicates, T = hsize_t(info_.ticks) + 1;
  const hid_t d = datasets_[indicator].get();
  const std::string what = "indicator " + info_.indicators[indicator].name;
  Id fspace(H5Dget_space(d), H5Sclose);
  if (!fspace.valid()) src_.unreadable(what);
  const hsize_t start[3] = {0, 0, place};
  const hsize_t count[3] = {R, T, 1};
  if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0)
    src_.unreadable(what);
  const hsize_t n = R * T;
  Id mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
  std::vector<double> v(n);
  // The file opened and described itself, so a failure here is damage inside it (a chunk
  // that does not decompress, a chunk index pointing past the end): bad input, like a
  // truncated file, rather than a failure of the run.
  if (H5Dread(d, H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT, v.data()) < 0)
    src_.bad("damaged: cannot read " + what + ": " + h5::error_text());
  return v;
}

}  // namespace

std::unique_ptr<OutputReader> open_output(const std::filesystem::path& path) {
  return std::make_unique<Hdf5Reader>(path);
}

}  // namespace buurtlab
