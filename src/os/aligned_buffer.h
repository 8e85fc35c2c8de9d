// AlignedBuffer owns a zero-filled heap buffer whose address is a multiple of
// `alignment` (a power of two), as O_DIRECT requires.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

namespace eofzero::os {

class AlignedBuffer {
 public:
  AlignedBuffer(std::size_t size, std::size_t alignment)
      : data_(static_cast<std::uint8_t*>(std::aligned_alloc(alignment, RoundUp(size, alignment)))),
        size_(size) {
    if (data_) std::memset(data_.get(), 0, size_);
  }
  bool ok() const { return data_ != nullptr; }
  std::uint8_t* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> view() const { return {data_.get(), size_}; }

 private:
  static std::size_t RoundUp(std::size_t n, std::size_t a) { return (n + a - 1) / a * a; }
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint8_t, Free> data_;
  std::size_t size_;
};

}  // namespace eofzero::os
