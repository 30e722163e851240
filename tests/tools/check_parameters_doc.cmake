# Fails when docs/parameters.md differs from what `buurtlab describe neighbourhood --markdown`
# prints now (ignoring the generated-file header line and the blank line after it).
execute_process(COMMAND "${BUURTLAB}" describe neighbourhood --markdown
                OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "buurtlab describe failed (${rc})")
endif()
file(READ "${DOC}" doc)
string(FIND "${doc}" "\n\n" header_end)
math(EXPR body_start "${header_end} + 2")
string(SUBSTRING "${doc}" ${body_start} -1 body)
if(NOT body STREQUAL generated)
  message(FATAL_ERROR "docs/parameters.md is out of date: regenerate it with\n"
                      "  (echo '<!-- header -->'; echo; buurtlab describe neighbourhood --markdown)\n"
                      "or see CONTRIBUTING.md")
endif()
