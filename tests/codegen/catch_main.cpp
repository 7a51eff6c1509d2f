// Catch2 main lives alone so test files recompile without rebuilding it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
