// Checks one worker's result against the scenario's expectation; each unmet claim becomes one line.
#pragma once

#include "scenario.h"
#include "scenarioresult.h"

namespace threadlab {

class ExpectationChecker
{
public:
    /// The unmet parts of e, one readable line each ("outcome killed, expected stopped"); empty: passed.
    static QStringList check(const Expectation &e, const WorkerResult &r);
};

} // namespace threadlab
