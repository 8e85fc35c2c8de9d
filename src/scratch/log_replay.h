// Rebuilding an image from a write log (scratch/write_log.h): the state as of
// a barrier, or that state plus some of the writes issued after it.
//
// States are addressed by barriers, numbered 1, 2, ... in log order. Epoch K
// is what was logged between barrier K and barrier K+1 (epoch 0: before
// barrier 1; the last epoch: after the last barrier).
//   "K"         the image of zeros + every write, discard and zero-range of
//               epochs 0..K-1: what a device that lost its volatile cache
//               right after barrier K holds ("0" is the base, all zeros)
//   "K:SUBSET"  state K + the listed changes of epoch K, in log order:
//               SUBSET is a comma-separated list of indices or ranges (0-based,
//               counting only epoch K's writes, discards and zero-ranges):
//               "3:0,2,5-7" (never empty: "K" is state K). A torn write: "N@A-B"
//               (or "N@A") applies only sectors A..B of change N (0-based, in
//               the log's sector size), as a device that persisted part of a
//               multi-sector write; several items for one change add up
//               ("3:1@0,1@4-5")
//   "final"     every change logged
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "os/error.h"
#include "scratch/write_log.h"

namespace eofzero::scratch {

// One change of a subset: all of it (no sectors), or only these sectors.
struct SubsetItem {
  std::uint64_t change = 0;
  std::vector<std::uint64_t> sectors;  // sorted, distinct; empty: the whole change
  bool operator==(const SubsetItem&) const = default;
};

struct StateAddress {
  bool final = false;
  std::uint64_t barrier = 0;
  std::optional<std::vector<SubsetItem>> subset;  // by change, sorted, one item each
  bool operator==(const StateAddress&) const = default;
};

// Pure: "final", "K" or "K:SUBSET"; the error says what is wrong.
std::expected<StateAddress, std::string> ParseStateAddress(std::string_view text);
// Pure: the address as ParseStateAddress reads it back (an empty subset is
// state K itself: "K").
std::string StateAddressText(const StateAddress& state);

// Pure: how many barriers the log has.
std::uint64_t BarrierCount(const ParsedLog& log);

// Pure: decides, record by record in log order, what a state applies of
// each; the log need not be held (it may stream from a WriteLogReader).
class StateSelector {
 public:
  // `state` must outlive the selector; `sector_size` is the log's.
  StateSelector(const StateAddress& state, std::uint32_t sector_size);
  // What the state applies of the next record: nothing (nullopt), all of it
  // (no sectors) or only these sectors; an error for a torn change that is
  // not a write or names a sector past its end.
  std::expected<std::optional<std::vector<std::uint64_t>>, std::string> Next(const LogRecord& r);
  // Whether no later record can change the state (its epoch is over).
  bool done() const { return done_; }
  // Once the records ran out or done(): an error for a barrier past the
  // log's last, or a subset that names a change epoch K does not have.
  std::expected<void, std::string> Finish() const;

 private:
  const StateAddress& state_;
  std::uint64_t sector_;
  std::uint64_t epoch_ = 0;     // barriers seen
  std::uint64_t in_epoch_ = 0;  // changes seen in the state's epoch
  std::size_t next_ = 0;        // the next subset item
  bool done_ = false;
};
// The size of the sectors a log's torn writes count in (512 if the header says 0).
std::uint64_t LogSectorSize(const WriteLogHeader& header);
// Pure: how many sectors `length` bytes span (the last may be partial), without overflow.
std::uint64_t SectorCount(std::uint64_t length, std::uint64_t sector_size);
// Pure: bytes [begin, end) of sector `sector` within a change of `length`
// bytes, or nothing when the change has no such sector (no product overflows).
std::optional<ByteRange> SectorBytes(std::uint64_t sector, std::uint64_t length,
                                     std::uint64_t sector_size);

// One change a state applies: log.records[record], whole or only `sectors`.
struct AppliedChange {
  std::size_t record = 0;
  std::vector<std::uint64_t> sectors;  // empty: all of it
  bool operator==(const AppliedChange&) const = default;
};
// Pure: the changes a state applies, in log order (StateSelector over the
// whole log).
std::expected<std::vector<AppliedChange>, std::string> ChangesOfState(const ParsedLog& log,
                                                                      const StateAddress& state);

// Writes the state as a new image file `out`: a sparse file of the log's
// image size with the state's changes applied, reading the log as it goes
// (memory: a record at a time). The file gets its name only once it is
// whole, never over a file there (os::PendingFile): a replay that fails or
// is interrupted (SIGINT, SIGTERM, SIGHUP: kInterrupted) leaves nothing.
// kInvalid: the state is not in the log (a damaged or cut log holds what
// comes before the damage), or `out` exists.
os::Status ReplayState(WriteLogReader& log, const StateAddress& state, const std::string& out);
// The same for a log in memory.
os::Status ReplayState(const ParsedLog& log, const StateAddress& state, const std::string& out);

}  // namespace eofzero::scratch
