// Workload parameter specifications: their one-line synopsis.
#include "params.h"

namespace threadlab {

QString ParamSpec::synopsis() const
{
    switch (type) {
    case ParamType::Integer:
        return QStringLiteral("%1=%2 (%3..%4)").arg(name).arg(defaultValue.toLongLong()).arg(min).arg(max);
    case ParamType::Boolean:
        return QStringLiteral("%1=%2 (true|false)")
            .arg(name, defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    case ParamType::Choice:
    case ParamType::Workload:
        return QStringLiteral("%1=%2 (%3)").arg(name, defaultValue.toString(), choices.join(QLatin1Char('|')));
    }
    return name;
}

} // namespace threadlab
