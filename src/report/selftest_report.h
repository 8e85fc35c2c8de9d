// What `eofzero selftest` says: a line per control run on each filesystem as
// it finishes, then the table oracle (phase) × filesystem -> detects
// yes / NO / ? (? where the baseline did not pass or the filesystem could
// not be set up, so detection cannot be shown).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "oracles/verdict.h"

namespace eofzero::report {

struct SelftestTable {
  std::vector<std::string> columns;  // "ext4/4k"
  struct Row {
    std::string label;               // "mmap (after crash)"
    std::vector<std::string> cells;  // one per column
  };
  std::vector<Row> rows;
};

// The table, after a blank line: a header and a line per row.
std::string RenderSelftestTable(const SelftestTable& table);

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
