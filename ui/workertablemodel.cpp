// The worker table: one row per worker of a run source, read from its fold and snapshot, updated in batches.
#include "workertablemodel.h"

#include "statestyle.h"

#include <QLocale>
#include <algorithm>

namespace threadlab {

namespace {
constexpr int FlushIntervalMs = 33; ///< at most ~30 model updates per second

QString formatCount(qint64 n)
{
    return QLocale::system().toString(n);
}

QString optionalDuration(const std::optional<qint64> &ns)
{
    return ns ? formatDuration(*ns) : QString();
}
} // namespace

WorkerTableModel::WorkerTableModel(RunSource *source, QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &WorkerTableModel::flush);
    setSource(source);
}

void WorkerTableModel::setSource(RunSource *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    beginResetModel();
    m_source = source;
    m_flushTimer.stop();
    m_pendingInserts.clear();
    m_dirtyRows.clear();
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
    if (!source)
        return;
    connect(source, &RunSource::workersAdded, this, &WorkerTableModel::handleAdded);
    connect(source, &RunSource::workersRemoved, this, &WorkerTableModel::handleRemoved);
    connect(source, &RunSource::workersChanged, this, &WorkerTableModel::handleChanged);
    handleAdded(source->workerIds());
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

void WorkerTableModel::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_rows.empty())
        emit dataChanged(index(0, StateColumn), index(rowCount() - 1, OutcomeColumn), { Qt::DecorationRole });
}

void WorkerTableModel::handleAdded(const QList<int> &workerIds)
{
    m_pendingInserts << workerIds;
    scheduleFlush();
}

void WorkerTableModel::handleRemoved(const QList<int> &workerIds)
{
    // Pending changes refer to row numbers: emit them before the rows move.
    flush();
    for (int workerId : workerIds) {
        const int row = rowOf(workerId);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        m_rowOf.clear();
        for (size_t i = 0; i < m_rows.size(); ++i)
            m_rowOf.insert(m_rows[i].id, int(i));
        endRemoveRows();
    }
}

void WorkerTableModel::handleChanged(const QList<int> &workerIds)
{
    const qint64 now = m_source ? m_source->nowNs() : 0;
    for (int id : workerIds) {
        const int r = rowOf(id);
        if (r < 0)
            continue;
        reload(m_rows[size_t(r)], now);
        m_dirtyRows.insert(r);
    }
    if (!m_dirtyRows.isEmpty())
        scheduleFlush();
}

void WorkerTableModel::reload(Row &row, qint64 now)
{
    if (!m_source)
        return;
    row.snapshot = m_source->snapshot(row.id);
    row.steps = m_source->steps(row.id);
    row.totalSteps = row.snapshot.params.value(u"steps"_qs).toLongLong();
    // The rate is presentation: a smoothed difference of the sampled steps.
    if (row.lastSampleNs > 0 && now - row.lastSampleNs >= 200'000'000) {
        const double rate = double(row.steps - row.lastSampleSteps) * 1e9 / double(now - row.lastSampleNs);
        row.stepsPerSecond = row.stepsPerSecond > 0 ? 0.5 * row.stepsPerSecond + 0.5 * rate : rate;
        row.lastSampleNs = now;
        row.lastSampleSteps = row.steps;
    } else if (row.lastSampleNs == 0) {
        row.lastSampleNs = now;
        row.lastSampleSteps = row.steps;
    }
    if (row.fold && row.fold->hasEnded())
        row.stepsPerSecond = 0;
}

void WorkerTableModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void WorkerTableModel::flush()
{
    m_flushTimer.stop();
    // New rows: one beginInsertRows for all of them.
    QList<int> fresh;
    QSet<int> seen; // 500 workers added at once: no list scan per id
    for (int id : std::as_const(m_pendingInserts))
        if (m_source && m_source->fold(id) && rowOf(id) < 0 && !seen.contains(id)) {
            seen.insert(id);
            fresh << id;
        }
    m_pendingInserts.clear();
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        const qint64 now = m_source->nowNs();
        for (int id : fresh) {
            Row row;
            row.id = id;
            row.fold = m_source->fold(id);
            reload(row, now);
            m_rowOf.insert(row.id, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
    }
    // Changed rows: one dataChanged per contiguous run.
    if (m_dirtyRows.isEmpty())
        return;
    QList<int> rows(m_dirtyRows.begin(), m_dirtyRows.end());
    m_dirtyRows.clear();
    std::sort(rows.begin(), rows.end());
    const auto emitRun = [this](int a, int b) {
        if (a < int(m_rows.size()))
            emit dataChanged(index(a, 0), index(std::min(b, int(m_rows.size()) - 1), ColumnCount - 1));
    };
    int runStart = rows.first();
    int prev = runStart;
    for (int i = 1; i < rows.size(); ++i) {
        if (rows[i] != prev + 1) {
            emitRun(runStart, prev);
            runStart = rows[i];
        }
        prev = rows[i];
    }
    emitRun(runStart, prev);
}

qint64 WorkerTableModel::elapsedNs(const Row &row) const
{
    const KeyTimes &t = row.fold->times();
    const qint64 start = t.startRequested >= 0 ? t.startRequested : t.started;
    if (start < 0)
        return -1;
    const qint64 ended = t.joined >= 0 ? t.joined : t.exited;
    const qint64 end = ended >= 0 ? ended : (m_source ? m_source->nowNs() : start);
    return std::max<qint64>(0, end - start);
}

QVariant WorkerTableModel::display(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.snapshot.name;
    case BackendColumn:
        return toString(row.snapshot.backend);
    case WorkloadColumn:
        return row.snapshot.workload;
    case StateColumn:
        return toString(row.fold->state());
    case ProgressColumn:
        if (row.totalSteps > 0)
            return u"%1 / %2"_qs.arg(formatCount(row.steps), formatCount(row.totalSteps));
        return formatCount(row.steps);
    case StepsPerSecondColumn:
        return row.stepsPerSecond > 0
            ? QLocale::system().toString(row.stepsPerSecond, 'f', row.stepsPerSecond < 100 ? 1 : 0)
            : QString();
    case CpuColumn:
        return row.snapshot.cpuTimeNs > 0 ? formatDuration(row.snapshot.cpuTimeNs) : QString();
    case ElapsedColumn: {
        const qint64 ns = elapsedNs(row);
        return ns < 0 ? QString() : formatDuration(ns);
    }
    case ObservedColumn:
        return optionalDuration(row.fold->latencies().observed);
    case ExitedColumn:
        return optionalDuration(row.fold->latencies().exited);
    case JoinedColumn:
        return optionalDuration(row.fold->latencies().joined);
    case OutcomeColumn:
        return row.fold->outcome() == Outcome::None ? QString() : toString(row.fold->outcome());
    case LeaksColumn:
        if (!row.snapshot.leaksKnown)
            return QString();
        return row.snapshot.leaks.isEmpty() ? u"none"_qs : QString::number(row.snapshot.leaks.size());
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
        return int(row.snapshot.backend);
    case WorkloadColumn:
        return row.snapshot.workload;
    case StateColumn:
        return int(row.fold->state());
    case ProgressColumn:
        return row.steps;
    case StepsPerSecondColumn:
        return row.stepsPerSecond;
    case CpuColumn:
        return row.snapshot.cpuTimeNs;
    case ElapsedColumn:
        return elapsedNs(row);
    case ObservedColumn:
        return opt(row.fold->latencies().observed);
    case ExitedColumn:
        return opt(row.fold->latencies().exited);
    case JoinedColumn:
        return opt(row.fold->latencies().joined);
    case OutcomeColumn:
        return int(row.fold->outcome());
    case LeaksColumn:
        return row.snapshot.leaksKnown ? int(row.snapshot.leaks.size()) : -1;
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
            return StateStyle::stateIcon(row.fold->state(), m_dark);
        if (column == OutcomeColumn && row.fold->outcome() != Outcome::None)
            return StateStyle::outcomeIcon(row.fold->outcome(), m_dark);
        return {};
    case Qt::ToolTipRole:
        if (column == NameColumn) // the column elides in the middle: the whole name on hover
            return u"%1\n%2 · %3"_qs.arg(row.snapshot.name, toString(row.snapshot.backend), row.snapshot.workload);
        if (column == StateColumn)
            return describe(row.fold->state());
        if (column == OutcomeColumn && row.fold->outcome() != Outcome::None)
            return describe(row.fold->outcome());
        if (column == BackendColumn)
            return describe(row.snapshot.backend);
        if (column == ObservedColumn)
            return u"stop-observed − stop-requested: how long the worker took to notice the stop"_qs;
        if (column == ExitedColumn)
            return u"exited − stop-requested: until the worker's code returned or unwound"_qs;
        if (column == JoinedColumn)
            return u"joined − stop-requested: until the owner knew it was over"_qs;
        if (column == LeaksColumn && !row.snapshot.leaks.isEmpty()) {
            QStringList lines;
            for (const Leak &l : row.snapshot.leaks)
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
            return u"state: "_qs + toString(row.fold->state());
        return display(row, column);
    case WorkerIdRole:
        return row.id;
    case RawValueRole:
        return raw(row, column);
    case StateRole:
        return int(row.fold->state());
    case OutcomeRole:
        return int(row.fold->outcome());
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
