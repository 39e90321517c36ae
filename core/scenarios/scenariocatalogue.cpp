// The built-in scenarios (":/scenarios/*.json") and loading by name or file.
#include "scenariocatalogue.h"

#include "scenarioparser.h"

#include <QDir>
#include <QFileInfo>

namespace threadlab {

QStringList ScenarioCatalogue::builtinNames()
{
    QStringList names;
    const QStringList files
        = QDir(QStringLiteral(":/scenarios")).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString &f : files)
        names << QFileInfo(f).completeBaseName();
    return names;
}

QString ScenarioCatalogue::builtinPath(const QString &name)
{
    return QStringLiteral(":/scenarios/%1.json").arg(name);
}

/// A lesson's number alone ("7", "07") names the one built-in whose name starts with it ("07-..."), as a teacher
/// types it; anything else must be a whole name.
static QString builtinByNumber(const QString &name)
{
    bool isNumber = false;
    const int n = name.toInt(&isNumber);
    if (!isNumber || name.size() > 3 || n < 0)
        return {};
    const QString prefix = QStringLiteral("%1-").arg(n, 2, 10, QLatin1Char('0'));
    for (const QString &builtin : ScenarioCatalogue::builtinNames())
        if (builtin.startsWith(prefix))
            return builtin;
    return {};
}

std::optional<Scenario> ScenarioCatalogue::load(const QString &nameOrFile, QString *error)
{
    if (builtinNames().contains(nameOrFile))
        return ScenarioParser::loadFile(builtinPath(nameOrFile), error);
    if (QFileInfo::exists(nameOrFile))
        return ScenarioParser::loadFile(nameOrFile, error);
    if (const QString builtin = builtinByNumber(nameOrFile); !builtin.isEmpty())
        return ScenarioParser::loadFile(builtinPath(builtin), error);
    if (error)
        *error = QStringLiteral("no built-in scenario or file named '%1' (a file, a lesson's number, or built-in: %2)")
                     .arg(nameOrFile, builtinNames().join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace threadlab
