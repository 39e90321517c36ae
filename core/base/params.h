// Workload parameters: their specifications (type, default, range) and validation of user input.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace threadlab {

enum class ParamType { Integer, Boolean, Choice, Workload };

/// One documented parameter of a workload.
struct ParamSpec
{
    QString name;
    ParamType type = ParamType::Integer;
    QString description;
    QVariant defaultValue; ///< qint64, bool or QString
    qint64 min = 0; ///< Integer only
    qint64 max = 0; ///< Integer only
    QStringList choices; ///< Choice only (Workload: filled with the allowed workload names)

    /// "step_us=50 (1..100000)", "raii=true (true|false)", "wait=condition (condition|pipe|sleep)".
    QString synopsis() const;
};

/// Resolved parameters: every spec'd name present, typed (qint64 / bool / QString).
using Params = QVariantMap;

} // namespace threadlab
