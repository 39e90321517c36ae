// libFuzzer: any bytes into the scenario parser give a scenario or one error line, never a crash or a hang.
#include "scenarios/scenarioparser.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto scenario = threadlab::ScenarioParser::parse(json, QStringLiteral("fuzz.json"), &error);
    // A refusal always says why. (It may quote the input's control characters: the CLI escapes them when it
    // prints the line, see cli::escapeControls.)
    if (!scenario && error.isEmpty())
        __builtin_trap();
    return 0;
}
