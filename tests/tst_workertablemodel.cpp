// Tests the worker table model: item-model invariants, live updates through a LiveSource, and update batching.
#include "events/eventbatcher.h"
#include "lab/lab.h"
#include "lab/livesource.h"
#include "workertablemodel.h"
#include "workloads/workload.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace threadlab;

namespace {
WorkerSpec sleepSpec(Backend backend, qint64 stepMs = 2, qint64 steps = 100000)
{
    WorkerSpec spec;
    spec.backend = backend;
    spec.workload = u"sleep-steps"_qs;
    QString error;
    if (!WorkloadRegistry::resolve(
            spec.workload, QVariantMap { { u"step_ms"_qs, stepMs }, { u"steps"_qs, steps } }, &spec.params, &error))
        qWarning("%s", qPrintable(error));
    return spec;
}
} // namespace

class TestWorkerTableModel : public QObject
{
    Q_OBJECT
private slots:
    void modelTester();
    void rowsFollowTheLab_data();
    void rowsFollowTheLab();
    void burstYieldsFewDataChanged();
    void sortingByRawValues();
};

void TestWorkerTableModel::modelTester()
{
    Lab lab;
    LiveSource source(&lab);
    WorkerTableModel model(&source);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 3; ++i)
        QVERIFY(lab.addWorker(sleepSpec(Backend::Thread)));
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(WorkerTableModel::ColumnCount));
    lab.workers().first()->start();
    QTRY_COMPARE_WITH_TIMEOUT(
        model.index(0, WorkerTableModel::StateColumn).data().toString(), toString(WorkerState::Running), 5000);
    QVERIFY(!model.index(0, WorkerTableModel::StateColumn).data(Qt::DecorationRole).isNull());
    lab.workers().first()->stop(StopMethod::Request);
    QTRY_COMPARE_WITH_TIMEOUT(
        model.index(0, WorkerTableModel::OutcomeColumn).data().toString(), toString(Outcome::Stopped), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!model.index(0, WorkerTableModel::JoinedColumn).data().toString().isEmpty(), 5000);
    QVERIFY(model.index(0, WorkerTableModel::JoinedColumn).data(WorkerTableModel::RawValueRole).toLongLong() > 0);
    lab.clearFinished();
    QTRY_COMPARE(model.rowCount(), 2);
    lab.shutdown(3000);
}

void TestWorkerTableModel::rowsFollowTheLab_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::newRow("thread") << Backend::Thread;
    QTest::newRow("concurrent") << Backend::Concurrent;
    QTest::newRow("jthread") << Backend::JThread;
    QTest::newRow("eventloop") << Backend::EventLoop;
}

void TestWorkerTableModel::rowsFollowTheLab()
{
    QFETCH(Backend, backend);
    Lab lab;
    LiveSource source(&lab);
    WorkerTableModel model(&source);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Worker *w = lab.addWorker(sleepSpec(backend, 1, 1'000'000));
    QVERIFY(w);
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, WorkerTableModel::BackendColumn).data().toString(), toString(backend));
    QCOMPARE(model.index(0, 0).data(WorkerTableModel::WorkerIdRole).toInt(), w->id());
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(
        model.index(0, WorkerTableModel::ProgressColumn).data(WorkerTableModel::RawValueRole).toLongLong() > 0, 5000);
    QVERIFY(model.index(0, WorkerTableModel::ProgressColumn).data(WorkerTableModel::ProgressFractionRole).isValid());
    w->stop(StopMethod::Request);
    QTRY_COMPARE_WITH_TIMEOUT(model.index(0, WorkerTableModel::StateColumn).data(WorkerTableModel::StateRole).toInt(),
        int(WorkerState::Finished), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!model.index(0, WorkerTableModel::ObservedColumn).data().toString().isEmpty(), 5000);
    lab.shutdown(3000);
}

void TestWorkerTableModel::burstYieldsFewDataChanged()
{
    Lab lab;
    LiveSource source(&lab);
    WorkerTableModel model(&source);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    constexpr int Workers = 20;
    QList<int> ids;
    for (int i = 0; i < Workers; ++i)
        ids << lab.addWorker(sleepSpec(Backend::Thread))->id();
    // One more row, untouched by the burst: its event, sent after the burst, marks the burst's end.
    const int marker = lab.addWorker(sleepSpec(Backend::Thread))->id();
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QTRY_COMPARE(model.rowCount(), Workers + 1);
    QCOMPARE(inserted.size(), 1); // one beginInsertRows for all new rows

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // 10,000 events across every worker, delivered in 100 batches as fast as possible.
    qint64 t = 1'000'000;
    for (int b = 0; b < 100; ++b) {
        EventList batch;
        for (int i = 0; i < 100; ++i) {
            Event e;
            e.tNs = ++t;
            e.worker = ids[(b * 100 + i) % Workers];
            e.kind = i % 10 == 0 ? EventKind::Note : EventKind::Progress;
            e.value = b * 100 + i;
            batch << e;
        }
        emit lab.eventsRecorded(batch);
    }
    // Positive evidence the whole burst was announced (no sleep as a window): events reach the model in order
    // and a flush announces every dirty row, so once the marker's row is announced, so is every burst row.
    Event last;
    last.tNs = ++t;
    last.worker = marker;
    last.kind = EventKind::Note;
    emit lab.eventsRecorded({ last });
    int markerRow = -1;
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, 0).data(WorkerTableModel::WorkerIdRole).toInt() == marker)
            markerRow = r;
    QVERIFY(markerRow >= 0);
    const auto markerAnnounced = [&changed, markerRow] {
        for (const QList<QVariant> &args : std::as_const(changed))
            if (args.at(0).value<QModelIndex>().row() <= markerRow
                && args.at(1).value<QModelIndex>().row() >= markerRow)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(markerAnnounced(), 5000);
    // Contiguous rows are merged into one ranged signal; nothing is emitted per event.
    QVERIFY2(changed.size() < 10, qPrintable(QString::number(changed.size())));
    QSet<int> covered;
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const QModelIndex first = args.at(0).value<QModelIndex>();
        const QModelIndex last = args.at(1).value<QModelIndex>();
        for (int r = first.row(); r <= last.row(); ++r)
            covered.insert(r);
    }
    covered.remove(markerRow);
    QCOMPARE(covered.size(), Workers); // every touched row was announced, in a handful of ranged signals
    lab.shutdown(3000);
}

void TestWorkerTableModel::sortingByRawValues()
{
    Lab lab;
    LiveSource source(&lab);
    WorkerTableModel model(&source);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(WorkerTableModel::RawValueRole);
    for (int i = 0; i < 12; ++i) {
        WorkerSpec s = sleepSpec(Backend::Thread);
        s.name = u"w%1"_qs.arg(i + 1);
        lab.addWorker(s);
    }
    QTRY_COMPARE(model.rowCount(), 12);
    proxy.sort(WorkerTableModel::NameColumn, Qt::AscendingOrder);
    // Raw value of the name column is the id: w10 sorts after w9, not after w1.
    QCOMPARE(proxy.index(9, 0).data().toString(), u"w10"_qs);
    proxy.sort(WorkerTableModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"w12"_qs);
    lab.shutdown(1000);
}

QTEST_MAIN(TestWorkerTableModel)
#include "tst_workertablemodel.moc"
