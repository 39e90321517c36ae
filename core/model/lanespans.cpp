// Spans beside a worker's states, read from its fold's marks: the lab mutex (held, waited for) and the orphans it left.
#include "lanespans.h"

namespace threadlab {

LockSpanList lockSpansOf(const WorkerFold &fold)
{
    LockSpanList spans;
    const auto close = [&spans](qint64 t, bool waiting) {
        if (!spans.isEmpty() && spans.last().isOpen() && spans.last().waiting == waiting)
            spans.last().endNs = t;
    };
    const auto open = [&](qint64 t, bool waiting) {
        if (!spans.isEmpty() && spans.last().isOpen())
            spans.last().endNs = t;
        spans.append({ t, -1, waiting });
    };
    for (const Event &e : fold.marks()) {
        if (e.kind != EventKind::Note)
            continue;
        if (e.detail == LabMutexNote::Waiting)
            open(e.tNs, true);
        else if (e.detail == LabMutexNote::WaitOver)
            close(e.tNs, true);
        else if (e.detail == LabMutexNote::Acquired)
            open(e.tNs, false);
        else if (e.detail == LabMutexNote::Released)
            close(e.tNs, false);
    }
    const qint64 end = fold.times().endNs();
    if (end >= 0 && !spans.isEmpty() && spans.last().isOpen())
        spans.last().endNs = std::max(end, spans.last().beginNs);
    return spans;
}

QList<OrphanSpan> orphanSpansOf(const WorkerFold &fold)
{
    QList<OrphanSpan> out;
    const EventList &marks = fold.marks();
    for (const Event &e : marks) {
        if (e.kind != EventKind::Note || !e.detail.startsWith(OrphanNote::Found))
            continue;
        // "orphans still in process group 123: 456 789"
        const QStringList pids = e.detail.section(u": "_qs, 1).split(u' ', Qt::SkipEmptyParts);
        for (const QString &text : pids) {
            OrphanSpan span;
            span.pid = text.toLongLong();
            span.beginNs = e.tNs;
            for (const Event &r : marks)
                if (r.kind == EventKind::Resource && r.value == span.pid && r.tNs < span.beginNs)
                    span.beginNs = r.tNs;
            for (const Event &k : marks)
                if (k.kind == EventKind::Note && k.tNs >= e.tNs && k.detail.startsWith(u"killed "_qs)
                    && k.detail.contains(OrphanNote::Killed)) {
                    span.endNs = k.tNs;
                    break;
                }
            if (span.pid > 0)
                out << span;
        }
    }
    return out;
}

} // namespace threadlab
