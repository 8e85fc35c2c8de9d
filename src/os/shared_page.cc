#include "os/shared_page.h"

#include <sys/mman.h>

#include <utility>

namespace eofzero::os {

Result<SharedPage> SharedPage::Create(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return FailErrno("mmap a shared page of " + std::to_string(bytes) + " bytes");
  return SharedPage(p, bytes);
}

SharedPage::SharedPage(SharedPage&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SharedPage::~SharedPage() {
  if (data_) ::munmap(data_, size_);
}

}  // namespace eofzero::os
