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

std::optional<Scenario> ScenarioCatalogue::load(const QString &nameOrFile, QString *error)
{
    if (builtinNames().contains(nameOrFile))
        return ScenarioParser::loadFile(builtinPath(nameOrFile), error);
    if (QFileInfo::exists(nameOrFile))
        return ScenarioParser::loadFile(nameOrFile, error);
    if (error)
        *error = QStringLiteral("no built-in scenario or file named '%1' (built-in: %2)")
                     .arg(nameOrFile, builtinNames().join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace threadlab
