// Tests of parameter declarations (params.hpp): binding to a model's struct, parsing and range
// checks with the expectation text users see, schema consistency checks, and suggestions.
#include "buurtlab/params.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace buurtlab {
namespace {

struct Knobs {
  double rate = -1;
  int count = -1;
  bool enabled = false;
  int mode = -1;
};

ParamTable<Knobs> knob_table() {
  ParamTable<Knobs> t;
  t.real("social.rate", &Knobs::rate, "per year", 0.25, 0, 1, "a rate", "assumption")
      .integer("social.count", &Knobs::count, "1", 3, 1, 10, "a count", "assumption")
      .boolean("social.enabled", &Knobs::enabled, true, "a switch", "assumption")
      .choice("social.mode", &Knobs::mode, {"alpha", "beta", "gamma"}, 1, "a mode", "assumption");
  return t;
}

std::string error_of(const std::variant<double, std::string>& r) {
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "(accepted)";
}
double value_of(const std::variant<double, std::string>& r) {
  EXPECT_TRUE(std::holds_alternative<double>(r)) << std::get<std::string>(r);
  return std::holds_alternative<double>(r) ? std::get<double>(r) : std::nan("");
}

TEST(ParamsTest, TableDeclaresTheSchema) {
  const auto t = knob_table();
  const ParamSchema& s = t.schema();
  ASSERT_EQ(s.decls().size(), 4u);
  EXPECT_FALSE(s.empty());
  const ParamDecl* rate = s.find("social.rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->type, ParamType::real);
  EXPECT_EQ(rate->unit, "per year");
  EXPECT_EQ(rate->default_value, 0.25);
  EXPECT_EQ(rate->doc, "a rate");
  EXPECT_EQ(rate->source, "assumption");
  EXPECT_EQ(s.find("social.mode")->max, 2.0);
  EXPECT_EQ(s.index_of("social.enabled"), 2u);
  EXPECT_EQ(s.find("social.nothing"), nullptr);
  EXPECT_FALSE(s.index_of("social.nothing").has_value());
}

TEST(ParamsTest, BindDefaults) {
  const auto t = knob_table();
  const ParamValues v(t.schema());
  const Knobs k = t.bind(v);
  EXPECT_EQ(k.rate, 0.25);
  EXPECT_EQ(k.count, 3);
  EXPECT_TRUE(k.enabled);
  EXPECT_EQ(k.mode, 1);
}

TEST(ParamsTest, BindSetValuesOfEveryType) {
  const auto t = knob_table();
  ParamValues v(t.schema());
  v.set("social.rate", 0.75);
  v.set("social.count", 9);
  v.set("social.enabled", 0);
  v.set("social.mode", 2);
  const Knobs k = t.bind(v);
  EXPECT_EQ(k.rate, 0.75);
  EXPECT_EQ(k.count, 9);
  EXPECT_FALSE(k.enabled);
  EXPECT_EQ(k.mode, 2);
  EXPECT_EQ(v.get("social.count"), 9.0);
  EXPECT_EQ(v.at(0), 0.75);
  EXPECT_EQ(v.size(), 4u);
  v.set_at(1, 4);
  EXPECT_EQ(t.bind(v).count, 4);
}

TEST(ParamsTest, UnknownNamesThrow) {
  const auto t = knob_table();
  ParamValues v(t.schema());
  EXPECT_THROW(v.get("social.rat"), std::out_of_range);
  EXPECT_THROW(v.set("social.rat", 1), std::out_of_range);
  const ParamValues empty;
  EXPECT_THROW(empty.get("x"), std::out_of_range);
  EXPECT_TRUE(empty.changed().empty());
}

TEST(ParamsTest, ParseReal) {
  const auto t = knob_table();  // owns the declaration
  const ParamDecl& d = *t.schema().find("social.rate");
  EXPECT_EQ(value_of(d.parse("0.5")), 0.5);
  EXPECT_EQ(value_of(d.parse("0")), 0.0);
  EXPECT_EQ(value_of(d.parse("1")), 1.0);
  EXPECT_EQ(value_of(d.parse("1e-3")), 1e-3);
  for (const char* bad : {"1.5", "-0.1", "abc", "", "0.5x", "nan", "inf", "0,5", " 0.5"})
    EXPECT_EQ(error_of(d.parse(bad)), "a number in [0, 1]") << "'" << bad << "'";
}

TEST(ParamsTest, ParseInteger) {
  const auto t = knob_table();  // owns the declaration
  const ParamDecl& d = *t.schema().find("social.count");
  EXPECT_EQ(value_of(d.parse("3")), 3.0);
  EXPECT_EQ(value_of(d.parse("10")), 10.0);
  for (const char* bad : {"3.5", "0", "11", "-2", "three", "", "1e1", "99999999999999999999"})
    EXPECT_EQ(error_of(d.parse(bad)), "an integer in [1, 10]") << "'" << bad << "'";
}

TEST(ParamsTest, ParseBoolean) {
  const auto t = knob_table();  // owns the declaration
  const ParamDecl& d = *t.schema().find("social.enabled");
  EXPECT_EQ(value_of(d.parse("true")), 1.0);
  EXPECT_EQ(value_of(d.parse("false")), 0.0);
  for (const char* bad : {"yes", "1", "True", ""})
    EXPECT_EQ(error_of(d.parse(bad)), "true or false") << "'" << bad << "'";
}

TEST(ParamsTest, ParseChoice) {
  const auto t = knob_table();  // owns the declaration
  const ParamDecl& d = *t.schema().find("social.mode");
  EXPECT_EQ(value_of(d.parse("alpha")), 0.0);
  EXPECT_EQ(value_of(d.parse("gamma")), 2.0);
  for (const char* bad : {"delta", "1", "Alpha", ""})
    EXPECT_EQ(error_of(d.parse(bad)), "one of: alpha, beta, gamma") << "'" << bad << "'";
}

TEST(ParamsTest, CheckRanges) {
  const ParamSchema s = knob_table().schema();
  const ParamDecl& rate = *s.find("social.rate");
  EXPECT_FALSE(rate.check(0.0));
  EXPECT_FALSE(rate.check(1.0));
  EXPECT_EQ(rate.check(1.01).value_or(""), "a number in [0, 1]");
  EXPECT_EQ(rate.check(std::nan("")).value_or(""), "a number in [0, 1]");
  const ParamDecl& count = *s.find("social.count");
  EXPECT_FALSE(count.check(5));
  EXPECT_EQ(count.check(0).value_or(""), "an integer in [1, 10]");
  EXPECT_EQ(count.check(2.5).value_or(""), "an integer in [1, 10]") << "not a whole number";
  const ParamDecl& enabled = *s.find("social.enabled");
  EXPECT_FALSE(enabled.check(0));
  EXPECT_FALSE(enabled.check(1));
  EXPECT_EQ(enabled.check(0.5).value_or(""), "true or false");
  const ParamDecl& mode = *s.find("social.mode");
  EXPECT_FALSE(mode.check(2));
  EXPECT_EQ(mode.check(3).value_or(""), "one of: alpha, beta, gamma");
  EXPECT_EQ(mode.check(-1).value_or(""), "one of: alpha, beta, gamma");
  EXPECT_EQ(mode.check(0.5).value_or(""), "one of: alpha, beta, gamma");
}

TEST(ParamsTest, TextForms) {
  const ParamSchema s = knob_table().schema();
  EXPECT_EQ(s.find("social.rate")->type_name(), "number");
  EXPECT_EQ(s.find("social.count")->type_name(), "integer");
  EXPECT_EQ(s.find("social.enabled")->type_name(), "boolean");
  EXPECT_EQ(s.find("social.mode")->type_name(), "choice");
  EXPECT_EQ(s.find("social.count")->range_text(), "[1, 10]");
  EXPECT_EQ(s.find("social.rate")->value_text(0.1), "0.1");
  EXPECT_EQ(s.find("social.enabled")->value_text(1), "true");
  EXPECT_EQ(s.find("social.enabled")->value_text(0), "false");
  EXPECT_EQ(s.find("social.mode")->value_text(2), "gamma");
  EXPECT_EQ(s.find("social.mode")->value_text(3), "?");
  EXPECT_EQ(s.find("social.mode")->value_text(-1), "?");
  EXPECT_EQ(s.find("social.mode")->value_text(std::nan("")), "?");
  // value_text and parse are inverse for every declared type.
  for (const ParamDecl& d : s.decls())
    EXPECT_EQ(value_of(d.parse(d.value_text(d.default_value))), d.default_value) << d.name;
}

TEST(ParamsTest, SchemaRejectsDuplicateNames) {
  ParamTable<Knobs> t;
  t.real("a", &Knobs::rate, "1", 0, 0, 1, "", "");
  EXPECT_THROW(t.integer("a", &Knobs::count, "1", 1, 0, 2, "", ""), std::logic_error);
  EXPECT_EQ(t.schema().decls().size(), 1u);
}

TEST(ParamsTest, SchemaRejectsOutOfRangeDefaults) {
  ParamTable<Knobs> t;
  EXPECT_THROW(t.real("r", &Knobs::rate, "1", 2, 0, 1, "", ""), std::logic_error);
  EXPECT_THROW(t.real("r", &Knobs::rate, "1", 0.5, 1, 0, "", ""), std::logic_error)
      << "empty range";
  EXPECT_THROW(t.integer("i", &Knobs::count, "1", 0, 1, 10, "", ""), std::logic_error);
  EXPECT_THROW(t.choice("c", &Knobs::mode, {"x", "y"}, 2, "", ""), std::logic_error);
  EXPECT_THROW(t.choice("c", &Knobs::mode, {"x", "y"}, -1, "", ""), std::logic_error);
  EXPECT_THROW(t.choice("c", &Knobs::mode, {}, 0, "", ""), std::logic_error) << "no choices";
  ParamSchema s;
  EXPECT_THROW(s.add({"b", ParamType::boolean, "", 0.5, 0, 1, {}, "", ""}), std::logic_error);
  EXPECT_TRUE(t.schema().empty()) << "rejected declarations are not kept";
  // A boolean declared by hand without min/max is fine: its domain is true/false.
  EXPECT_NO_THROW(s.add({"flag", ParamType::boolean, "", 1.0, 0, 0, {}, "", ""}));
  EXPECT_FALSE(s.find("flag")->check(1.0));
}

TEST(ParamsTest, SuggestionsForAMisspeltName) {
  ParamSchema s;
  for (const char* n : {"trust.negativity_weight", "trust.positivity_weight", "ties.decay",
                        "ties.gain", "care.need_rate"})
    s.add({n, ParamType::real, "1", 0, 0, 1, {}, "", ""});
  const auto sug = s.suggestions("trust.negativty_weight");
  ASSERT_FALSE(sug.empty());
  EXPECT_EQ(sug.front(), "trust.negativity_weight");
  EXPECT_EQ(s.suggestions("ties.gian").front(), "ties.gain");
  EXPECT_LE(s.suggestions("ties.gai").size(), 3u);
  EXPECT_TRUE(s.suggestions("completely.unrelated").empty());
}

TEST(ParamsTest, ChangedListsValuesAwayFromTheirDefault) {
  const auto t = knob_table();
  ParamValues v(t.schema());
  EXPECT_TRUE(v.changed().empty());
  v.set("social.count", 7);
  v.set("social.mode", 0);
  EXPECT_EQ(v.changed(), (std::vector<std::string>{"social.count", "social.mode"}));
  v.set("social.count", 3);  // back to the default
  EXPECT_EQ(v.changed(), (std::vector<std::string>{"social.mode"}));
  EXPECT_EQ(&v.schema(), &t.schema());
}

}  // namespace
}  // namespace buurtlab
