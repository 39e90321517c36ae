// The start modes of a worker host and the factory of their HostProcess implementations.
#include "hostprocess.h"

#include "forkserverhost.h"
#include "qprocesshost.h"

namespace threadlab {

QString toString(ProcessStart start)
{
    return start == ProcessStart::Exec ? QStringLiteral("exec") : QStringLiteral("forkserver");
}

std::optional<ProcessStart> processStartFromString(const QString &name)
{
    for (ProcessStart s : { ProcessStart::Exec, ProcessStart::ForkServer })
        if (name == toString(s))
            return s;
    return std::nullopt;
}

QString processStartNames()
{
    return toString(ProcessStart::Exec) + QStringLiteral(", ") + toString(ProcessStart::ForkServer);
}

std::unique_ptr<HostProcess> HostProcess::create(ProcessStart start)
{
    if (start == ProcessStart::ForkServer)
        return std::make_unique<ForkServerHost>();
    return std::make_unique<QProcessHost>();
}

} // namespace threadlab
