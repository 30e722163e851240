// libFuzzer target: arbitrary bytes as an output file given to compare, plot or resume. The
// reader must refuse what is not a Buurtlab output file with an InputError (or RunError for data
// it cannot read) and never crash (tools/fuzz.sh; docs/reliability.md, "Fuzzing").
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("buurtlab_fuzz_" + std::to_string(::getpid()) + ".h5");
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto reader = buurtlab::open_output(path);
    const auto& info = reader->info();
    for (std::size_t i = 0; i < info.indicators.size() && i < 3; ++i)
      for (std::size_t p = 0; p < info.places.size() && p < 3; ++p) (void)reader->read_place(i, p);
  } catch (const buurtlab::InputError&) {
  } catch (const buurtlab::RunError&) {
  }
  return 0;
}
