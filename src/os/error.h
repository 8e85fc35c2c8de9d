// Errors as values. Every failing call below src/ returns an Error that carries
// what kind of failure it was, the errno (0 when none), and a context string
// naming the operation and its object ("FIEMAP /mnt/x/f: Operation not supported").
#pragma once

#include <cerrno>
#include <cstdint>
#include <expected>
#include <initializer_list>
#include <string>

namespace eofzero::os {

enum class ErrorKind {
  kSystem,              // a system call failed; errnum says why
  kUnsupported,         // the kernel or filesystem does not offer the operation
  kInvalid,             // the caller asked for something impossible (bad argument)
  kSafety,              // a safety rule refused the operation; nothing was touched
  kVerification,        // the tool could not verify its own action (e.g. a plant)
  kChild,               // a child process failed
  kInterrupted,         // SIGINT/SIGTERM arrived; the run is unwinding
  kNeedsJournalReplay,  // an offline reader refused: the on-disk journal is
                        // unreplayed (mount+unmount replays it); not a finding
};

struct Error {
  ErrorKind kind = ErrorKind::kSystem;
  int errnum = 0;
  std::string context;

  // "context: strerror(errnum)" or just the context when errnum is 0.
  std::string Message() const;
};

// Result<T> and Status are std::expected with [[nodiscard]] on the type (g++
// 12 does not put it on std::expected): a dropped result is a warning, so
// every one is handled or explicitly ignored with a reason.
template <class T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
  Result(std::expected<T, Error> e) : std::expected<T, Error>(std::move(e)) {}
};
class [[nodiscard]] Status : public std::expected<void, Error> {
 public:
  using std::expected<void, Error>::expected;
  Status(std::expected<void, Error> e) : std::expected<void, Error>(std::move(e)) {}
};

// An Error for a failed system call; the kind follows from errnum
// (EOPNOTSUPP/ENOTTY -> kUnsupported, EINTR -> kInterrupted, else kSystem).
Error ErrnoError(std::string context, int errnum = errno);
// The same for a call whose documentation gives more errnos for "not offered
// by this filesystem" (EXDEV from copy_file_range, EINVAL from an O_DIRECT
// open): those are kUnsupported too. Only os/ says which they are; nothing
// above it classifies an errno again.
Error ErrnoError(std::string context, int errnum, std::initializer_list<int> not_offered);

// "what [offset, +length)": the context of an error about a byte range.
inline std::string RangeContext(const std::string& what, std::uint64_t offset,
                                std::uint64_t length) {
  return what + " [" + std::to_string(offset) + ", +" + std::to_string(length) + ")";
}

inline std::unexpected<Error> Fail(ErrorKind kind, std::string context) {
  return std::unexpected(Error{kind, 0, std::move(context)});
}
inline std::unexpected<Error> FailErrno(std::string context, int errnum = errno) {
  return std::unexpected(ErrnoError(std::move(context), errnum));
}
inline std::unexpected<Error> FailErrno(std::string context, int errnum,
                                        std::initializer_list<int> not_offered) {
  return std::unexpected(ErrnoError(std::move(context), errnum, not_offered));
}

}  // namespace eofzero::os

// Early-return helpers for functions returning Result<T> or Status.
#define EOFZERO_CONCAT_INNER(a, b) a##b
#define EOFZERO_CONCAT(a, b) EOFZERO_CONCAT_INNER(a, b)
#define EOFZERO_RETURN_IF_ERROR(expr)                            \
  do {                                                           \
    if (auto eofzero_status = (expr); !eofzero_status)           \
      return std::unexpected(std::move(eofzero_status).error()); \
  } while (0)
#define EOFZERO_ASSIGN_OR_RETURN(lhs, expr)                                               \
  auto EOFZERO_CONCAT(eofzero_result_, __LINE__) = (expr);                                \
  if (!EOFZERO_CONCAT(eofzero_result_, __LINE__))                                         \
    return std::unexpected(std::move(EOFZERO_CONCAT(eofzero_result_, __LINE__)).error()); \
  lhs = std::move(*EOFZERO_CONCAT(eofzero_result_, __LINE__))
