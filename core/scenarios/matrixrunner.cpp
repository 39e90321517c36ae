// The stop-method matrix: workloads × methods × backends, each combination measured with repeats.
#include "matrixrunner.h"

#include "lab/lab.h"
#include "lab/workerfactory.h"
#include "process/processsystem.h"
#include "scenariorunner.h"
#include "workers/worker.h"
#include "workloads/workload.h"

#include <QJsonArray>
#include <QTextStream>
#include <algorithm>

namespace threadlab {

namespace {

constexpr int ReapIntervalMs = 50;

ScriptAction actionFor(StopMethod m)
{
    switch (m) {
    case StopMethod::Request:
        return ScriptAction::Request;
    case StopMethod::Force:
        return ScriptAction::Force;
    case StopMethod::Escalate:
        return ScriptAction::Escalate;
    case StopMethod::Sigterm:
        return ScriptAction::Sigterm;
    case StopMethod::ForceGroup:
        return ScriptAction::ForceGroup;
    case StopMethod::AsyncExc:
        return ScriptAction::AsyncExc;
    case StopMethod::Settrace:
        return ScriptAction::Settrace;
    case StopMethod::InterpreterExit:
        return ScriptAction::InterpreterExit;
    }
    return ScriptAction::Request;
}

bool runnersEnded(ScenarioRunner *r)
{
    for (const ScenarioWorker &sw : r->scenario().workers)
        if (Worker *w = r->worker(sw.name); w && w->state() != WorkerState::Created && !w->hasEnded())
            return false;
    return true;
}

} // namespace

QString MatrixWorkload::label() const
{
    return assignments.isEmpty() ? name : name + u' ' + assignments.join(u' ');
}

MatrixOptions MatrixOptions::defaults()
{
    MatrixOptions o;
    for (const QString &w : { QStringLiteral("cpu-spin"), QStringLiteral("cpu-ignore:run_ms=1500"),
             QStringLiteral("sleep-steps"), QStringLiteral("blocking-wait:wake=none:timeout_ms=1000"),
             QStringLiteral("lock-holder:raii=false:gap_ms=0") })
        if (auto mw = parseWorkload(w, nullptr))
            o.workloads << *mw;
    o.methods = { StopMethod::Request, StopMethod::Force, StopMethod::Escalate };
    o.backends = { Backend::Thread, Backend::EventLoop, Backend::Concurrent, Backend::JThread, Backend::Process };
    return o;
}

std::optional<MatrixWorkload> MatrixOptions::parseWorkload(const QString &text, QString *error)
{
    QStringList parts = text.split(u':', Qt::SkipEmptyParts);
    if (parts.isEmpty()) {
        if (error)
            *error = QStringLiteral("empty workload (allowed: %1)").arg(WorkloadRegistry::names().join(u", "));
        return std::nullopt;
    }
    MatrixWorkload w;
    w.name = parts.takeFirst().trimmed();
    w.assignments = parts;
    if (!WorkloadRegistry::resolve(w.name, w.assignments, &w.params, error))
        return std::nullopt;
    return w;
}

namespace {

/// How bad a class is for a cell (higher is worse): one run that never stopped makes the cell never-stopped.
int severity(OutcomeClass c)
{
    switch (c) {
    case OutcomeClass::Completed:
        return 0;
    case OutcomeClass::Stopped:
        return 1;
    case OutcomeClass::Killed:
        return 2;
    case OutcomeClass::Ignored:
        return 3;
    case OutcomeClass::Pending:
        return 4;
    case OutcomeClass::NeverStopped:
        return 5;
    case OutcomeClass::Crashed:
        return 6;
    }
    return 4;
}

} // namespace

OutcomeClass MatrixCell::outcomeClass() const
{
    if (runs.isEmpty())
        return OutcomeClass::Pending;
    OutcomeClass worst = OutcomeClass::Completed;
    for (const WorkerResult &r : runs)
        if (severity(r.outcomeClass) > severity(worst))
            worst = r.outcomeClass;
    return worst;
}

bool MatrixCell::leaked() const
{
    for (const WorkerResult &r : runs)
        if (!r.leaks.isEmpty())
            return true;
    return false;
}

std::optional<qint64> MatrixCell::medianLatencyNs() const
{
    std::vector<qint64> v;
    for (const WorkerResult &r : runs)
        if (r.latencies.joined && r.outcome != Outcome::Unresponsive)
            v.push_back(*r.latencies.joined);
    if (v.empty())
        return std::nullopt;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

QStringList MatrixCell::leakKinds() const
{
    QStringList kinds;
    for (const WorkerResult &r : runs)
        for (const Leak &l : r.leaks)
            if (!kinds.contains(l.kind))
                kinds << l.kind;
    return kinds;
}

QString MatrixCell::outcomes() const
{
    QMap<QString, int> counts;
    for (const WorkerResult &r : runs)
        ++counts[r.outcome == Outcome::None ? QStringLiteral("none") : toString(r.outcome)];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1×%2").arg(it.key()).arg(it.value());
    return parts.join(u' ');
}

QString MatrixCell::shortText() const
{
    if (!available())
        return QStringLiteral("n/a");
    const OutcomeClass c = outcomeClass();
    QString text = toString(c);
    const auto median = medianLatencyNs();
    if (median && c != OutcomeClass::NeverStopped && c != OutcomeClass::Pending && c != OutcomeClass::Crashed)
        text += u' ' + formatDuration(*median);
    if (leaked())
        text += QStringLiteral(", leaks: ") + leakKinds().join(u',');
    return text;
}

QJsonObject MatrixCell::toJson() const
{
    QJsonArray runArray;
    for (const WorkerResult &r : runs)
        runArray.append(r.toJson());
    const auto median = medianLatencyNs();
    QJsonObject o {
        { QStringLiteral("workload"), workload.name },
        { QStringLiteral("params"), QJsonObject::fromVariantMap(workload.params) },
        { QStringLiteral("label"), workload.label() },
        { QStringLiteral("method"), toString(method) },
        { QStringLiteral("backend"), toString(backend) },
        { QStringLiteral("class"), available() ? toString(outcomeClass()) : QStringLiteral("n/a") },
        { QStringLiteral("leaked"), leaked() },
        { QStringLiteral("median_joined_ns"), median ? QJsonValue(double(*median)) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("leaks"), QJsonArray::fromStringList(leakKinds()) },
        { QStringLiteral("outcomes"), outcomes() },
        { QStringLiteral("runs"), runArray },
    };
    if (!notAvailable.isEmpty())
        o.insert(QStringLiteral("not_available"), notAvailable);
    return o;
}

MatrixRunner::MatrixRunner(MatrixOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_options.repeat = std::max(1, m_options.repeat);
    m_options.parallel = std::max(1, m_options.parallel);
    m_reaper.setInterval(ReapIntervalMs);
    connect(&m_reaper, &QTimer::timeout, this, [this] { reap(false); });
}

MatrixRunner::~MatrixRunner()
{
    qDeleteAll(m_active);
    reap(true);
}

void MatrixRunner::start()
{
    if (m_started)
        return;
    m_started = true;
    // Which cells exist at all: ask a worker that is made but never started (its refusal teaches why).
    Lab scratch;
    QString hostError;
    const bool hostFound = !ProcessSystem::hostExecutable(&hostError).isEmpty();
    for (const MatrixWorkload &w : std::as_const(m_options.workloads)) {
        const WorkloadInfo *info = WorkloadRegistry::find(w.name);
        for (StopMethod m : std::as_const(m_options.methods)) {
            for (Backend b : std::as_const(m_options.backends)) {
                MatrixCell cell;
                cell.workload = w;
                cell.method = m;
                cell.backend = b;
                if (b == Backend::Process && !hostFound) {
                    cell.notAvailable = QStringLiteral("the process backend needs the worker host: ") + hostError;
                } else if (info && info->processOnly && b != Backend::Process) {
                    cell.notAvailable = QStringLiteral("%1 runs only in the worker host (backend process)").arg(w.name);
                } else {
                    QString error;
                    Worker *probe = scratch.addWorker({ QStringLiteral("probe"), b, w.name, w.params }, &error);
                    if (!probe) {
                        cell.notAvailable = error;
                    } else {
                        const QString why = probe->refusal(m);
                        if (why != probe->refusal(StopMethod::Request))
                            cell.notAvailable = why;
                    }
                }
                m_cells << cell;
                m_runsLeft << (cell.notAvailable.isEmpty() ? m_options.repeat : 0);
                if (cell.notAvailable.isEmpty())
                    for (int r = 0; r < m_options.repeat; ++r)
                        m_queue << Pending { int(m_cells.size() - 1) };
            }
        }
    }
    m_total = int(m_queue.size());
    m_reaper.start();
    launchMore();
}

void MatrixRunner::launchMore()
{
    while (m_active.size() < m_options.parallel && !m_queue.isEmpty()) {
        const int cellIndex = m_queue.takeFirst().cell;
        const MatrixCell &cell = m_cells.at(cellIndex);
        Scenario sc;
        sc.id = QStringLiteral("matrix");
        sc.title
            = QStringLiteral("%1 / %2 / %3").arg(cell.workload.label(), toString(cell.method), toString(cell.backend));
        ScenarioWorker sw;
        sw.name = QStringLiteral("w");
        sw.backend = cell.backend;
        sw.workload = cell.workload.name;
        sw.params = cell.workload.params;
        sc.workers << sw;
        // As `--stop-after` says (and `run` does): the stop counts from the worker's own `started`, so a worker whose
        // thread or host starts late under load is stopped in its code, never before it (a terminate landing before
        // run() would turn cpu-ignore's "ignored" into "killed").
        sc.script << ScriptStep { 0, ScriptAction::Start, sw.name, {}, std::nullopt, 0 }
                  << ScriptStep { m_options.stopAfterMs, actionFor(cell.method), sw.name, m_options.policy,
                         EventKind::Started, m_options.stopAfterMs };
        sc.settleMs = m_options.policy.graceMs * 2 + m_options.policy.killTimeoutMs + 10000;
        auto *runner = new ScenarioRunner(sc, nullptr, this);
        m_active << runner;
        connect(runner, &ScenarioRunner::finished, this,
            [this, runner, cellIndex](const ScenarioResult &result) { runFinished(runner, cellIndex, result); });
        runner->runLive();
    }
    if (m_active.isEmpty() && m_queue.isEmpty() && !m_finished) {
        // Every run is measured; give the labs still busy with an unresponsive worker a moment to end.
        m_finished = true;
        m_reaper.stop();
        emit finished();
    }
}

void MatrixRunner::runFinished(ScenarioRunner *runner, int cell, const ScenarioResult &result)
{
    if (!m_active.removeOne(runner))
        return;
    WorkerResult r = result.workers.value(0);
    if (!result.error.isEmpty())
        r.notes << result.error;
    if (result.skipped)
        r.notes << result.skipReason;
    m_cells[cell].runs << r;
    ++m_done;
    // Kept until its worker's code has ended: destroying a lab with a running thread would block here.
    m_retired << runner;
    if (--m_runsLeft[cell] == 0)
        emit cellFinished(cell);
    const MatrixCell &c = m_cells.at(cell);
    emit progress(m_done, m_total,
        QStringLiteral("%1 / %2 / %3: %4")
            .arg(c.workload.label(), toString(c.method), toString(c.backend),
                r.outcome == Outcome::None ? QStringLiteral("none") : toString(r.outcome)));
    QTimer::singleShot(0, this, &MatrixRunner::launchMore);
}

void MatrixRunner::reap(bool all)
{
    for (qsizetype i = m_retired.size() - 1; i >= 0; --i) {
        ScenarioRunner *r = m_retired.at(i);
        if (all || runnersEnded(r)) {
            m_retired.removeAt(i);
            delete r;
        }
    }
}

QString MatrixRunner::textGrid() const
{
    QStringList header { QStringLiteral("workload"), QStringLiteral("method") };
    for (Backend b : m_options.backends)
        header << toString(b);
    QList<QStringList> rows;
    for (qsizetype i = 0; i < m_cells.size(); i += m_options.backends.size()) {
        const MatrixCell &first = m_cells.at(i);
        QStringList row { first.workload.label(), toString(first.method) };
        for (qsizetype j = 0; j < m_options.backends.size() && i + j < m_cells.size(); ++j)
            row << m_cells.at(i + j).shortText();
        rows << row;
    }
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &r : rows + QList<QStringList> { header })
        for (qsizetype c = 0; c < r.size(); ++c)
            widths[c] = std::max(widths[c], r.at(c).size());
    QString out;
    QTextStream s(&out);
    const auto line = [&](const QStringList &r) {
        for (qsizetype c = 0; c < r.size(); ++c)
            s << r.at(c).leftJustified(widths[c] + 2);
        s << '\n';
    };
    line(header);
    for (const QStringList &r : rows)
        line(r);
    QStringList notes;
    for (const MatrixCell &c : m_cells)
        if (!c.notAvailable.isEmpty())
            notes << QStringLiteral("n/a %1 on %2: %3").arg(toString(c.method), toString(c.backend), c.notAvailable);
    notes.removeDuplicates();
    for (const QString &n : notes)
        s << n << '\n';
    s << QStringLiteral("latency: median of stop-requested → joined over %1 run(s) per cell").arg(m_options.repeat)
      << '\n';
    for (const QString &l : legend())
        s << l << '\n';
    return out;
}

QStringList MatrixRunner::legend()
{
    return {
        QStringLiteral("stopped: saw the stop and ended cleanly; killed: a kill took effect; ignored: ended by itself "
                       "after a stop it never saw; never-stopped: still running at the deadline"),
        QStringLiteral("force on thread and eventloop is ThreadLab's safe terminate: QThread::terminate() that can "
                       "land only at the lab's cancellation points, a pending cancel neutralised before run() "
                       "returns (Qt's plain terminate: lesson 21-raw-terminate); on process it is SIGKILL"),
    };
}

QString MatrixRunner::markdown() const
{
    QString out;
    QTextStream s(&out);
    s << "| workload | method |";
    for (Backend b : m_options.backends)
        s << ' ' << toString(b) << " |";
    s << "\n|---|---|";
    for (qsizetype i = 0; i < m_options.backends.size(); ++i)
        s << "---|";
    s << '\n';
    for (qsizetype i = 0; i < m_cells.size(); i += m_options.backends.size()) {
        const MatrixCell &first = m_cells.at(i);
        s << "| `" << first.workload.label() << "` | " << toString(first.method) << " |";
        for (qsizetype j = 0; j < m_options.backends.size() && i + j < m_cells.size(); ++j) {
            const MatrixCell &c = m_cells.at(i + j);
            QString text = c.shortText();
            if (!c.notAvailable.isEmpty())
                text += QStringLiteral(" (") + QString(c.notAvailable).replace(u'|', u'/') + u')';
            s << ' ' << text << " |";
        }
        s << '\n';
    }
    s << "\nLatency: median of stop-requested → joined over " << m_options.repeat
      << " run(s) per cell, measured on this machine.\n";
    for (const QString &l : legend())
        s << '\n' << l << '\n';
    return out;
}

QJsonObject MatrixRunner::toJson() const
{
    QJsonArray cells;
    for (const MatrixCell &c : m_cells)
        cells.append(c.toJson());
    QJsonArray backends;
    for (Backend b : m_options.backends)
        backends.append(toString(b));
    QJsonArray methods;
    for (StopMethod m : m_options.methods)
        methods.append(toString(m));
    QJsonArray workloads;
    for (const MatrixWorkload &w : m_options.workloads)
        workloads.append(w.label());
    return QJsonObject {
        { QStringLiteral("threadlab"), QStringLiteral(THREADLAB_VERSION) },
        { QStringLiteral("matrix"),
            QJsonObject { { QStringLiteral("backends"), backends }, { QStringLiteral("methods"), methods },
                { QStringLiteral("workloads"), workloads }, { QStringLiteral("repeat"), m_options.repeat },
                { QStringLiteral("stop_after_ms"), m_options.stopAfterMs },
                { QStringLiteral("grace_ms"), m_options.policy.graceMs },
                { QStringLiteral("kill_timeout_ms"), m_options.policy.killTimeoutMs } } },
        { QStringLiteral("cells"), cells },
    };
}

} // namespace threadlab
