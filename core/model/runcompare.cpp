// Two runs side by side: matching, figures read from the folds, and the JSON the CLI and the GUI share.
#include "runcompare.h"

#include "runsource.h"

#include <QJsonArray>

namespace threadlab {

namespace {

QJsonValue nsValue(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

QJsonObject sideJson(const CompareSide &side)
{
    QJsonArray workers;
    for (const WorkerSnapshot &w : side.workers)
        workers.append(QJsonObject {
            { u"name"_qs, w.name }, { u"backend"_qs, toString(w.backend) }, { u"workload"_qs, w.workload } });
    return QJsonObject { { u"label"_qs, side.label }, { u"details"_qs, side.details }, { u"workers"_qs, workers } };
}

/// The figure of one worker of a side (empty where it does not apply, or when the side has no such worker).
std::optional<qint64> figureOf(const CompareSide &side, int index, const QString &key)
{
    if (index < 0)
        return std::nullopt;
    const WorkerFold &fold = *side.folds.at(index);
    if (key == u"cpu") {
        // 0 is "never sampled" (a worker that ran used some CPU): shown as no figure rather than a 0 to divide by.
        const qint64 cpu = side.workers.at(index).cpuTimeNs;
        return cpu > 0 ? std::optional<qint64>(cpu) : std::nullopt;
    }
    if (key == u"steps")
        return side.steps.at(index);
    const Latencies l = fold.latencies();
    if (key == u"observed")
        return l.observed;
    if (key == u"exited")
        return l.exited;
    if (key == u"joined")
        return l.joined;
    if (key == u"kill")
        return l.kill;
    if (key == u"cleanup")
        return l.cleanup;
    return std::nullopt;
}

} // namespace

CompareSide CompareSide::of(
    const RunSource &source, const std::optional<RunInfo> &run, const QString &label, const QString &details)
{
    CompareSide side;
    side.label = label;
    side.details = details;
    for (int id : run ? run->workerIds : source.workerIds()) {
        auto fold = source.fold(id);
        if (!fold)
            continue;
        side.workers.append(source.snapshot(id));
        side.folds.append(std::move(fold));
        side.steps.append(source.steps(id));
    }
    return side;
}

std::optional<qint64> CompareFigure::difference() const
{
    if (!a || !b)
        return std::nullopt;
    return *b - *a;
}

std::optional<double> CompareFigure::ratio() const
{
    if (!a || !b || *a == 0)
        return std::nullopt;
    return double(*b) / double(*a);
}

QString CompareFigure::valueText(const std::optional<qint64> &value) const
{
    if (!value)
        return u"–"_qs;
    return duration ? formatDuration(*value) : QString::number(*value);
}

QString CompareFigure::differenceText() const
{
    const auto d = difference();
    if (!d)
        return u"–"_qs;
    const QString sign = *d < 0 ? u"−"_qs : u"+"_qs;
    const qint64 magnitude = *d < 0 ? -*d : *d;
    return sign + (duration ? formatDuration(magnitude) : QString::number(magnitude));
}

QString CompareFigure::ratioText() const
{
    const auto r = ratio();
    if (!r)
        return u"–"_qs;
    return QString::number(*r, 'f', *r >= 100 ? 0 : *r >= 10 ? 1 : 2) + u"×"_qs;
}

QStringList RunComparison::figureKeys()
{
    return { u"observed"_qs, u"exited"_qs, u"joined"_qs, u"kill"_qs, u"cleanup"_qs, u"cpu"_qs, u"steps"_qs };
}

QString RunComparison::figureLabel(const QString &key)
{
    if (key == u"observed")
        return u"stop observed"_qs;
    if (key == u"exited")
        return u"exited"_qs;
    if (key == u"joined")
        return u"joined"_qs;
    if (key == u"kill")
        return u"kill took"_qs;
    if (key == u"cleanup")
        return u"clean-up"_qs;
    if (key == u"cpu")
        return u"CPU time"_qs;
    if (key == u"steps")
        return u"steps"_qs;
    return key;
}

RunComparison RunComparison::of(CompareSide a, CompareSide b)
{
    RunComparison c;
    c.m_a = std::move(a);
    c.m_b = std::move(b);
    const int na = int(c.m_a.size());
    const int nb = int(c.m_b.size());
    QList<int> match(na, -1);
    QList<bool> usedB(nb, false);
    // By name first: the same lesson on two backends or machines names its workers alike.
    for (int i = 0; i < na; ++i)
        for (int j = 0; j < nb; ++j)
            if (!usedB[j] && c.m_a.workers[i].name == c.m_b.workers[j].name) {
                match[i] = j;
                usedB[j] = true;
                break;
            }
    // The rest by order: ad-hoc runs name their workers by number.
    int nextB = 0;
    for (int i = 0; i < na; ++i) {
        if (match[i] >= 0)
            continue;
        while (nextB < nb && usedB[nextB])
            ++nextB;
        if (nextB < nb) {
            match[i] = nextB;
            usedB[nextB] = true;
        }
    }
    const auto row = [&c](int ia, int ib) {
        ComparedWorker w;
        w.indexA = ia;
        w.indexB = ib;
        w.name = ia >= 0 ? c.m_a.workers[ia].name : c.m_b.workers[ib].name;
        if (ia >= 0)
            w.outcomeA = c.m_a.folds[ia]->outcome();
        if (ib >= 0)
            w.outcomeB = c.m_b.folds[ib]->outcome();
        for (const QString &key : figureKeys())
            w.figures.append({ key, figureOf(c.m_a, ia, key), figureOf(c.m_b, ib, key), key != u"steps" });
        c.m_workers.append(w);
    };
    for (int i = 0; i < na; ++i)
        row(i, match[i]);
    for (int j = 0; j < nb; ++j)
        if (!usedB[j])
            row(-1, j);
    return c;
}

QJsonObject RunComparison::toJson() const
{
    QJsonArray workers;
    for (const ComparedWorker &w : m_workers) {
        QJsonArray figures;
        for (const CompareFigure &f : w.figures) {
            const auto ratio = f.ratio();
            figures.append(QJsonObject { { u"key"_qs, f.key }, { u"unit"_qs, f.duration ? u"ns"_qs : u"steps"_qs },
                { u"a"_qs, nsValue(f.a) }, { u"b"_qs, nsValue(f.b) }, { u"b_minus_a"_qs, nsValue(f.difference()) },
                { u"b_over_a"_qs, ratio ? QJsonValue(*ratio) : QJsonValue(QJsonValue::Null) } });
        }
        const auto name = [](const CompareSide &s, int i) {
            return i >= 0 ? QJsonValue(s.workers.at(i).name) : QJsonValue(QJsonValue::Null);
        };
        const auto outcome = [](const std::optional<Outcome> &o) {
            return o ? QJsonValue(toString(*o)) : QJsonValue(QJsonValue::Null);
        };
        workers.append(QJsonObject { { u"name"_qs, w.name }, { u"name_a"_qs, name(m_a, w.indexA) },
            { u"name_b"_qs, name(m_b, w.indexB) }, { u"outcome_a"_qs, outcome(w.outcomeA) },
            { u"outcome_b"_qs, outcome(w.outcomeB) }, { u"figures"_qs, figures } });
    }
    return QJsonObject { { u"format"_qs, u"threadlab-compare"_qs }, { u"a"_qs, sideJson(m_a) },
        { u"b"_qs, sideJson(m_b) }, { u"workers"_qs, workers } };
}

} // namespace threadlab
