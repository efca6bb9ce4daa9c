// Inactivity cleanup (compat.md §1.4): tokens unused for longer than the organization's
// threshold are disabled or deleted, through the service layer, audited as the system.
#include "audit/access_log.hpp"
#include "audit/token_inactivity.hpp"
#include "audit_fixture.hpp"

namespace gatehouse::audit::testing {
namespace {

class InactivityTest : public AuditFixture {
 protected:
  void enable(int days, std::string action) {
    OrganizationInput in;
    in.service_token_inactivity = InactivityInput{true, days, std::move(action)};
    ASSERT_TRUE(update_organization(*services, admin, account, in));
  }
  std::optional<ServiceToken> find(const ServiceToken& t) { return *store->find_service_token(account, t.id); }
  void use(const ServiceToken& t, Time at) {
    AccessLog log(*log_store, *store, clock);
    log.seen(t.id, 1, at);
    log.flush();
  }
};

TEST_F(InactivityTest, DisabledSettingDoesNothing) {
  const ServiceToken t = create_token("idle");
  clock.advance(hours(24 * 400));
  auto done = apply_token_inactivity(*services);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->empty());
  EXPECT_TRUE(find(t)->enabled);
}

TEST_F(InactivityTest, DisablesTokensUnusedForLongerThanTheThreshold) {
  enable(30, "disable");
  const ServiceToken never_used = create_token("never-used");
  const ServiceToken used_long_ago = create_token("used-long-ago");
  const ServiceToken used_recently = create_token("used-recently");
  use(used_long_ago, kT0 + hours(24));
  use(used_recently, kT0 + hours(24 * 20));
  int rebuilds = 0;
  services->changed = [&] { ++rebuilds; };

  clock.set(kT0 + hours(24 * 30));
  EXPECT_TRUE(apply_token_inactivity(*services)->empty()) << "exactly the threshold is not older than it";

  clock.set(kT0 + hours(24 * 31) + seconds(1));
  auto done = apply_token_inactivity(*services);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->size(), 2u);
  EXPECT_FALSE(find(never_used)->enabled);
  EXPECT_FALSE(find(used_long_ago)->enabled);
  EXPECT_TRUE(find(used_recently)->enabled);
  EXPECT_EQ(rebuilds, 2) << "each change reaches the edge";
  for (const auto& o : *done) {
    EXPECT_FALSE(o.error);
    EXPECT_EQ(o.action, "disable");
  }

  // Audited as the system, with the reason.
  auto events = audit_events("service_token.disable");
  ASSERT_EQ(events.total_count, 2);
  for (const auto& e : events.items) {
    EXPECT_EQ(e.actor.type, "system");
    EXPECT_EQ(e.actor.id, "service_token_inactivity");
    EXPECT_NE(e.actor.name.find("more than 30 days ago"), std::string::npos) << e.actor.name;
    EXPECT_EQ(e.interface, "system");
  }
  const auto& never = events.items[0].resource_name == "never-used" ? events.items[0] : events.items[1];
  EXPECT_NE(never.actor.name.find("never used"), std::string::npos) << never.actor.name;

  // Already disabled: nothing more to do, no new events.
  EXPECT_TRUE(apply_token_inactivity(*services)->empty());
}

TEST_F(InactivityTest, DeleteActionDeletesThem) {
  enable(90, "delete");
  const ServiceToken idle = create_token("idle");
  const ServiceToken busy = create_token("busy");
  use(busy, kT0 + hours(24 * 80));
  clock.set(kT0 + hours(24 * 91));
  auto done = apply_token_inactivity(*services);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].token_name, "idle");
  EXPECT_FALSE(find(idle));
  EXPECT_TRUE(find(busy));
  auto events = audit_events("service_token.delete");
  ASSERT_EQ(events.total_count, 1);
  EXPECT_EQ(events.items[0].actor.type, "system");
}

TEST_F(InactivityTest, DisabledTokensAreStillDeletedByTheDeleteAction) {
  enable(30, "delete");
  const ServiceToken t = create_token("off");
  ServiceTokenChanges off;
  off.enabled = false;
  ASSERT_TRUE(update_service_token(*services, admin, account, t.id, off));
  clock.set(kT0 + hours(24 * 31));
  ASSERT_EQ(apply_token_inactivity(*services)->size(), 1u);
  EXPECT_FALSE(find(t));
}

}  // namespace
}  // namespace gatehouse::audit::testing
