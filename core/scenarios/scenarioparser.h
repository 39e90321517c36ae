// Parses and strictly validates scenario files (JSON, "format": 1) into a Scenario value.
#pragma once

#include "scenario.h"

#include <QByteArray>
#include <optional>

namespace threadlab {

/// Strict: every field is checked, unknown keys are refused, and nothing is half-loaded (the whole file
/// is parsed into a value before anything runs). Errors are one line:
///   "<path>:<line>:<column>: <what>" for malformed JSON,
///   "<path>: <field path>: <what> (allowed: ...)" for a bad field, e.g.
///   "x.json: workers[2].backend: unknown backend 'fiber' (allowed: thread, eventloop, ...)".
class ScenarioParser
{
public:
    /// Parses the bytes of a scenario file; path is used in messages and stored in the result.
    static std::optional<Scenario> parse(const QByteArray &json, const QString &path, QString *error);
    /// Reads and parses a file (a path or a ":/scenarios/..." resource).
    static std::optional<Scenario> loadFile(const QString &path, QString *error);
    /// The largest file accepted, in bytes.
    static constexpr qsizetype MaxFileBytes = 4 * 1024 * 1024;
};

} // namespace threadlab
