// crash: a worker host that dies on purpose, so the app shows a crash is contained in the host process.
#include "crash.h"

#include "stopcontext.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace threadlab {

Crash::Crash(const Params &params)
    : m_mode(params.value(QStringLiteral("mode")).toString())
    , m_afterMs(params.value(QStringLiteral("after_ms")).toLongLong())
    , m_code(params.value(QStringLiteral("code")).toLongLong())
{
}

WorkloadInfo Crash::info()
{
    return { name(),
        QStringLiteral("dies after after_ms: segv (SIGSEGV), abort (SIGABRT) or exit (exit code, no bye); "
                       "process only, the app is untouched"),
        QStringLiteral("the sleeps before the crash"),
        {
            { QStringLiteral("mode"), ParamType::Choice, QStringLiteral("how the host dies"), QStringLiteral("segv"), 0,
                0, { QStringLiteral("segv"), QStringLiteral("abort"), QStringLiteral("exit") } },
            { QStringLiteral("after_ms"), ParamType::Integer, QStringLiteral("time before the crash, in milliseconds"),
                qint64(100), 0, 600'000, {} },
            { QStringLiteral("code"), ParamType::Integer, QStringLiteral("exit code for mode=exit"), qint64(3), 1, 255,
                {} },
        },
        true };
}

void Crash::run(StopContext &ctx)
{
    const qint64 sliceMs = 10;
    for (qint64 waited = 0; waited < m_afterMs; waited += sliceMs) {
        if (ctx.shouldStop()) {
            ctx.noticeStop();
            return;
        }
        ctx.setPhase(WorkerPhase::Sleeping);
        ctx.sleepNs(qMin(sliceMs, m_afterMs - waited) * 1'000'000);
        ctx.reportStep(waited / sliceMs + 1);
    }
    ctx.mark(EventKind::Note, 0, QStringLiteral("crashing now: mode=%1").arg(m_mode));
    const QByteArray say = "crash: dying now, mode=" + m_mode.toUtf8() + '\n';
    [[maybe_unused]] const ssize_t n = ::write(2, say.constData(), size_t(say.size()));
    if (m_mode == u"abort") {
        std::abort();
    } else if (m_mode == u"exit") {
        ::_exit(int(m_code));
    } else {
        ::signal(SIGSEGV, SIG_DFL);
        ::raise(SIGSEGV);
    }
    ::_exit(127); // unreachable in practice
}

} // namespace threadlab
