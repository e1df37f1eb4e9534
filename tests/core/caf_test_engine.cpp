// CAF's test engine, linked only for caf::test::test_coordinator_fixture
// (caf/test/dsl.hpp), whose constructor reads the engine's argc/argv. doctest
// runs the tests and makes the assertions; CAF's own runner and main are not used.
#define CAF_TEST_NO_MAIN
#include <caf/test/unit_test_impl.hpp>
