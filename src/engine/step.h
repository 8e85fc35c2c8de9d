// A step of a case, and the registry that defines every step the language
// has (engine/steps.cc): its name, flags and arguments, its help and an
// example, what it asks of the filesystem (checked before anything is
// built), and its handler. The parser, the preflight, the interpreter, the
// step table in docs/cases.md (checked by a test), the man page and the
// examples test all read the registry: adding a step is one entry there.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/expr.h"
#include "os/error.h"

namespace eofzero::engine {

class Interpreter;
struct StepDef;

// The open(2) flags a step's writes go through: set by the `open` step for
// later steps, or for one pwrite by language 1's `-D` (O_DIRECT) and `-a`.
enum OpenFlag : int { kOpenAppend = 1, kOpenDirect = 2, kOpenSync = 4, kOpenDsync = 8 };

struct Step {
  int line = 0;
  const StepDef* def = nullptr;
  std::string text;  // the step as written, for errors and evidence
  // Flags given; the value for flags that take one ("-S 0x42").
  std::map<char, std::optional<Expr>> flags;
  std::vector<Expr> numbers;       // numeric arguments, in order
  std::vector<std::string> words;  // word arguments (file names), in order
  int open_flags = 0;              // OpenFlag bits for this step alone (language 1)

  bool Has(char flag) const { return flags.contains(flag); }
};

// What the sequence rules need to know of a step (ValidateSequence).
enum class StepRole { kAction, kPlant, kCheckGap, kExpectSize, kShutdown, kCycleMount };

// What one step asks of the filesystem, from its evaluated numbers and flag
// values (engine/case_check.h judges it against the filesystem and image).
struct StepDemand {
  // (what, where it ends): each must fit in the largest file.
  std::vector<std::pair<std::string, std::uint64_t>> ends;
  std::uint64_t allocates = 0;  // bytes it may allocate
  std::uint64_t reads = 0;      // bytes it reads through the page cache
  std::string invalid;          // non-empty: the values are wrong, and why
};
using StepNumbers = std::vector<std::uint64_t>;
using StepFlagValues = std::map<char, std::uint64_t>;

struct StepDef {
  const char* name;         // "pwrite", "check gap"
  const char* flags;        // getopt style: "S:Da" (':' = the flag takes a number)
  const char* positionals;  // 'n' a number or {expression}, 'w' a word (a file name)
  const char* usage;        // "pwrite [-S pat] [-D] off len"
  const char* help;         // what it does, for docs/cases.md's step table and the man page
  const char* example;      // a valid line, tested
  bool xfs_io;              // an xfs_io command, meaning what xfs_io means; else eofzero's own
  StepRole role;
  os::Status (*run)(Interpreter& in, const Step& step);
  StepDemand (*demand)(const StepNumbers& n, const StepFlagValues& flag);  // nullptr: none
  // The flags that are eofzero's own on an xfs_io command (xfs_io has none
  // such): docs/cases.md's step table names them as eofzero's own.
  const char* own_flags = "";
};

// Every step, in the order docs/cases.md and the man page list them.
std::span<const StepDef> StepDefs();
// The step called `name`, or nullptr.
const StepDef* FindStep(std::string_view name);

}  // namespace eofzero::engine
