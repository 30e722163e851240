# Writes version.cpp from version.cpp.in with the program version and the git commit of the source
# tree (`git describe --always --dirty`, so uncommitted changes show as -dirty). Called at every
# build in script mode:
#   cmake -DSOURCE_DIR=dir -DOUT=version.cpp -DVERSION=x.y.z -DGIT_EXECUTABLE=git \
#         -P version_stamp.cmake
# A source tree without git metadata (an unpacked tarball), or without git, records "unknown".
# The file is rewritten only when its text changes, so an unchanged commit rebuilds nothing.
set(BUURTLAB_GIT_COMMIT "unknown")
# Only the tree's own .git (a folder, or a file in a worktree): a tarball unpacked inside some
# other repository must not record that repository's commit.
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed AND commit)
    set(BUURTLAB_GIT_COMMIT "${commit}")
  endif()
endif()
set(PROJECT_VERSION "${VERSION}")
# configure_file leaves OUT untouched (timestamp included) when the text is the same.
configure_file("${CMAKE_CURRENT_LIST_DIR}/version.cpp.in" "${OUT}" @ONLY)
