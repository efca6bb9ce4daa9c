// Bodies are streamed both ways through fixed buffers: a large upload and a large
// download pass with the process's memory staying flat.
//
// The whole test process (client, edge threads, origin) is measured: the peak
// resident set during the transfer (VmHWM after clear_refs) minus the resident set
// before it. GATEHOUSE_PROXY_UPLOAD_MIB overrides the upload size (default 1024).
#include "test_support.hpp"

#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

namespace gatehouse::edge::test {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kMemoryBound = 64 * kMiB;

std::uint64_t upload_bytes() {
  if (const char* v = std::getenv("GATEHOUSE_PROXY_UPLOAD_MIB")) return std::strtoull(v, nullptr, 10) * kMiB;
  return 1024 * kMiB;
}

// CPU seconds used by the whole process so far (user + system).
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class Streaming : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<EdgeServer>(gate, test_options());
    server->start();
    // Warm up: threads, pools, buffers and the allocator's arenas exist before measuring.
    ASSERT_EQ(get(server->port()).result_int(), 200);
  }
  void TearDown() override { server->stop(); }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
};

// Sends `total` bytes of the test pattern as the body; returns its hash.
std::uint64_t send_pattern(RawClient& c, std::uint64_t total, bool chunked) {
  StreamHash hash;
  for (std::uint64_t sent = 0; sent < total;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(256 * 1024, total - sent));
    const char* data = pattern_at(sent, n);
    if (chunked) {
      char line[32];
      const int len = std::snprintf(line, sizeof line, "%zx\r\n", n);
      boost::asio::write(c.socket(), boost::asio::buffer(line, static_cast<std::size_t>(len)));
    }
    boost::asio::write(c.socket(), boost::asio::buffer(data, n));
    if (chunked) boost::asio::write(c.socket(), boost::asio::buffer("\r\n", 2));
    hash.update(data, n);
    sent += n;
  }
  if (chunked) boost::asio::write(c.socket(), boost::asio::buffer("0\r\n\r\n", 5));
  return hash.value();
}

std::uint64_t pattern_hash(std::uint64_t total) {
  StreamHash hash;
  for (std::uint64_t at = 0; at < total;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, total - at));
    hash.update(pattern_at(at, n), n);
    at += n;
  }
  return hash.value();
}

TEST_F(Streaming, ALargeUploadPassesWithBoundedMemory) {
  const std::uint64_t total = upload_bytes();
  RawClient c(server->port());
  const auto baseline = current_rss();
  reset_peak_rss();
  const auto t0 = std::chrono::steady_clock::now();
  const auto cpu0 = cpu_seconds();
  c.send("PUT /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n");
  const auto sent_hash = send_pattern(c, total, false);
  const auto r = c.read_response();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto cpu = cpu_seconds() - cpu0;
  const auto peak = peak_rss();
  EXPECT_EQ(r.result_int(), 200);
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].body_bytes, total);
  EXPECT_EQ(seen[1].body_hash, sent_hash);
  const auto growth = peak > baseline ? peak - baseline : 0;
  std::printf("[ upload ] %llu MiB in %.2f s (%.0f MiB/s), process CPU %.2f s (client, edge and origin); "
              "RSS baseline %llu MiB, peak %llu MiB, growth %llu KiB\n",
              static_cast<unsigned long long>(total / kMiB), seconds, static_cast<double>(total / kMiB) / seconds, cpu,
              static_cast<unsigned long long>(baseline / kMiB), static_cast<unsigned long long>(peak / kMiB),
              static_cast<unsigned long long>(growth / 1024));
  RecordProperty("upload_mib", static_cast<int>(total / kMiB));
  RecordProperty("rss_growth_kib", static_cast<int>(growth / 1024));
  EXPECT_LT(growth, kMemoryBound);
}

TEST_F(Streaming, AChunkedUploadStreamsToo) {
  const std::uint64_t total = 64 * kMiB;
  RawClient c(server->port());
  const auto baseline = current_rss();
  reset_peak_rss();
  c.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n");
  const auto sent_hash = send_pattern(c, total, true);
  EXPECT_EQ(c.read_response().result_int(), 200);
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].chunked);
  EXPECT_EQ(seen[1].body_bytes, total);
  EXPECT_EQ(seen[1].body_hash, sent_hash);
  EXPECT_LT(peak_rss() - std::min(peak_rss(), baseline), kMemoryBound);
}

TEST_F(Streaming, ALargeDownloadPassesWithBoundedMemory) {
  const std::uint64_t total = 256 * kMiB;
  origin.set_handler([&](const ReceivedRequest&) {
    OriginReply r;
    r.stream_bytes = total;
    return r;
  });
  RawClient c(server->port());
  const auto baseline = current_rss();
  reset_peak_rss();
  const auto t0 = std::chrono::steady_clock::now();
  c.send("GET /download HTTP/1.1\r\nHost: app.test\r\n\r\n");
  const auto r = c.read_streamed_response();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto peak = peak_rss();
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.body_bytes, total);
  EXPECT_EQ(r.body_hash, pattern_hash(total));
  const auto growth = peak > baseline ? peak - baseline : 0;
  std::printf("[ download ] %llu MiB in %.2f s; RSS growth %llu KiB\n", static_cast<unsigned long long>(total / kMiB),
              seconds, static_cast<unsigned long long>(growth / 1024));
  EXPECT_LT(growth, kMemoryBound);
}

TEST_F(Streaming, AChunkedDownloadIsRechunked) {
  const std::uint64_t total = 32 * kMiB + 123;
  origin.set_handler([&](const ReceivedRequest&) {
    OriginReply r;
    r.stream_bytes = total;
    r.chunked = true;
    return r;
  });
  RawClient c(server->port());
  c.send("GET /download HTTP/1.1\r\nHost: app.test\r\n\r\n");
  const auto r = c.read_streamed_response();
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.body_bytes, total);
  EXPECT_EQ(r.body_hash, pattern_hash(total));
  // And the connection is still good.
  c.send("GET /download HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_streamed_response().body_bytes, total);
}

}  // namespace
}  // namespace gatehouse::edge::test
