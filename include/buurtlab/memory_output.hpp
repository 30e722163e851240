// Trajectories kept in memory, for callers that want the numbers rather than a file: the Python
// module and the lab. The values are exactly those a file written by the same run holds; a second
// writer (an HDF5 file) can be given to receive every call too, so that what is kept and what is
// written come from one run.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "buurtlab/output.hpp"

namespace buurtlab {

class MemoryTrajectories : public TrajectoryWriter {
 public:
  // Called after each frame is stored, serialised as the writer's calls are (RunOptions).
  using FrameCallback =
      std::function<void(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame)>;

  // Sized from `info` (replicates, ticks + 1 time points) and the indicators and places of the
  // frames; every value is NaN until written, so a replicate stopped early reads NaN afterwards.
  // `forward`, if not null, receives every call after it is stored and must outlive this object.
  MemoryTrajectories(const OutputInfo& info, std::size_t places, TrajectoryWriter* forward = nullptr,
                     FrameCallback on_frame = {});

  void write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) override;
  void spin_up_checked(std::uint32_t replicate, const SpinUpCheck& check) override;
  void flush() override;
  void finish(RunStatus status) override;
  // The forwarded writer's path; empty without one.
  const std::filesystem::path& path() const override;

  std::uint32_t replicates() const { return replicates_; }
  std::size_t time_points() const { return time_points_; }
  std::size_t indicators() const { return indicators_; }
  std::size_t places() const { return places_; }
  RunStatus status() const { return status_; }
  // The settle check of each replicate that completed its spin-up (done() false otherwise).
  const std::vector<SpinUpCheck>& spin_up() const { return spin_up_; }

  // Values laid out [replicate][time][indicator][place], row-major.
  const std::vector<double>& values() const { return v_; }
  double at(std::uint32_t replicate, std::size_t time, std::size_t indicator,
            std::size_t place) const {
    return v_[((std::size_t(replicate) * time_points_ + time) * indicators_ + indicator) * places_ +
              place];
  }

 private:
  std::uint32_t replicates_;
  std::size_t time_points_, indicators_, places_;
  TrajectoryWriter* forward_;
  FrameCallback on_frame_;
  std::vector<double> v_;
  std::vector<SpinUpCheck> spin_up_;
  RunStatus status_ = RunStatus::running;
};

}  // namespace buurtlab
