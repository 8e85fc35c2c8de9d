// SharedPage: anonymous memory shared with the children forked after it is
// made (mmap MAP_SHARED | MAP_ANONYMOUS), e.g. a FUSE server that must know
// what its owner is doing. Unmapped by the destructor (in each process that
// still has it).
#pragma once

#include <cstddef>

#include "os/error.h"

namespace eofzero::os {

class SharedPage {
 public:
  static Result<SharedPage> Create(std::size_t bytes);
  SharedPage(SharedPage&& other) noexcept;
  SharedPage& operator=(SharedPage&&) = delete;
  ~SharedPage();

  void* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  SharedPage(void* data, std::size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace eofzero::os
