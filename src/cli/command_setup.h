// What the subcommands share before their own work: logging, root and the
// signal handlers, the case catalog, the matrix file, the cases a run
// selects. A step that fails says how the command stops (a Stop): the
// command prints it with ExitWith and returns its status.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/options.h"
#include "engine/case_spec.h"

namespace eofzero::cli {

struct Stop {
  int status;           // suite::kExitUsage, kExitToolError, ...
  std::string message;  // one line, without "eofzero: "
};

// Prints "eofzero: MESSAGE" on stderr; returns the status.
int ExitWith(const Stop& stop);

// spdlog on stderr at the level -v/-q set; with EOFZERO_TEST_HOLD (test-only,
// os/test_hold.h) also the hold, which sees every level. A malformed
// EOFZERO_TEST_HOLD is a Stop (exit 2).
std::expected<void, Stop> SetUpLogging(int verbosity);

// What every command that builds filesystems needs first: logging, root
// (else a Stop whose message is `why`), and signal handlers that unwind.
// Then (unless `reclaim` is false: `cleanup` does it itself) what killed
// runs left behind is released, and said on stderr.
std::expected<void, Stop> StartPrivileged(int verbosity, const std::string& why,
                                          bool reclaim = true);

// The shipped catalog ($EOFZERO_CASES_DIR or this binary's: missing, exit
// 3) and the cases in it and in --cases-dir (a bad file: exit 2).
struct Catalog {
  std::filesystem::path dir;
  std::vector<engine::CaseSpec> cases;
};
std::expected<Catalog, Stop> LoadCatalog(const suite::RunOptions& options);

// The matrix file: --config, else this binary's shipped one (missing: exit 3).
std::expected<std::filesystem::path, Stop> MatrixFile(const suite::MatrixOptions& matrix);

// The self-test's probe case (--probe-case; empty: the default), which must
// be one case of the catalog: exit 2 with one line otherwise.
std::expected<std::string, Stop> ProbeCaseName(const Catalog& catalog, const std::string& given);

// For run and selftest: the cases `globs` select (exit 2 when one matches
// nothing), checked (exit 2), then StartPrivileged, the user's scratch device
// checked (exit 2, before it is touched) and, for a matrix's worker, its
// tie to the matrix (os::BecomeWorker).
std::expected<std::vector<const engine::CaseSpec*>, Stop> PrepareSuite(
    const suite::RunOptions& options, const Catalog& catalog, const std::vector<std::string>& globs,
    const std::string& command);

}  // namespace eofzero::cli
