// The live worker table: one row per Lab worker, updated in batches (event batches + a 10 Hz refresh).
#include "workertablemodel.h"

#include "lab/lab.h"
#include "base/clock.h"
#include "events/eventlog.h"
#include "model/workerfold.h"
#include "statestyle.h"
#include "workers/worker.h"

#include <QLocale>
#include <algorithm>

namespace threadlab {

namespace {
constexpr int FlushIntervalMs = 33; ///< at most ~30 model updates per second
constexpr int RefreshIntervalMs = 100; ///< progress, rate, CPU and elapsed at 10 Hz

QString formatCount(qint64 n)
{
    return QLocale::system().toString(n);
}

QString optionalDuration(const std::optional<qint64> &ns)
{
    return ns ? formatDuration(*ns) : QString();
}
} // namespace

WorkerTableModel::WorkerTableModel(Lab *lab, QObject *parent)
    : QAbstractTableModel(parent)
    , m_lab(lab)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &WorkerTableModel::flush);
    m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &WorkerTableModel::handleRefresh);
    m_refreshTimer.start();
    if (!lab)
        return;
    connect(lab, &Lab::workerAdded, this, &WorkerTableModel::handleWorkerAdded);
    connect(lab, &Lab::workerRemoved, this, &WorkerTableModel::handleWorkerRemoved);
    connect(lab, &Lab::eventsRecorded, this, [this](const EventList &batch) {
        if (!m_recordingMode)
            applyEvents(batch);
    });
    for (Worker *w : lab->workers())
        m_pendingInserts << w;
    flush();
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WorkerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int WorkerTableModel::workerIdAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].id : -1;
}

Worker *WorkerTableModel::workerAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].worker.data() : nullptr;
}

void WorkerTableModel::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_rows.empty())
        emit dataChanged(index(0, StateColumn), index(rowCount() - 1, OutcomeColumn), { Qt::DecorationRole });
}

void WorkerTableModel::showRecording(const Recording &recording)
{
    beginResetModel();
    m_recordingMode = true;
    m_flushTimer.stop();
    m_pendingInserts.clear();
    m_dirtyRows.clear();
    m_volatileRows.clear();
    m_rows.clear();
    m_rowOf.clear();
    for (const RecordedWorker &w : recording.workers) {
        Row row;
        row.id = w.id;
        row.name = w.name;
        row.backend = w.backend;
        row.workload = w.workload;
        row.outcome = w.outcome;
        row.totalSteps = w.params.value(u"steps"_qs).toLongLong();
        row.steps = w.stepsDone;
        row.cpuNs = w.cpuTimeNs;
        row.latencies = w.latencies;
        row.leaks = int(w.leaks.size());
        row.leaksKnown = true;
        for (const Leak &l : w.leaks)
            row.leakLines << u"%1: %2"_qs.arg(l.kind, l.detail);
        // The last state the events lead to; a worker with an outcome had finished.
        const EventList events = recording.eventsOf(w.id);
        row.state = WorkerFold::of(w.id, events).state();
        for (const Event &e : events) {
            if ((e.kind == EventKind::StartRequested || e.kind == EventKind::Started) && row.startNs < 0)
                row.startNs = e.tNs;
            if (e.kind == EventKind::Joined || (e.kind == EventKind::Exited && row.endNs < 0))
                row.endNs = e.tNs;
            if (e.kind == EventKind::Progress || e.kind == EventKind::FirstStep)
                row.steps = std::max(row.steps, e.value);
        }
        if (row.startNs >= 0 && row.endNs < 0)
            row.endNs = recording.lastNs();
        m_rowOf.insert(row.id, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

void WorkerTableModel::showLive()
{
    beginResetModel();
    m_recordingMode = false;
    m_pendingInserts.clear();
    m_dirtyRows.clear();
    m_volatileRows.clear();
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
    if (!m_lab)
        return;
    for (Worker *w : m_lab->workers())
        m_pendingInserts << w;
    flush();
    for (Worker *w : m_lab->workers())
        applyEvents(m_lab->log().forWorker(w->id()));
    flush();
}

void WorkerTableModel::handleWorkerAdded(Worker *worker)
{
    if (m_recordingMode)
        return;
    m_pendingInserts << worker;
    scheduleFlush();
}

void WorkerTableModel::handleWorkerRemoved(int workerId)
{
    if (m_recordingMode)
        return;
    // Pending changes refer to row numbers: emit them before the rows move.
    flush();
    const int row = rowOf(workerId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    m_rowOf.clear();
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows[i].id, int(i));
    endRemoveRows();
}

void WorkerTableModel::applyEvents(const EventList &batch)
{
    for (const Event &e : batch) {
        const int r = rowOf(e.worker);
        if (r < 0)
            continue;
        Row &row = m_rows[size_t(r)];
        if (e.kind == EventKind::Progress || e.kind == EventKind::FirstStep) {
            row.steps = std::max(row.steps, e.value);
            markDirty(r, false);
            if (e.kind == EventKind::Progress)
                continue;
        }
        row.keyEvents << e;
        switch (e.kind) {
        case EventKind::StartRequested:
        case EventKind::Started:
            if (row.startNs < 0)
                row.startNs = e.tNs;
            break;
        case EventKind::Joined:
            row.endNs = e.tNs;
            break;
        case EventKind::Exited:
            if (row.endNs < 0)
                row.endNs = e.tNs;
            break;
        default:
            break;
        }
        if (e.kind == EventKind::StopObserved || e.kind == EventKind::Exited || e.kind == EventKind::Joined
            || e.kind == EventKind::KillSent)
            row.latencies = WorkerFold::of(row.id, row.keyEvents).latencies();
        markDirty(r, true);
    }
    scheduleFlush();
}

void WorkerTableModel::markDirty(int row, bool allColumns)
{
    if (allColumns)
        m_dirtyRows.insert(row);
    else
        m_volatileRows.insert(row);
}

void WorkerTableModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void WorkerTableModel::refreshFromWorker(Row &row, qint64 now)
{
    Worker *w = row.worker;
    if (!w)
        return;
    row.state = w->state();
    row.outcome = w->outcome();
    row.steps = std::max(row.steps, w->stepsDone());
    row.cpuNs = w->cpuTimeNs();
    row.leaksKnown = w->leaksKnown();
    row.leaks = int(w->leaks().size());
    if (row.lastSampleNs > 0 && now - row.lastSampleNs >= 200'000'000) {
        const double rate = double(row.steps - row.lastSampleSteps) * 1e9 / double(now - row.lastSampleNs);
        row.stepsPerSecond = row.stepsPerSecond > 0 ? 0.5 * row.stepsPerSecond + 0.5 * rate : rate;
        row.lastSampleNs = now;
        row.lastSampleSteps = row.steps;
    } else if (row.lastSampleNs == 0) {
        row.lastSampleNs = now;
        row.lastSampleSteps = row.steps;
    }
    if (row.state == WorkerState::Finished && w->hasEnded())
        row.stepsPerSecond = 0;
}

void WorkerTableModel::handleRefresh()
{
    const qint64 now = monotonicNowNs();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        Worker *w = row.worker;
        if (!w)
            continue;
        const bool live = row.state != WorkerState::Created && !(row.state == WorkerState::Finished && w->hasEnded());
        const WorkerState before = row.state;
        const Outcome outcomeBefore = row.outcome;
        const int leaksBefore = row.leaks;
        const bool knownBefore = row.leaksKnown;
        if (live || w->state() != row.state || w->leaksKnown() != row.leaksKnown) {
            refreshFromWorker(row, now);
            if (row.state != before || row.outcome != outcomeBefore || row.leaks != leaksBefore
                || row.leaksKnown != knownBefore)
                markDirty(int(i), true);
            else
                markDirty(int(i), false);
        }
    }
    if (!m_dirtyRows.isEmpty() || !m_volatileRows.isEmpty())
        scheduleFlush();
}

void WorkerTableModel::flush()
{
    m_flushTimer.stop();
    // New rows: one beginInsertRows for all of them.
    QList<QPointer<Worker>> fresh;
    for (const QPointer<Worker> &w : std::as_const(m_pendingInserts))
        if (w && rowOf(w->id()) < 0)
            fresh << w;
    m_pendingInserts.clear();
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        const qint64 now = monotonicNowNs();
        for (const QPointer<Worker> &w : fresh) {
            Row row;
            row.id = w->id();
            row.worker = w;
            row.name = w->spec().name;
            row.backend = w->spec().backend;
            row.workload = w->spec().workload;
            row.totalSteps = w->spec().params.value(u"steps"_qs).toLongLong();
            refreshFromWorker(row, now);
            m_rowOf.insert(row.id, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
    }
    // Changed rows: one dataChanged per contiguous run (full rows, or the live columns only).
    const auto emitRuns = [this](const QSet<int> &set, int firstColumn, int lastColumn) {
        if (set.isEmpty())
            return;
        QList<int> rows(set.begin(), set.end());
        std::sort(rows.begin(), rows.end());
        int runStart = rows.first();
        int prev = runStart;
        const auto emitRun = [&](int a, int b) {
            if (a < int(m_rows.size()))
                emit dataChanged(index(a, firstColumn), index(std::min(b, int(m_rows.size()) - 1), lastColumn));
        };
        for (int i = 1; i < rows.size(); ++i) {
            if (rows[i] != prev + 1) {
                emitRun(runStart, prev);
                runStart = rows[i];
            }
            prev = rows[i];
        }
        emitRun(runStart, prev);
    };
    QSet<int> volatileOnly = m_volatileRows;
    volatileOnly.subtract(m_dirtyRows);
    const QSet<int> full = m_dirtyRows;
    m_dirtyRows.clear();
    m_volatileRows.clear();
    emitRuns(full, 0, ColumnCount - 1);
    emitRuns(volatileOnly, ProgressColumn, ElapsedColumn);
}

QVariant WorkerTableModel::display(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.name;
    case BackendColumn:
        return toString(row.backend);
    case WorkloadColumn:
        return row.workload;
    case StateColumn:
        return toString(row.state);
    case ProgressColumn:
        if (row.totalSteps > 0)
            return u"%1 / %2"_qs.arg(formatCount(row.steps), formatCount(row.totalSteps));
        return formatCount(row.steps);
    case StepsPerSecondColumn:
        return row.stepsPerSecond > 0
            ? QLocale::system().toString(row.stepsPerSecond, 'f', row.stepsPerSecond < 100 ? 1 : 0)
            : QString();
    case CpuColumn:
        return row.cpuNs > 0 ? formatDuration(row.cpuNs) : QString();
    case ElapsedColumn: {
        if (row.startNs < 0)
            return QString();
        const qint64 end = row.endNs >= 0 ? row.endNs : monotonicNowNs();
        return formatDuration(end - row.startNs);
    }
    case ObservedColumn:
        return optionalDuration(row.latencies.observed);
    case ExitedColumn:
        return optionalDuration(row.latencies.exited);
    case JoinedColumn:
        return optionalDuration(row.latencies.joined);
    case OutcomeColumn:
        return row.outcome == Outcome::None ? QString() : toString(row.outcome);
    case LeaksColumn:
        if (!row.leaksKnown)
            return QString();
        return row.leaks == 0 ? u"none"_qs : QString::number(row.leaks);
    default:
        return {};
    }
}

QVariant WorkerTableModel::raw(const Row &row, int column) const
{
    const auto opt = [](const std::optional<qint64> &v) { return v ? QVariant(*v) : QVariant(qint64(-1)); };
    switch (column) {
    case NameColumn:
        return row.id; // "worker-10" sorts after "worker-9"
    case BackendColumn:
        return int(row.backend);
    case WorkloadColumn:
        return row.workload;
    case StateColumn:
        return int(row.state);
    case ProgressColumn:
        return row.steps;
    case StepsPerSecondColumn:
        return row.stepsPerSecond;
    case CpuColumn:
        return row.cpuNs;
    case ElapsedColumn:
        return row.startNs < 0 ? qint64(-1) : (row.endNs >= 0 ? row.endNs : monotonicNowNs()) - row.startNs;
    case ObservedColumn:
        return opt(row.latencies.observed);
    case ExitedColumn:
        return opt(row.latencies.exited);
    case JoinedColumn:
        return opt(row.latencies.joined);
    case OutcomeColumn:
        return int(row.outcome);
    case LeaksColumn:
        return row.leaksKnown ? row.leaks : -1;
    default:
        return {};
    }
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case Qt::DecorationRole:
        if (column == StateColumn)
            return StateStyle::stateIcon(row.state, m_dark);
        if (column == OutcomeColumn && row.outcome != Outcome::None)
            return StateStyle::outcomeIcon(row.outcome, m_dark);
        return {};
    case Qt::ToolTipRole:
        if (column == StateColumn)
            return describe(row.state);
        if (column == OutcomeColumn && row.outcome != Outcome::None)
            return describe(row.outcome);
        if (column == BackendColumn)
            return describe(row.backend);
        if (column == ObservedColumn)
            return u"stop-observed − stop-requested: how long the worker took to notice the stop"_qs;
        if (column == ExitedColumn)
            return u"exited − stop-requested: until the worker's code returned or unwound"_qs;
        if (column == JoinedColumn)
            return u"joined − stop-requested: until the owner knew it was over"_qs;
        if (column == LeaksColumn && !row.leakLines.isEmpty())
            return row.leakLines.join(u'\n');
        if (column == LeaksColumn && row.leaks > 0 && row.worker) {
            QStringList lines;
            for (const Leak &l : row.worker->leaks())
                lines << u"%1: %2"_qs.arg(l.kind, l.detail);
            return lines.join(u'\n');
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column >= ProgressColumn && column <= JoinedColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::AccessibleTextRole:
        if (column == StateColumn)
            return u"state: "_qs + toString(row.state);
        return display(row, column);
    case WorkerIdRole:
        return row.id;
    case RawValueRole:
        return raw(row, column);
    case StateRole:
        return int(row.state);
    case OutcomeRole:
        return int(row.outcome);
    case ProgressFractionRole:
        if (column == ProgressColumn && row.totalSteps > 0)
            return double(row.steps) / double(row.totalSteps);
        return {};
    default:
        return {};
    }
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        static const char16_t *const names[] = { u"Name", u"Backend", u"Workload", u"State", u"Progress", u"Steps/s",
            u"CPU", u"Elapsed", u"Observed", u"Exited", u"Joined", u"Outcome", u"Leaks" };
        return section >= 0 && section < ColumnCount ? QString::fromUtf16(names[section]) : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ObservedColumn:
            return u"Stop request → the worker noticed it"_qs;
        case ExitedColumn:
            return u"Stop request → the worker's code ended"_qs;
        case JoinedColumn:
            return u"Stop request → the owner knew it was over"_qs;
        case CpuColumn:
            return u"CPU time of the worker's thread(s) or process, read from the system"_qs;
        case LeaksColumn:
            return u"Resources found still held after the worker ended (probed on the real system)"_qs;
        default:
            return {};
        }
    }
    return {};
}

} // namespace threadlab
