// The limits on scenario input (include/buurtlab/limits.hpp, docs/scenarios.md "Limits"): each is
// refused with its file, line, column, key and value, at the limit plus one, and accepted at the
// limit; the hostile files (alias bombs, cyclic aliases) are refused in milliseconds.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "buurtlab/limits.hpp"
#include "loader_fixture.hpp"

namespace buurtlab::testing {
namespace {

namespace fs = std::filesystem;

// A valid scenario of five lines before its places; tests add keys after it.
const std::string kHead =
    "model: loadermodel\n"   // 1
    "start: 2026-01-01\n"    // 2
    "duration: 2 years\n";   // 3
const std::string kPlaces =
    "places:\n"                                 // 4
    "  wijken:\n"                               // 5
    "    - {code: W1, buurten: [{code: B1, population: 10}]}\n";  // 6
const std::string kValid = kHead + kPlaces;

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

double seconds_to(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Nine levels of ten aliases each: 10^9 values once expanded, in 400 bytes.
std::string alias_bomb() {
  std::string s = kValid + "description: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  s += "parameters:\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string prev = "*l" + std::to_string(level - 1);
    s += "  k" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) s += (k ? ", " : "") + prev;
    s += "]\n";
  }
  return s;
}

TEST(ScenarioLimits, AliasBombIsRefusedInWellUnderASecond) {
  const std::string bomb = alias_bomb();
  ASSERT_LT(bomb.size(), 1000u);
  std::string msg;
  const double s = seconds_to([&] { msg = text_error(bomb); });
  // 0.5 s in an optimised build (it takes about 0.15 s); a Debug build with the sanitizers
  // (tools/sanitize.sh) is about 15 times slower. Either way far from the minute of expanding it.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  constexpr double kLimit = 0.5;
#else
  constexpr double kLimit = 10.0;
#endif
  EXPECT_LT(s, kLimit) << "an alias bomb must be refused at once, not expanded";
  EXPECT_TRUE(Contains(msg, "got more than 200000 values, expected at most 200000 values"));
  EXPECT_TRUE(Contains(msg, "counting a value reached through an alias each time it is reached"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:"));
  EXPECT_EQ(error_count(msg), 1u) << "the file is reported alone: nothing else is worth checking";
}

TEST(ScenarioLimits, AliasesWithinTheBudgetStillWork) {
  // Aliases are how a file shares attributes between buurten; ordinary use stays well inside.
  const Scenario sc = load_scenario_text(
      kHead +
          "places:\n  wijken:\n    - code: W1\n      attributes: &a {social_housing_share: 0.4}\n"
          "      buurten: [{code: B1, population: 10, attributes: *a},\n"
          "                {code: B2, population: 10, attributes: *a}]\n",
      "inline.yaml", loader_models());
  EXPECT_EQ(sc.places.size(), 4u);
}

TEST(ScenarioLimits, AnAliasInsideItsOwnValueIsRefusedNotFollowed) {
  const std::string msg = text_error(kValid + "parameters: &p {trust: *p}\n");
  EXPECT_EQ(msg, "inline.yaml:7:13: parameters.trust: got an alias inside the value it names, "
                 "expected a value that does not contain itself\n");
  EXPECT_TRUE(Contains(text_error(kHead + "places: &p [*p]\n"), "inline.yaml:4:9: places.0: got "
                                                               "an alias inside the value it names"));
}

std::string nested(int depth) {
  return "deep: " + repeat('[', std::size_t(depth)) + repeat(']', std::size_t(depth)) + "\n";
}

TEST(ScenarioLimits, NestingDeeperThanTheLimitIsRefused) {
  // The document's own map is level 1, so `deep` may hold kMaxNestingDepth - 1 levels.
  const std::string at_limit = text_error(kValid + nested(kMaxNestingDepth - 1));
  EXPECT_TRUE(Contains(at_limit, "inline.yaml:7:1: deep: unknown key ("));
  EXPECT_EQ(error_count(at_limit), 1u) << "no complaint about the nesting";
  const std::string msg = text_error(kValid + nested(kMaxNestingDepth));
  EXPECT_TRUE(Contains(msg, "inline.yaml:7:" + std::to_string(6 + kMaxNestingDepth) + ": deep.0."));
  EXPECT_TRUE(Contains(msg, ": got maps and lists nested 33 deep, expected at most 32 levels of "
                            "nesting\n"));
  EXPECT_EQ(error_count(msg), 1u);
}

TEST(ScenarioLimits, MoreValuesThanTheLimitAreRefusedEvenWithoutAliases) {
  std::string list = "timeline: [";
  for (std::size_t i = 0; i < kMaxNodes; ++i) list += i ? ",1" : "1";
  list += "]\n";
  const std::string msg = text_error(kValid + list);
  EXPECT_TRUE(Contains(msg, "inline.yaml:7:"));
  EXPECT_TRUE(Contains(msg, ": got more than 200000 values, expected at most 200000 values"));
  EXPECT_EQ(error_count(msg), 1u);
}

TEST(ScenarioLimits, LongTextsAndKeysAreRefused) {
  EXPECT_NO_THROW(load_scenario_text(kValid + "description: " + repeat('x', kMaxTextLength) + "\n",
                                     "inline.yaml", loader_models()));
  EXPECT_EQ(text_error(kValid + "description: " + repeat('x', kMaxTextLength + 1) + "\n"),
            "inline.yaml:7:14: description: got a text of 10001 characters, expected at most "
            "10000 characters\n");
  const std::string key = repeat('k', kMaxTextLength + 1);
  // yaml-cpp takes a plain key of at most 1,024 characters; longer ones need `? KEY`.
  const std::string msg = text_error(kValid + "parameters:\n  ? " + key + "\n  : 1\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:8:5: parameters." + key.substr(0, 20)));
  EXPECT_TRUE(Contains(msg, "got a text of 10001 characters, expected at most 10000 characters"));
  // From the command line too.
  EXPECT_EQ(text_error(kValid, {{"description", repeat('y', kMaxTextLength + 1)}}),
            "<command line>: description: got a value of 10001 characters, expected at most "
            "10000 characters\n");
}

TEST(ScenarioLimits, TextCopiedThroughAliasesCountsEveryCopy) {
  // 1,000 aliases of a 10,000-character text: 10 MB in a file of 17 KB.
  std::string s = kValid + "description: &t " + repeat('t', kMaxTextLength) + "\ntimeline: [";
  for (int i = 0; i < 1000; ++i) s += i ? ", *t" : "*t";
  s += "]\n";
  std::string msg;
  const double secs = seconds_to([&] { msg = text_error(s); });
  EXPECT_LT(secs, 0.5);
  EXPECT_TRUE(Contains(msg, "got more than 8388608 characters of text, expected at most 8388608 "
                            "characters in one file, counting a value reached through an alias"));
  EXPECT_EQ(error_count(msg), 1u);
}

class ScenarioFileLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("buurtlab_limits_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  fs::path dir_;
};

TEST_F(ScenarioFileLimits, FilesLargerThanTheLimitAreRefusedBeforeReading) {
  // Padding with a comment keeps the file valid YAML: only its size is wrong.
  const std::string pad = "#" + repeat('-', kMaxScenarioBytes - kValid.size() - 2) + "\n";
  ASSERT_EQ((kValid + pad).size(), kMaxScenarioBytes);
  const std::string ok = write("ok.yaml", kValid + pad);
  EXPECT_NO_THROW(load_scenario(ok, loader_models()));
  const std::string big = write("big.yaml", kValid + pad + "\n");
  EXPECT_EQ(input_error([&] { load_scenario(big, loader_models()); }),
            big + ": got a file of 1048577 bytes, expected a scenario file of at most 1048576 "
                  "bytes (1 MiB)\n");
  // As a base: reported at the extends line that names it.
  const std::string child = write("child.yaml", "name: child\nextends: big.yaml\n");
  EXPECT_EQ(input_error([&] { load_scenario(child, loader_models()); }),
            child + ":2:10: extends: got big.yaml, expected a scenario file of at most 1048576 "
                    "bytes (1 MiB) (" + (dir_ / "big.yaml").string() + " has 1048577 bytes)\n");
  // Text given in memory (the Python module, the lab).
  EXPECT_EQ(text_error(kValid + pad + "\n"),
            "inline.yaml: got a text of 1048577 bytes, expected a scenario file of at most "
            "1048576 bytes (1 MiB)\n");
}

TEST_F(ScenarioFileLimits, ExtendsChainsLongerThanTheLimitAreRefused) {
  // f1 extends f2 extends ... f16, which holds the scenario: 16 files, the limit.
  const std::size_t n = kMaxExtendsChain;
  write("f" + std::to_string(n) + ".yaml", kValid);
  for (std::size_t i = 1; i < n; ++i)
    write("f" + std::to_string(i) + ".yaml", "extends: f" + std::to_string(i + 1) + ".yaml\n");
  EXPECT_NO_THROW(load_scenario((dir_ / "f1.yaml").string(), loader_models()));
  // One more in front: 17 files.
  const std::string f0 = write("f0.yaml", "extends: f1.yaml\n");
  const std::string msg = input_error([&] { load_scenario(f0, loader_models()); });
  EXPECT_TRUE(Contains(msg, (dir_ / "f16.yaml").string() + ":1:10: extends: got f17.yaml") ||
              Contains(msg, (dir_ / "f15.yaml").string() + ":1:10: extends: got f16.yaml"));
  EXPECT_TRUE(Contains(msg, "expected a chain of at most 16 files (this base would be file 17, "
                            "after " + f0 + " -> ... -> "));
  EXPECT_EQ(error_count(msg), 1u);
}

TEST(ScenarioLimits, PlacesBeyondTheLimitAreRefusedBeforeTheyAreMade) {
  // City + wijk + 99,998 buurten: exactly the limit.
  const Scenario sc = load_scenario_text(
      kHead + "places:\n  wijken:\n    - {code: W1, buurten: {count: 99998, population: 10}}\n",
      "inline.yaml", loader_models());
  EXPECT_EQ(sc.places.size(), kMaxPlaces);
  EXPECT_EQ(text_error(kHead + "places:\n  wijken:\n"
                               "    - {code: W1, buurten: {count: 99999, population: 10}}\n"),
            "inline.yaml:6:35: places.wijken.0.buurten.count: got 99999, expected at most 100000 "
            "places in a scenario, city, wijken and buurten together (2 before this)\n");
  // Many wijken that each generate the most buurten allowed: refused once, at the first, in
  // milliseconds rather than after making billions of places.
  std::string many = kHead + "places:\n  wijken:\n";
  for (int w = 0; w < 1000; ++w)
    many += "    - {code: W" + std::to_string(w) + ", buurten: {count: 100000, population: 1}}\n";
  std::string msg;
  const double secs = seconds_to([&] { msg = text_error(many); });
  EXPECT_LT(secs, 0.5);
  EXPECT_EQ(msg, "inline.yaml:6:35: places.wijken.0.buurten.count: got 100000, expected at most "
                 "100000 places in a scenario, city, wijken and buurten together (2 before "
                 "this)\n");
}

TEST(ScenarioLimits, ResidentsBeyondTheLimitAreRefused) {
  const std::string two_buurten =
      kHead + "places:\n  wijken:\n    - code: W1\n      buurten:\n"
              "        - {code: B1, population: 60000000}\n"   // 8
              "        - {code: B2, population: 40000000}\n";  // 9
  const Scenario sc = load_scenario_text(two_buurten, "inline.yaml", loader_models());
  EXPECT_EQ(sc.places[0].population, kMaxResidents);
  EXPECT_EQ(text_error(two_buurten + "    - {code: W2, buurten: {count: 2, population: 1}}\n"),
            "inline.yaml:10:50: places.wijken.1.buurten.population: got 1, expected at most "
            "100000000 residents in the whole city (100000000 before this)\n");
}

TEST(ScenarioLimits, DurationAndSpinUpBeyondAThousandYearsAreRefused) {
  const std::string places = kPlaces;
  EXPECT_NO_THROW(load_scenario_text(
      "model: loadermodel\nstart: 2026-01-01\nduration: 1000 years\nspin_up: 1000 years\n" +
          places + "tick: 1 year\n",
      "inline.yaml", loader_models()));
  const std::string msg = text_error(
      "model: loadermodel\nstart: 2026-01-01\nduration: 1001 years\nspin_up: 52200 weeks\n" +
      places);
  EXPECT_EQ(msg, "inline.yaml:3:11: duration: got 1001 years, expected a period of at most 1000 "
                 "years\n"
                 "inline.yaml:4:10: spin_up: got 52200 weeks, expected a period of at most 1000 "
                 "years, or 0 for none\n");
}

TEST(ScenarioLimits, ReplicatesBeyondTheLimitAreRefused) {
  EXPECT_EQ(load_scenario_text(kValid + "replicates: 100000\n", "inline.yaml", loader_models())
                .replicates,
            kMaxReplicates);
  EXPECT_EQ(text_error(kValid + "replicates: 100001\n"),
            "inline.yaml:7:13: replicates: got 100001, expected an integer in [1, 100000]\n");
  EXPECT_EQ(text_error(kValid + "replicates: 4294967295\n"),
            "inline.yaml:7:13: replicates: got 4294967295, expected an integer in [1, 100000]\n");
}

TEST(ScenarioLimits, TimelineOccurrencesBeyondTheLimitAreRefused) {
  // Daily events over 1,000 years: 365,242 occurrences each (every day from 2026-01-01 to
  // 3025-12-31); two fit, the third passes a million.
  const std::string head =
      "model: loadermodel\nstart: 2026-01-01\nduration: 1000 years\ntick: 1 year\n" + kPlaces +
      "timeline:\n";
  const std::string daily = "  - {at: 2026-01-01, every: 1 day, call: close_library}\n";
  EXPECT_NO_THROW(load_scenario_text(head + daily + daily, "inline.yaml", loader_models()));
  const std::string msg = text_error(head + daily + daily + daily);
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:29: timeline.2.every: got 1 day, expected at most "
                            "1000000 occurrences of timeline events over the run (this event adds "
                            "up to 365242, the events before it 730484)\n"));
  EXPECT_EQ(error_count(msg), 1u);
}

}  // namespace
}  // namespace buurtlab::testing
