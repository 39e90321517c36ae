// Loads and parses the code excerpts (resources/code/) and names each backend's native stop check.
#include "codeexcerpt.h"

#include <QFile>

namespace threadlab {

QString CodeExcerpts::resourcePath(const QString &workload, Backend backend)
{
    return QStringLiteral(":/code/%1.%2.txt").arg(workload, isPython(backend) ? u"py" : u"cpp");
}

QString CodeExcerpts::stopCheckOf(Backend backend)
{
    switch (backend) {
    case Backend::Thread:
        return QStringLiteral("shouldStop() is QThread::isInterruptionRequested()");
    case Backend::EventLoop:
        return QStringLiteral("shouldStop() is QThread::isInterruptionRequested() (set with quit())");
    case Backend::Concurrent:
        return QStringLiteral("shouldStop() is QPromise::isCanceled() (QFuture::cancel())");
    case Backend::JThread:
        return QStringLiteral("shouldStop() is std::stop_token::stop_requested()");
    case Backend::Process:
        return QStringLiteral("shouldStop() is the host's flag, set by stdin \"stop\" or SIGTERM");
    case Backend::Python:
        return QStringLiteral("should_stop() is threading.Event.is_set()");
    case Backend::PythonProcess:
        return QStringLiteral("should_stop() is multiprocessing.Event.is_set()");
    }
    return {};
}

bool CodeExcerpts::parse(const QString &text, const QString &commentMarker, CodeExcerpt *out, QString *error)
{
    const QString marker = commentMarker + u'@';
    QStringList lines = text.split(u'\n');
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    for (int i = 0; i < lines.size(); ++i) {
        QString &line = lines[i];
        const qsizetype at = line.lastIndexOf(marker);
        if (at < 0)
            continue;
        const QStringList words = line.mid(at + marker.size()).split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty()) {
            if (error)
                *error = QStringLiteral("line %1: a marker without a phase (allowed: %2)")
                             .arg(i + 1)
                             .arg(allNames(phaseTerms()).join(QStringLiteral(", ")));
            return false;
        }
        for (const QString &w : words) {
            const auto phase = phaseFromString(w);
            if (!phase || *phase == WorkerPhase::None) {
                if (error)
                    *error = QStringLiteral("line %1: unknown phase \"%2\" (allowed: %3)")
                                 .arg(i + 1)
                                 .arg(w, allNames(phaseTerms()).mid(1).join(QStringLiteral(", ")));
                return false;
            }
            if (!out->phaseLines.contains(*phase))
                out->phaseLines.insert(*phase, i);
        }
        line.truncate(at);
        while (line.endsWith(u' '))
            line.chop(1);
    }
    out->lines = lines;
    return true;
}

std::optional<CodeExcerpt> CodeExcerpts::load(const QString &workload, Backend backend, QString *error)
{
    CodeExcerpt excerpt;
    excerpt.workload = workload;
    excerpt.language = isPython(backend) ? QStringLiteral("Python") : QStringLiteral("C++");
    excerpt.resource = resourcePath(workload, backend);
    QFile file(excerpt.resource);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("no %1 excerpt for workload \"%2\" (%3)")
                         .arg(excerpt.language, workload, excerpt.resource);
        return std::nullopt;
    }
    QString why;
    if (!parse(QString::fromUtf8(file.readAll()), isPython(backend) ? QStringLiteral("#") : QStringLiteral("//"),
            &excerpt, &why)) {
        if (error)
            *error = excerpt.resource + QStringLiteral(": ") + why;
        return std::nullopt;
    }
    return excerpt;
}

} // namespace threadlab
