# Checks cmake/version_stamp.cmake, which the build runs every time to record the git commit:
# a source tree without its own .git records "unknown" (also inside another repository), a new
# commit and uncommitted changes show at the next run, and an unchanged commit leaves the
# generated file untouched, so that nothing is recompiled. Script mode:
#   cmake -DSTAMP=cmake/version_stamp.cmake -DGIT_EXECUTABLE=git -DWORK=scratch-dir \
#         -P version_stamp_test.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/repo/unpacked")
set(out "${WORK}/version.cpp")

function(stamp source_dir)
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${source_dir}" "-DOUT=${out}"
                          -DVERSION=1.2.3 "-DGIT_EXECUTABLE=${GIT_EXECUTABLE}" -P "${STAMP}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "version_stamp.cmake failed (${rc})")
  endif()
endfunction()

function(expect_commit want)
  file(READ "${out}" text)
  if(NOT text MATCHES "git_commit\\(\\) { return \"([^\"]*)\"; }")
    message(FATAL_ERROR "no git_commit() in:\n${text}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL want)
    message(FATAL_ERROR "git_commit() is \"${CMAKE_MATCH_1}\", expected \"${want}\"")
  endif()
  if(NOT text MATCHES "version\\(\\) { return \"1.2.3\"; }")
    message(FATAL_ERROR "version() is not 1.2.3 in:\n${text}")
  endif()
endfunction()

function(git)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -c user.name=test -c user.email=test@example.com
                          -c init.defaultBranch=main ${ARGN}
                  WORKING_DIRECTORY "${WORK}/repo" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE git_out OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "git ${ARGN} failed (${rc})")
  endif()
  set(git_out "${git_out}" PARENT_SCOPE)
endfunction()

# A tree without git metadata.
stamp("${WORK}/repo/unpacked")
expect_commit("unknown")

if(NOT GIT_EXECUTABLE)
  message(STATUS "git not found: only the tree without git was checked")
  return()
endif()
git(init -q)
file(WRITE "${WORK}/repo/a.txt" "one\n")
git(add a.txt)
git(commit -q -m one)
# Unpacked inside a repository, a tree still has no commit of its own.
stamp("${WORK}/repo/unpacked")
expect_commit("unknown")

stamp("${WORK}/repo")
git(rev-parse --short=12 HEAD)
expect_commit("${git_out}")

# Same commit again: the file is not written (its time stays), so nothing recompiles.
file(TIMESTAMP "${out}" before "%s" UTC)
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
stamp("${WORK}/repo")
file(TIMESTAMP "${out}" after "%s" UTC)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "version.cpp was rewritten although the commit did not change")
endif()

# A new commit shows at the next run, and so do uncommitted changes.
file(WRITE "${WORK}/repo/a.txt" "two\n")
git(commit -q -a -m two)
stamp("${WORK}/repo")
git(rev-parse --short=12 HEAD)
expect_commit("${git_out}")
file(WRITE "${WORK}/repo/a.txt" "three\n")
stamp("${WORK}/repo")
expect_commit("${git_out}-dirty")
file(REMOVE_RECURSE "${WORK}")
