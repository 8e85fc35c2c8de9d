// What `eofzero matrix` says while it runs and when it is done: a header, a
// progress line per configuration as its worker ends (on a terminal, a
// transient line names the configurations running), then the configuration
// × case table, what needs attention, and a closing line. The scheduler
// reports events; only the reporter writes.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "report/record.h"

namespace eofzero::report {

class MatrixReporter {
 public:
  virtual ~MatrixReporter() = default;
  virtual void Started(const std::string& /*kernel*/, std::size_t /*configurations*/,
                       unsigned /*parallel*/) {}
  // The configurations whose workers run now (whenever that changes).
  virtual void Running(const std::vector<std::string>& /*names*/) {}
  // The n-th configuration of `of` to end, with its merged record.
  virtual void ConfigDone(std::size_t /*n*/, std::size_t /*of*/, const ConfigRecord& /*config*/,
                          double /*seconds*/) {}
  // Every configuration has ended (or was stopped); `record` is the whole run.
  virtual void Finished(const RunRecord& /*record*/, std::size_t /*configurations*/,
                        unsigned /*parallel*/) {}
};

// "[3/10] ext4-bigalloc         27 cases    0.8s  24 pass, 2 xfail, 1 skip"
std::string MatrixProgressLine(std::size_t n, std::size_t of, const ConfigRecord& config,
                               double seconds);

// The text after the runs: the table, what needs attention (each red cell,
// with its evidence when there are only a few), and "matrix: N
// configurations in Xs with -j P" (and the interruption, if any).
// `command` names the run in the closing line ("kernels: ...").
std::string RenderMatrixSummary(const RunRecord& record, std::size_t configurations,
                                unsigned parallel, const std::string& command = "matrix");

// What the human report says per configuration and at the end: the
// matrix's own (MatrixProgressLine, RenderMatrixSummary) where empty, or the
// command's (`kernels --selftest`: the self-test's table).
struct MatrixRendering {
  std::function<std::string(std::size_t n, std::size_t of, const ConfigRecord& config,
                            double seconds)>
      progress;
  std::function<std::string(const RunRecord& record, std::size_t configurations,
                            unsigned parallel)>
      summary;
  std::string Progress(std::size_t n, std::size_t of, const ConfigRecord& config,
                       double seconds) const;
  std::string Summary(const RunRecord& record, std::size_t configurations, unsigned parallel,
                      const std::string& command) const;
};

// The human report on a stream; `interactive` (a terminal) adds the
// transient "running: ..." line, erased before each line that stays.
class MatrixTextReporter : public MatrixReporter {
 public:
  // `command` names the run in the first and last lines ("matrix", "kernels").
  MatrixTextReporter(std::ostream& out, bool interactive, std::string command = "matrix",
                     MatrixRendering rendering = {})
      : out_(out),
        interactive_(interactive),
        command_(std::move(command)),
        rendering_(std::move(rendering)) {}
  void Started(const std::string& kernel, std::size_t configurations, unsigned parallel) override;
  void Running(const std::vector<std::string>& names) override;
  void ConfigDone(std::size_t n, std::size_t of, const ConfigRecord& config,
                  double seconds) override;
  void Finished(const RunRecord& record, std::size_t configurations, unsigned parallel) override;

 private:
  std::ostream& out_;
  const bool interactive_;
  const std::string command_;
  const MatrixRendering rendering_;
};

}  // namespace eofzero::report
