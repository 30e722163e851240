#include <cmath>
#include <stdexcept>
#include <string>

#include "buurtlab/memory_output.hpp"

namespace buurtlab {

MemoryTrajectories::MemoryTrajectories(const OutputInfo& info, std::size_t places,
                                       TrajectoryWriter* forward, FrameCallback on_frame)
    : replicates_(info.replicates),
      time_points_(std::size_t(info.ticks) + 1),
      indicators_(info.indicators ? info.indicators->size() : 0),
      places_(places),
      forward_(forward),
      on_frame_(std::move(on_frame)),
      v_(std::size_t(replicates_) * time_points_ * indicators_ * places_, std::nan("")),
      spin_up_(replicates_) {}

void MemoryTrajectories::write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) {
  // A mismatch is a programming error in the caller, not bad input: say exactly what differs.
  if (replicate >= replicates_ || std::size_t(tick) >= time_points_ ||
      frame.indicators() != indicators_ || frame.places() != places_)
    throw std::logic_error("MemoryTrajectories: frame (replicate " + std::to_string(replicate) +
                           ", tick " + std::to_string(tick) + ", " +
                           std::to_string(frame.indicators()) + " x " +
                           std::to_string(frame.places()) + ") does not fit " +
                           std::to_string(replicates_) + " x " + std::to_string(time_points_) +
                           " x " + std::to_string(indicators_) + " x " + std::to_string(places_));
  const std::size_t n = indicators_ * places_;
  std::copy(frame.values().begin(), frame.values().end(),
            v_.begin() + std::ptrdiff_t((std::size_t(replicate) * time_points_ + tick) * n));
  if (forward_) forward_->write(replicate, tick, frame);
  if (on_frame_) on_frame_(replicate, tick, frame);
}

void MemoryTrajectories::spin_up_checked(std::uint32_t replicate, const SpinUpCheck& check) {
  if (replicate < spin_up_.size()) spin_up_[replicate] = check;
  if (forward_) forward_->spin_up_checked(replicate, check);
}

void MemoryTrajectories::flush() {
  if (forward_) forward_->flush();
}

void MemoryTrajectories::finish(RunStatus status) {
  status_ = status;
  if (forward_) forward_->finish(status);
}

const std::filesystem::path& MemoryTrajectories::path() const {
  static const std::filesystem::path none;
  return forward_ ? forward_->path() : none;
}

}  // namespace buurtlab
