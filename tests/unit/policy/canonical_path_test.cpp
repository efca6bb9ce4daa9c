// The edge's one path rule (policy/canonical_path.hpp): what is refused, what is
// rewritten, and that the canonical form is a fixed point.
#include "policy/canonical_path.hpp"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

struct Refused {
  const char* target;
  PathProblem problem;
};

class RefusedTarget : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusedTarget, IsAmbiguous) {
  const auto c = canonicalize_target(GetParam().target);
  EXPECT_EQ(c.problem, GetParam().problem) << GetParam().target << " -> " << path_problem_name(c.problem);
  EXPECT_TRUE(c.path.empty());
  EXPECT_FALSE(path_problem_message(c.problem).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Classes, RefusedTarget,
    ::testing::Values(Refused{"admin", PathProblem::not_origin_form}, Refused{"", PathProblem::not_origin_form},
                      Refused{"/admin/..%2fsecret", PathProblem::encoded_separator},
                      Refused{"/admin%2f..%2fpublic", PathProblem::encoded_separator},
                      Refused{"/admin%5Csecret", PathProblem::encoded_separator},
                      Refused{"/admin%3Bx", PathProblem::encoded_separator},
                      Refused{"/admin%23x", PathProblem::encoded_separator},
                      Refused{"/admin%3fx", PathProblem::encoded_separator},
                      Refused{"/admin/%2e%2e/secret", PathProblem::encoded_dot_segment},
                      Refused{"/admin/.%2e/p", PathProblem::encoded_dot_segment},
                      Refused{"/admin/%2E/p", PathProblem::encoded_dot_segment},
                      Refused{"/admin/..\\secret", PathProblem::backslash},
                      Refused{"/admin;x/secret", PathProblem::semicolon}, Refused{"/;/admin", PathProblem::semicolon},
                      Refused{"/x/..;/admin", PathProblem::semicolon}, Refused{"/admin#x", PathProblem::fragment},
                      Refused{"/p?q#x", PathProblem::fragment}, Refused{"/admin.", PathProblem::trailing_dot_or_space},
                      Refused{"/admin./x", PathProblem::trailing_dot_or_space},
                      Refused{"/admin%20", PathProblem::trailing_dot_or_space},
                      Refused{"/.../x", PathProblem::trailing_dot_or_space},
                      Refused{"/admin%00", PathProblem::encoded_control},
                      Refused{"/admin%0a", PathProblem::encoded_control},
                      Refused{"/admin%7f", PathProblem::encoded_control},
                      Refused{"/admin\x01", PathProblem::control_byte}, Refused{"/ad min", PathProblem::control_byte},
                      Refused{"/p?a b", PathProblem::control_byte}, Refused{"/adm\xC3\xA9", PathProblem::non_ascii},
                      Refused{"/%C0%AFadmin", PathProblem::invalid_utf8},
                      Refused{"/%E0%80%AF", PathProblem::invalid_utf8}, Refused{"/%ED%A0%80", PathProblem::invalid_utf8},
                      Refused{"/%F4%90%80%80", PathProblem::invalid_utf8}, Refused{"/%C3", PathProblem::invalid_utf8},
                      Refused{"/%80", PathProblem::invalid_utf8}, Refused{"/%C3/%A9", PathProblem::invalid_utf8},
                      Refused{"/adm%C4%B1n", PathProblem::ascii_confusable},
                      Refused{"/%EF%BD%81dmin", PathProblem::ascii_confusable},
                      Refused{"/%E2%84%AA", PathProblem::ascii_confusable},
                      Refused{"/admin%252f", PathProblem::double_encoding},
                      Refused{"/%2561dmin", PathProblem::double_encoding},
                      // Found by the canonical_path fuzz target: the digits escaped too.
                      Refused{"/F%25F%456", PathProblem::double_encoding},
                      Refused{"/%25%36%31", PathProblem::double_encoding}, Refused{"/a%", PathProblem::bad_escape},
                      Refused{"/a%4", PathProblem::bad_escape}, Refused{"/a%zz", PathProblem::bad_escape}));

struct Rewrite {
  const char* target;
  const char* canonical;  // path + query
  bool rewritten;
};

class CanonicalForm : public ::testing::TestWithParam<Rewrite> {};

TEST_P(CanonicalForm, IsTheOneSpelling) {
  const auto c = canonicalize_target(GetParam().target);
  ASSERT_TRUE(c.ok()) << GetParam().target << ": " << path_problem_name(c.problem);
  EXPECT_EQ(c.target(), GetParam().canonical);
  EXPECT_EQ(c.rewritten, GetParam().rewritten) << GetParam().target;
  // A fixed point: the canonical form canonicalises to itself, not rewritten.
  const auto again = canonicalize_target(c.target());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.target(), c.target());
  EXPECT_FALSE(again.rewritten);
}

INSTANTIATE_TEST_SUITE_P(
    Equivalences, CanonicalForm,
    ::testing::Values(Rewrite{"/", "/", false}, Rewrite{"/admin", "/admin", false},
                      Rewrite{"/admin/", "/admin/", false}, Rewrite{"/a/b?x=1&y=%2F", "/a/b?x=1&y=%2F", false},
                      Rewrite{"/%61dmin", "/admin", true}, Rewrite{"/adm%69n/x", "/admin/x", true},
                      Rewrite{"/a%40b", "/a@b", true}, Rewrite{"/a%7e", "/a~", true},
                      Rewrite{"/caf%c3%a9", "/caf%C3%A9", false}, Rewrite{"/caf%C3%A9", "/caf%C3%A9", false},
                      Rewrite{"/a%22b", "/a%22b", false}, Rewrite{"/a|b", "/a|b", false},
                      Rewrite{"/a%25b", "/a%25b", false}, Rewrite{"//admin", "/admin", true},
                      Rewrite{"/public/../admin", "/admin", true}, Rewrite{"/admin/..", "/", true},
                      Rewrite{"/admin/.", "/admin/", true}, Rewrite{"/./admin", "/admin", true},
                      Rewrite{"/../../admin", "/admin", true}, Rewrite{"/a/b/../../c/", "/c/", true},
                      Rewrite{"/a//b///c", "/a/b/c", true}, Rewrite{"/file.json", "/file.json", false},
                      Rewrite{"/file%2ejson", "/file.json", true}, Rewrite{"/.well-known/x", "/.well-known/x", false},
                      Rewrite{"/a..b", "/a..b", false}, Rewrite{"/%F0%9F%98%80", "/%F0%9F%98%80", false}));

TEST(PathPrefix, MatchesOnSegmentBoundaries) {
  EXPECT_TRUE(path_has_prefix("/admin", "/admin", true));
  EXPECT_TRUE(path_has_prefix("/admin/", "/admin", true));
  EXPECT_TRUE(path_has_prefix("/admin/x", "/admin", true));
  EXPECT_FALSE(path_has_prefix("/adminx", "/admin", true));
  EXPECT_FALSE(path_has_prefix("/admi", "/admin", true));
  EXPECT_TRUE(path_has_prefix("/anything", "", true));
}

TEST(PathPrefix, IgnoresAsciiCaseUnlessAsked) {
  EXPECT_TRUE(path_has_prefix("/ADMIN/secret", "/admin", false));
  EXPECT_TRUE(path_has_prefix("/Admin", "/aDMIN", false));
  EXPECT_FALSE(path_has_prefix("/ADMIN/secret", "/admin", true));
  EXPECT_FALSE(path_has_prefix("/ADMINX", "/admin", false));
}

TEST(CanonicalTarget, RefusesOverlongTargets) {
  EXPECT_EQ(canonicalize_target("/" + std::string(kMaxTargetBytes, 'a')).problem, PathProblem::too_long);
  EXPECT_TRUE(canonicalize_target("/" + std::string(kMaxTargetBytes - 1, 'a')).ok());
}

}  // namespace
}  // namespace gatehouse
