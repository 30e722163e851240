# Records the program version and git commit so every output file can say what produced it.
find_package(Git QUIET)
set(BUURTLAB_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                  OUTPUT_VARIABLE BUURTLAB_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
  if(NOT BUURTLAB_GIT_COMMIT)
    set(BUURTLAB_GIT_COMMIT "unknown")
  endif()
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.cpp.in"
               "${PROJECT_BINARY_DIR}/generated/version.cpp" @ONLY)
