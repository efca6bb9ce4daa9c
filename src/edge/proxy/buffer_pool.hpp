#pragma once
// Fixed-size I/O buffers for body pumps and tunnels, recycled within one edge thread
// so that streaming a body allocates nothing per request.
// Thread contract: one io_context thread; the pool outlives every lease.
#include <cstddef>
#include <memory>
#include <vector>

namespace gatehouse::edge {

class BufferPool {
 public:
  static constexpr std::size_t kBufferBytes = 32 * 1024;

  explicit BufferPool(std::size_t keep = 64) : keep_(keep) {}

  class Lease {
   public:
    Lease() = default;
    Lease(BufferPool* pool, std::unique_ptr<char[]> data) : pool_(pool), data_(std::move(data)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& other) noexcept {
      release();
      pool_ = other.pool_;
      data_ = std::move(other.data_);
      return *this;
    }
    ~Lease() { release(); }
    char* data() const { return data_.get(); }
    static constexpr std::size_t size() { return kBufferBytes; }
    explicit operator bool() const { return data_ != nullptr; }

   private:
    void release() {
      if (data_ && pool_) pool_->give_back(std::move(data_));
      data_.reset();
    }
    BufferPool* pool_ = nullptr;
    std::unique_ptr<char[]> data_;
  };

  Lease take() {
    if (free_.empty()) return Lease(this, std::make_unique_for_overwrite<char[]>(kBufferBytes));
    auto p = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(p));
  }

 private:
  void give_back(std::unique_ptr<char[]> p) {
    if (free_.size() < keep_) free_.push_back(std::move(p));
  }
  std::size_t keep_;
  std::vector<std::unique_ptr<char[]>> free_;
};

}  // namespace gatehouse::edge
