// The built-in scenarios (":/scenarios/*.json") and loading by name or file.
#pragma once

#include "scenario.h"

#include <optional>

namespace threadlab {

class ScenarioCatalogue
{
public:
    /// Names of the built-in scenarios (file names without .json), in catalogue order.
    static QStringList builtinNames();
    /// The resource path of a built-in scenario (":/scenarios/<name>.json").
    static QString builtinPath(const QString &name);
    /// A built-in name, or a path to a file. Errors are one line (see ScenarioParser).
    static std::optional<Scenario> load(const QString &nameOrFile, QString *error);
};

} // namespace threadlab
