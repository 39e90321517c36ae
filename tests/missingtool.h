// Test helper: a missing tool or binary is a failure under CI (CI=true) and, outside CI only, a skip that says so.
#pragma once

#include <QString>
#include <QTest>

namespace threadlab::testing {

/// True under CI (CI=true): there, a missing tool is a broken setup that a skip would hide.
inline bool underCi()
{
    return qEnvironmentVariable("CI").compare(QStringLiteral("true"), Qt::CaseInsensitive) == 0;
}

} // namespace threadlab::testing

/// Ends the test function: QFAIL under CI, else QSKIP; what names what is missing (a macro: both return).
#define THREADLAB_MISSING(what)                                                                                        \
    do {                                                                                                               \
        const QString missingWhat_ = (what);                                                                           \
        if (::threadlab::testing::underCi())                                                                           \
            QFAIL(qPrintable(missingWhat_ + QStringLiteral(", and CI=true: a missing tool under CI is a failure")));   \
        QSKIP(qPrintable(missingWhat_ + QStringLiteral("; outside CI (CI!=true) this is a skip")));                    \
    } while (false)
