# Records the program version and git commit so every output file can say what produced it.
#
# The commit is looked up at every build, not once at configure time: a binary rebuilt after new
# commits (or with new uncommitted changes) must not record the commit it was first configured
# at. The target below always runs cmake/version_stamp.cmake, which rewrites generated/version.cpp
# only when the text changes; Ninja then sees an unchanged byproduct (restat) and rebuilds nothing.
find_package(Git QUIET)
set(BUURTLAB_VERSION_CPP "${PROJECT_BINARY_DIR}/generated/version.cpp")
add_custom_target(buurtlab_version_stamp
  COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}" "-DOUT=${BUURTLAB_VERSION_CPP}"
          "-DVERSION=${PROJECT_VERSION}" "-DGIT_EXECUTABLE=${GIT_EXECUTABLE}"
          -P "${PROJECT_SOURCE_DIR}/cmake/version_stamp.cmake"
  BYPRODUCTS "${BUURTLAB_VERSION_CPP}"
  COMMENT "Checking the git commit"
  VERBATIM)
