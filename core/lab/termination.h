// SIGINT, SIGTERM and SIGHUP through the event loop into the labs' normal shutdown; a second signal or 5 s escalate.
#pragma once

#include <QObject>
#include <QTimer>

class QSocketNotifier;

namespace threadlab {

/// One per app, on the main thread. The signal handler only writes the signal's number to a self-pipe (the one
/// async-signal-safe thing to do); a QSocketNotifier turns it into terminationRequested() on the event loop.
/// Unless the front end handles it (setShutsDownLabs(false), the GUI closes its window instead), the first
/// signal runs every lab's beginShutdown() (ask, grace, kill groups and every known descendant), gives the
/// command a moment to write the outputs asked for, and exits the event loop with 128 + signal. A second signal,
/// or 5 s, escalates: exitNow() (SIGKILL to everything owned, temp root removed, _Exit). A third signal while
/// the event loop does not answer ends the process from the handler.
class Termination final : public QObject
{
    Q_OBJECT
public:
    /// Installs the handlers (idempotent); needs the application object.
    static Termination *install();
    /// The first signal received (0: none).
    static int signalReceived();
    /// 128 + the signal if one ended the app, else code.
    static int exitCode(int code);
    /// Whether the app is ending on a signal (new labs refuse work).
    static bool terminating() { return signalReceived() != 0; }
    /// SIGKILL to every process the app owns (ProcessTree), the temp root removed, stdio flushed, _Exit(code).
    /// For every exit that skips the destructors (threads that cannot be stopped, escalation).
    [[noreturn]] static void exitNow(int code);

    /// Whether the first signal shuts the labs down and exits the event loop (default true).
    void setShutsDownLabs(bool on) { m_shutsDownLabs = on; }

signals:
    /// The first signal arrived (delivered on the event loop).
    void terminationRequested(int signal);

private:
    explicit Termination(QObject *parent);
    ~Termination() override;
    Q_DISABLE_COPY_MOVE(Termination)
    void handleReadable();
    void handleTick();

    QSocketNotifier *m_notifier = nullptr;
    QTimer m_escalation;
    QTimer m_tick;
    qint64 m_labsDoneAtNs = 0;
    bool m_shutsDownLabs = true;
};

} // namespace threadlab
