#include "os/error.h"

#include <cstring>

namespace eofzero::os {

std::string Error::Message() const {
  if (errnum == 0) return context;
  return context + ": " + std::strerror(errnum);
}

Error ErrnoError(std::string context, int errnum) {
  ErrorKind kind = ErrorKind::kSystem;
  if (errnum == EOPNOTSUPP || errnum == ENOTTY) kind = ErrorKind::kUnsupported;
  if (errnum == EINTR) kind = ErrorKind::kInterrupted;
  return Error{kind, errnum, std::move(context)};
}

Error ErrnoError(std::string context, int errnum, std::initializer_list<int> not_offered) {
  Error e = ErrnoError(std::move(context), errnum);
  for (int n : not_offered)
    if (n == errnum) e.kind = ErrorKind::kUnsupported;
  return e;
}

}  // namespace eofzero::os
