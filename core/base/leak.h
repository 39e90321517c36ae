// A leak found by probing the real system after a worker ended.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace threadlab {

struct Leak
{
    QString kind; ///< "lock", "fd", "file", "thread", "memory", "process": the ResourceKind spelling
    QString detail; ///< what was found, e.g. "lab mutex still locked (tryLock 200 ms failed)"
    QString meaning; ///< what it means for the user, one sentence
};

using LeakList = QList<Leak>;

} // namespace threadlab

Q_DECLARE_METATYPE(threadlab::Leak)
Q_DECLARE_METATYPE(threadlab::LeakList)
