// The points of a sweep: grid order, the Latin hypercube's strata (real and integer keys), and
// that the points depend on the seed and nothing else.
#include "sweep_design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace buurtlab {
namespace {

Vary list(std::string key, std::vector<std::string> values) {
  Vary v;
  v.key = std::move(key);
  v.values = std::move(values);
  return v;
}

Vary range(std::string key, double lo, double hi, bool integer = false) {
  Vary v;
  v.key = std::move(key);
  v.lo = lo;
  v.hi = hi;
  v.integer = integer;
  return v;
}

std::vector<std::vector<std::string>> all_points(const Design& d) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < d.size(); ++i) out.push_back(d.values(i));
  return out;
}

TEST(SweepDesign, GridRunsTheLastKeyFastest) {
  const Design d({list("a", {"1", "2"}), list("b", {"x", "y", "z"})});
  ASSERT_FALSE(d.latin_hypercube());
  using P = std::vector<std::string>;
  EXPECT_EQ(
      all_points(d),
      (std::vector<P>{{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}}));
}

TEST(SweepDesign, GridSizeIsLimited) {
  const std::vector<std::string> thousand(1000, "1");
  EXPECT_NO_THROW(Design({list("a", thousand), list("b", thousand)}));
  EXPECT_THROW(Design({list("a", thousand), list("b", thousand), list("c", {"1", "2"})}),
               InputError);
}

TEST(SweepDesign, LatinHypercubeHitsEveryStratumOnce) {
  const std::size_t n = 50;
  const Design d({range("a", -1, 3), range("b", 0, 0.001), range("c", 100, 1e6)}, n, 7);
  ASSERT_TRUE(d.latin_hypercube());
  ASSERT_EQ(d.size(), n);
  for (std::size_t k = 0; k < 3; ++k) {
    const Vary& v = d.vary()[k];
    std::vector<int> hits(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = std::stod(d.values(i)[k]);
      ASSERT_GE(x, v.lo);
      ASSERT_LE(x, v.hi);
      const auto s = std::min<std::size_t>(std::size_t((x - v.lo) / (v.hi - v.lo) * n), n - 1);
      ++hits[s];
    }
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), std::ptrdiff_t(n)) << v.key;
  }
}

TEST(SweepDesign, LatinHypercubeOfIntegersGivesEachNumberItsShare) {
  // 8 strata over [1, 5): each whole number 1..4 covers two strata exactly.
  const Design d({range("k", 1, 4, true)}, 8, 3);
  std::map<std::string, int> count;
  for (std::size_t i = 0; i < d.size(); ++i) ++count[d.values(i)[0]];
  EXPECT_EQ(count, (std::map<std::string, int>{{"1", 2}, {"2", 2}, {"3", 2}, {"4", 2}}));
}

TEST(SweepDesign, LatinHypercubeDependsOnTheSeedOnly) {
  const auto make = [](std::uint64_t seed) {
    return all_points(Design({range("a", 0, 1), range("b", 5, 10)}, 20, seed));
  };
  EXPECT_EQ(make(11), make(11));
  EXPECT_NE(make(11), make(12));
  // A key's values do not change when another key is added after it.
  const Design one({range("a", 0, 1)}, 20, 11), two({range("a", 0, 1), range("b", 5, 10)}, 20, 11);
  for (std::size_t i = 0; i < 20; ++i) EXPECT_EQ(one.values(i)[0], two.values(i)[0]) << i;
}

TEST(SweepDesign, ValuesReadBackExactly) {
  const Design d({range("a", 0, 1)}, 30, 5);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const std::string s = d.values(i)[0];
    EXPECT_EQ(text::exact(std::stod(s)), s);
  }
}

}  // namespace
}  // namespace buurtlab
