// Placeholder until the HDF5 writer lands.
#include "buurtlab/output.hpp"

namespace buurtlab {
const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::running: return "running";
    case RunStatus::complete: return "complete";
    case RunStatus::interrupted: return "interrupted";
    case RunStatus::failed: return "failed";
  }
  return "?";
}
std::unique_ptr<TrajectoryWriter> create_hdf5_writer(const std::filesystem::path&,
                                                     const OutputInfo&, bool) {
  throw RunError("HDF5 output is not implemented yet");
}
}  // namespace buurtlab
