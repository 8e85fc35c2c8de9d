// What `eofzero selftest` says: a line per control run on each filesystem as
// it finishes, then the table oracle (phase) × filesystem -> detects
// yes / NO / ? (? where the baseline did not pass or the filesystem could
// not be set up, so detection cannot be shown).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "oracles/verdict.h"

namespace eofzero::report {

struct SelftestTable {
  std::vector<std::string> columns;  // "ext4/4k"
  struct Row {
    std::string label;               // "mmap (after crash)"
    std::vector<std::string> cells;  // one per column: yes, NO, skip, ?
    std::string control = {};        // the control that must make it report
    // One per column: why the cell says what it does (the control's verdict,
    // why it does not apply, why detection cannot be shown).
    std::vector<std::string> reasons = {};
  };
  std::vector<Row> rows;
  // One per column: its filesystem and block size, and why the self-test
  // could not be set up there (the filesystem could not be made, a baseline
  // did not run), empty where it could.
  struct Column {
    std::string fs;
    std::uint32_t block_size = 0;
    std::string setup_error = {};
    bool operator==(const Column&) const = default;
  };
  std::vector<Column> column_info = {};
};

// The table, after a blank line: a header and a line per row.
std::string RenderSelftestTable(const SelftestTable& table);

// The lines said when a filesystem could not be set up, and when a baseline
// did not pass (each ends with a newline).
std::string SetupFailedLine(const std::string& column, const std::string& error);
std::string BaselineFailedLine(const std::string& column, const std::string& baseline);

class SelftestReporter {
 public:
  virtual ~SelftestReporter() = default;
  // The self-test could not take its space: nothing ran, no table follows.
  virtual void RunFailed(const std::string& error) = 0;
  // A filesystem could not be made; its cells are "?".
  virtual void SetupFailed(const std::string& column, const std::string& error) = 0;
  virtual void ControlDone(const std::string& column, const std::string& control,
                           const oracles::Verdict& verdict) = 0;
  // A clean run ("baseline", "race_baseline") failed, so no control on its
  // case shows anything there.
  virtual void BaselineFailed(const std::string& column, const std::string& baseline) = 0;
  virtual void Finish(const SelftestTable& table) = 0;
};

// As text on a stream (stdout).
class SelftestTextReporter : public SelftestReporter {
 public:
  explicit SelftestTextReporter(std::ostream& out) : out_(out) {}
  void RunFailed(const std::string& error) override;
  void SetupFailed(const std::string& column, const std::string& error) override;
  void ControlDone(const std::string& column, const std::string& control,
                   const oracles::Verdict& verdict) override;
  void BaselineFailed(const std::string& column, const std::string& baseline) override;
  void Finish(const SelftestTable& table) override;

 private:
  std::ostream& out_;
};

}  // namespace eofzero::report
