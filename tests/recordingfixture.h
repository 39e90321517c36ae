// Test fixture shared by the recording, trace and CSV tests: hand-built recordings with every kind of worker.
#pragma once

#include "recording/recording.h"

#include <QDateTime>

namespace threadlab::testing {

/// Appends an event at base + offsetNs.
inline void add(Recording &r, qint64 base, int worker, qint64 offsetNs, EventKind kind, qint64 value = 0,
    const QString &detail = {})
{
    r.events.append({ base + offsetNs, worker, kind, value, detail });
}

/// Five workers covering the shapes a trace must draw:
/// 1 thread, stopped cooperatively (full life, progress, tricky details);
/// 2 eventloop, forced (kill-sent, killed);
/// 3 process in its own host pid, escalated (sigterm then force-group);
/// 4 concurrent, paused and resumed, completed without any stop;
/// 5 thread, cpu-ignore forced: unresponsive, never exits (its last span stays open).
/// Plus one lab note. base is a large CLOCK_MONOTONIC value (beyond 2^53 when huge is set).
inline Recording sampleRecording(bool huge = false)
{
    Recording r = Recording::startNew(QStringLiteral("Sample, with \"quotes\" | pipes\nand a newline"));
    r.date = QDateTime(QDate(2024, 5, 17), QTime(9, 30, 12, 345), Qt::UTC);
    r.scenario = QStringLiteral("stop-everything");
    r.parameters = { { QStringLiteral("grace_ms"), qint64(1000) },
        { QStringLiteral("method"), QStringLiteral("escalate") }, { QStringLiteral("record"), true } };
    r.appPid = 1000;
    r.droppedEvents = 3;
    const qint64 base = huge ? (qint64(1) << 53) + 12345 : qint64(987'654'321'000);

    RecordedWorker w1 { 1, QStringLiteral("spin, \"one\""), Backend::Thread, QStringLiteral("cpu-spin"),
        { { QStringLiteral("step_us"), qint64(50) }, { QStringLiteral("check_every"), qint64(1) } },
        StopMethod::Request, Outcome::Stopped, {}, {}, 0, 1234, 5'000'000, {} };
    add(r, base, 1, 0, EventKind::Created, 0, QStringLiteral("spin, \"one\""));
    add(r, base, 1, 1500, EventKind::StartRequested);
    add(r, base, 1, 20'250, EventKind::Started, 4711);
    add(r, base, 1, 70'000, EventKind::FirstStep);
    for (int i = 1; i <= 20; ++i)
        add(r, base, 1, 70'000 + i * 50'001, EventKind::Progress, i);
    add(r, base, 1, 2'000'000, EventKind::StopRequested, qint64(StopMethod::Request), QStringLiteral("request"));
    add(r, base, 1, 2'003'333, EventKind::StopObserved);
    add(r, base, 1, 2'004'000, EventKind::CleanupBegin, 0, QStringLiteral("closing \"file\", then\r\nflushing"));
    add(r, base, 1, 2'104'000, EventKind::CleanupEnd);
    add(r, base, 1, 2'104'100, EventKind::Exited);
    add(r, base, 1, 2'150'000, EventKind::Joined);
    add(r, base, 1, 2'150'010, EventKind::Outcome, qint64(Outcome::Stopped), QStringLiteral("stopped"));

    RecordedWorker w2 { 2, QStringLiteral("sleeper"), Backend::EventLoop, QStringLiteral("sleep-steps"), {},
        StopMethod::Force, Outcome::Killed, {}, {}, 0, 77, 300'000, {} };
    add(r, base, 2, 100, EventKind::Created);
    add(r, base, 2, 2'000, EventKind::StartRequested);
    add(r, base, 2, 30'000, EventKind::Started);
    add(r, base, 2, 3'000'000, EventKind::StopRequested, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 2, 3'000'100, EventKind::KillSent, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 2, 3'200'000, EventKind::Exited);
    add(r, base, 2, 3'250'000, EventKind::Joined);
    add(r, base, 2, 3'250'001, EventKind::Outcome, qint64(Outcome::Killed), QStringLiteral("killed"));

    RecordedWorker w3 { 3, QStringLiteral("host"), Backend::Process, QStringLiteral("blocking-wait"),
        { { QStringLiteral("wait"), QStringLiteral("pipe") }, { QStringLiteral("wake"), QStringLiteral("none") } },
        StopMethod::Escalate, Outcome::Killed,
        { { QStringLiteral("process"), QStringLiteral("pid 4243, still alive"),
            QStringLiteral("an orphan survived its host") } },
        QStringLiteral("host: got SIGTERM\nhost: ignoring it, \"on purpose\""), 4242, 3, 9'000, {} };
    add(r, base, 3, 200, EventKind::Created);
    add(r, base, 3, 3'000, EventKind::StartRequested);
    add(r, base, 3, 900'000, EventKind::Started, 4242);
    add(r, base, 3, 4'000'000, EventKind::StopRequested, qint64(StopMethod::Escalate), QStringLiteral("escalate"));
    add(r, base, 3, 5'000'000, EventKind::KillSent, qint64(StopMethod::Sigterm), QStringLiteral("sigterm"));
    add(r, base, 3, 6'000'000, EventKind::KillSent, qint64(StopMethod::ForceGroup), QStringLiteral("force-group"));
    add(r, base, 3, 6'000'500, EventKind::Exited, 9);
    add(r, base, 3, 6'100'000, EventKind::Joined);
    add(r, base, 3, 6'200'000, EventKind::Leak, 0, QStringLiteral("process: pid 4243, still alive"));

    RecordedWorker w4 { 4, QStringLiteral("pool task"), Backend::Concurrent, QStringLiteral("sleep-steps"), {},
        std::nullopt, Outcome::Completed, {}, {}, 0, 10, 1'000, {} };
    add(r, base, 4, 300, EventKind::Created);
    add(r, base, 4, 4'000, EventKind::StartRequested);
    add(r, base, 4, 40'000, EventKind::Started);
    add(r, base, 4, 500'000, EventKind::Paused);
    add(r, base, 4, 800'000, EventKind::Resumed);
    add(r, base, 4, 1'500'000, EventKind::Exited);
    add(r, base, 4, 1'600'000, EventKind::Joined);

    RecordedWorker w5 { 5, QStringLiteral("ignorer"), Backend::Thread, QStringLiteral("cpu-ignore"), {},
        StopMethod::Force, Outcome::Unresponsive, {}, {}, 0, 999'999, 80'000'000, {} };
    add(r, base, 5, 400, EventKind::Created);
    add(r, base, 5, 5'000, EventKind::StartRequested);
    add(r, base, 5, 50'000, EventKind::Started);
    add(r, base, 5, 7'000'000, EventKind::StopRequested, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 5, 7'000'050, EventKind::KillSent, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 5, 8'000'000, EventKind::KillTimeout, 0, QStringLiteral("force"));
    add(r, base, 5, 8'000'001, EventKind::Outcome, qint64(Outcome::Unresponsive), QStringLiteral("unresponsive"));

    add(r, base, LabWorkerId, 9'000'000, EventKind::Note, 0, QStringLiteral("lab: recovered, fresh mutex"));

    r.workers = { w1, w2, w3, w4, w5 };
    r.remeasure();
    return r;
}

} // namespace threadlab::testing
