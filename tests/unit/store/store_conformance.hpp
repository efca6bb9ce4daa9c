#pragma once
// The behaviour every Store backend must have. A backend's test file provides a
// factory and instantiates the suite:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(StoreFactory{"sqlite", make}));
// (and the same for SeededStore)
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

namespace gatehouse::testing {

struct StoreFactory {
  std::string name;
  // Returns a fresh, empty, migrated store.
  std::function<std::unique_ptr<Store>()> make;
};

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().make(); }
  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
};

// With two accounts, "acct1" and "acct2", already created (one audit event each).
class SeededStore : public StoreConformance {
 protected:
  void SetUp() override;
};

}  // namespace gatehouse::testing
