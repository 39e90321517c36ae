// Shared plumbing of the CLI commands: one wording of errors, strict numbers, parsing a command's arguments.
#include "cliutil.h"

#include "lab/lab.h"
#include "lab/termination.h"
#include "process/processworker.h"
#include "workloads/workload.h"

#include <QCoreApplication>
#include <QFile>
#include <QPointer>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>
#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <sys/stat.h>

namespace threadlab {

const CliCommand *findCliCommand(QStringView name)
{
    for (const CliCommand &c : cliCommands())
        if (c.name == name)
            return &c;
    return nullptr;
}

QString cliCommandNames()
{
    QStringList names;
    for (const CliCommand &c : cliCommands())
        names << c.name;
    return names.join(QStringLiteral(", "));
}

namespace cli {

namespace {
QPointer<QObject> s_scope;
}

int runOnLoop(const std::function<int()> &start)
{
    // No nested event loops anywhere: the command starts from the application's loop and ends it.
    // SIGINT, SIGTERM and SIGHUP end the command through every lab's shutdown (exit 128 + signal).
    Termination::install();
    auto *scope = new QObject;
    s_scope = scope;
    QTimer::singleShot(0, scope, [start] {
        const int code = start();
        if (code != ExitPending)
            exitWith(code);
    });
    const int code = QCoreApplication::exec();
    delete scope; // a lab still running is stopped without an event loop by ~Lab
    return Termination::exitCode(code);
}

void exitWith(int code)
{
    // A command ended by a signal exits with 128 + the signal, whatever it would have said.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [code] { QCoreApplication::exit(Termination::exitCode(code)); },
        Qt::QueuedConnection);
}

QObject *commandScope()
{
    return s_scope.data();
}

QString escapeControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n')
            out += QStringLiteral("\\n");
        else if (u == u'\t')
            out += QStringLiteral("\\t");
        else if (u == u'\r')
            out += QStringLiteral("\\r");
        else if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0))
            out += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

void write(FILE *f, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), f);
    std::fflush(f);
}

void writeLine(FILE *f, const QString &line)
{
    write(f, line + QLatin1Char('\n'));
}

int usageError(const QString &message)
{
    writeLine(stderr, QStringLiteral("threadlab: ") + escapeControls(message));
    return ExitUsage;
}

int failure(const QString &message, int code)
{
    for (const QString &line : message.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        writeLine(stderr, QStringLiteral("threadlab: ") + escapeControls(line));
    return code;
}

std::optional<qint64> strictInteger(QStringView text)
{
    QStringView digits = text;
    if (digits.startsWith(u'-'))
        digits = digits.mid(1);
    if (digits.isEmpty() || digits.size() > 18 || (digits.size() > 1 && digits.front() == u'0')
        || (digits.size() == 1 && digits.front() == u'0' && text.size() != 1))
        return std::nullopt;
    for (const QChar c : digits)
        if (c < u'0' || c > u'9')
            return std::nullopt;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

std::optional<double> strictDecimal(QStringView text)
{
    const qsizetype dot = text.indexOf(u'.');
    const QStringView whole = dot < 0 ? text : text.left(dot);
    const QStringView fraction = dot < 0 ? QStringView() : text.mid(dot + 1);
    if (!strictInteger(whole) || whole.startsWith(u'-') || (dot >= 0 && fraction.isEmpty()))
        return std::nullopt;
    for (const QChar c : fraction)
        if (c < u'0' || c > u'9')
            return std::nullopt;
    bool ok = false;
    const double v = text.toDouble(&ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

bool intOption(const QCommandLineParser &p, const QString &name, qint64 min, qint64 max, int *out, QString *error)
{
    const QString text = p.value(name);
    const auto v = strictInteger(text);
    if (!v) {
        *error = QStringLiteral("--%1 '%2' is not a number (allowed: %3..%4, digits only)")
                     .arg(name, text)
                     .arg(min)
                     .arg(max);
        return false;
    }
    if (*v < min || *v > max) {
        *error = name == u"workers" && *v > max
            ? QStringLiteral("--workers %1: more than %2 workers (allowed: %3..%2)").arg(*v).arg(max).arg(min)
            : QStringLiteral("--%1 %2 is out of range (allowed: %3..%4)").arg(name).arg(*v).arg(min).arg(max);
        return false;
    }
    *out = int(*v);
    return true;
}

bool fileOption(const QCommandLineParser &p, const QString &name, QString *out, QString *error, const QString &allowed)
{
    *out = p.value(name);
    if (p.isSet(name) && out->isEmpty()) {
        *error = QStringLiteral("--%1 needs %2").arg(name, allowed);
        return false;
    }
    // Refused before anything runs: a device, FIFO, socket or directory is never opened for writing.
    if (p.isSet(name) && *out != u"-") {
        if (const QString refusal = outputRefusal(*out); !refusal.isEmpty()) {
            *error = QStringLiteral("--%1: %2").arg(name, refusal);
            return false;
        }
    }
    return true;
}

QString optionNames(const QList<QCommandLineOption> &options)
{
    QStringList names;
    for (const QCommandLineOption &o : options)
        names << QStringLiteral("--") + o.names().constLast();
    return names.join(QStringLiteral(", "));
}

/// Checks a --param's syntax before the registry reads it: key=value, no spaces or control characters, and an
/// integer parameter written as a plain integer (no sign, leading zeros or spaces).
bool checkParam(const QString &workload, const QString &assignment, QString *error)
{
    static const QRegularExpression keyPattern(QStringLiteral("^[a-z][a-z0-9_]*$"));
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    const QString key = assignment.left(eq);
    const QString value = assignment.mid(eq + 1);
    if (eq <= 0 || !keyPattern.match(key).hasMatch() || value.isEmpty()
        || std::any_of(value.cbegin(), value.cend(), [](QChar c) { return c.isSpace() || c.unicode() < 0x20; })) {
        *error = QStringLiteral("malformed parameter '%1': expected key=value without spaces (e.g. step_ms=5)")
                     .arg(assignment);
        return false;
    }
    for (const WorkloadInfo &w : WorkloadRegistry::all()) {
        if (w.name != workload)
            continue;
        for (const ParamSpec &s : w.params) {
            if (s.name == key && s.type == ParamType::Integer && !cli::strictInteger(value)) {
                *error = QStringLiteral("parameter %1=%2 is not an integer for %3 (allowed: %4..%5, digits only)")
                             .arg(key, value, workload)
                             .arg(s.min)
                             .arg(s.max);
                return false;
            }
        }
    }
    return true;
}

namespace {

/// The commands that run a lab (and so may start process hosts) take --process-start.
bool startsProcesses(const QString &command)
{
    static const QStringList commands { QStringLiteral("run"), QStringLiteral("scenario"), QStringLiteral("matrix"),
        QStringLiteral("bench"), QStringLiteral("gui") };
    return commands.contains(command);
}

QCommandLineOption processStartOption()
{
    return QCommandLineOption(QStringLiteral("process-start"),
        QStringLiteral("How process hosts start: %1 (default %2; exec maps Qt's libraries into every host, the "
                       "fork server forks a pre-loaded one).")
            .arg(processStartNames(), toString(ProcessWorker::startMode())),
        QStringLiteral("MODE"));
}

QList<QCommandLineOption> setUpParser(QCommandLineParser &p, const CliCommand &command)
{
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.setApplicationDescription(command.summary);
    // Not addHelpOption(): its --help-all would offer Qt's options, which are checked before the CLI sees them.
    p.addOption(QCommandLineOption(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Displays help on commandline options.")));
    QList<QCommandLineOption> options = command.options ? command.options() : QList<QCommandLineOption>();
    if (startsProcesses(command.name))
        options << processStartOption();
    p.addOptions(options);
    for (const CliPositional &a : command.positionals)
        p.addPositionalArgument(a.name, a.description, a.syntax);
    return options;
}

/// "Unknown option 'frob'." -> the option, or empty.
QString quoted(const QString &text)
{
    const qsizetype a = text.indexOf(QLatin1Char('\''));
    const qsizetype b = text.lastIndexOf(QLatin1Char('\''));
    return a >= 0 && b > a ? text.mid(a + 1, b - a - 1) : QString();
}

} // namespace

QString commandHelp(const CliCommand &command)
{
    QCommandLineParser p;
    setUpParser(p, command);
    const QString text = p.helpText();
    const qsizetype eol = text.indexOf(QLatin1Char('\n'));
    QString out = QStringLiteral("Usage: threadlab ") + command.synopsis + (eol >= 0 ? text.mid(eol) : u"\n"_qs);
    if (!command.moreHelp.isEmpty())
        out += QLatin1Char('\n') + command.moreHelp;
    return out;
}

int parseCommand(QCommandLineParser &p, const CliCommand &command, const QStringList &rest)
{
    const QList<QCommandLineOption> options = setUpParser(p, command);
    if (!p.parse(QStringList { QStringLiteral("threadlab") } + rest)) {
        const QString see = QStringLiteral("see threadlab %1 --help").arg(command.name);
        if (!p.unknownOptionNames().isEmpty()) {
            const QString allowed = options.isEmpty() ? QStringLiteral("--help") : optionNames(options);
            return usageError(QStringLiteral("%1: unknown option '%2' (allowed: %3)")
                                  .arg(command.name, p.unknownOptionNames().constFirst(), allowed));
        }
        QString error = p.errorText();
        if (error.endsWith(QLatin1Char('.')))
            error.chop(1);
        if (!error.isEmpty())
            error[0] = error[0].toLower();
        const QString name = quoted(p.errorText());
        for (const QCommandLineOption &o : options)
            for (const QString &n : o.names())
                if (name == n || name == QStringLiteral("--") + n || name == QStringLiteral("-") + n)
                    return usageError(QStringLiteral("%1: %2 (%3)").arg(command.name, error, o.description()));
        return usageError(QStringLiteral("%1: %2 (%3)").arg(command.name, error, see));
    }
    if (p.isSet(QStringLiteral("help"))) {
        write(stdout, commandHelp(command));
        return ExitOk;
    }
    // The one place --process-start is read: it sets how every process worker of this run starts.
    if (startsProcesses(command.name) && p.isSet(QStringLiteral("process-start"))) {
        const QString value = p.value(QStringLiteral("process-start"));
        const auto start = processStartFromString(value);
        if (!start)
            return usageError(QStringLiteral("%1: unknown --process-start '%2' (allowed: %3)")
                                  .arg(command.name, value, processStartNames()));
        ProcessWorker::setStartMode(*start);
    }
    return -1;
}

int refuseArguments(const QCommandLineParser &p, const QString &command)
{
    if (p.positionalArguments().isEmpty())
        return -1;
    return usageError(QStringLiteral("%1: unexpected argument '%2' (options start with --; see threadlab %1 --help)")
                          .arg(command, p.positionalArguments().constFirst()));
}

QString outputRefusal(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {}; // missing (or unreachable: the write reports why)
    const char *kind = nullptr;
    if (S_ISREG(st.st_mode))
        return {};
    if (S_ISDIR(st.st_mode))
        kind = "a directory";
    else if (S_ISFIFO(st.st_mode))
        kind = "a FIFO";
    else if (S_ISSOCK(st.st_mode))
        kind = "a socket";
    else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        kind = "a device";
    else
        kind = "not a regular file";
    return QStringLiteral("%1 is %2 (allowed: a regular file, or a new file name)")
        .arg(path, QString::fromLatin1(kind));
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        return false;
    };
    if (const QString refusal = outputRefusal(path); !refusal.isEmpty())
        return fail(refusal);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(f.errorString());
    if (f.write(bytes) != bytes.size())
        return fail(f.errorString());
    if (!f.commit()) // flush + fsync + rename: ENOSPC and friends show up here
        return fail(f.errorString());
    return true;
}

int finishLab(Lab &lab, FILE *notes, int code)
{
    const auto finished = [notes, code](const ShutdownReport &report) {
        if (!report.stillRunning.isEmpty()) {
            writeLine(notes,
                QStringLiteral("note: still running at exit (cannot be stopped, kept alive): %1")
                    .arg(report.stillRunning.join(QStringLiteral(", "))));
            // Skips the destructors (they would run under the threads' feet), but not the clean-up: every
            // process the app owns is killed and the temp root removed first.
            Termination::exitNow(Termination::exitCode(code));
        }
        exitWith(code);
    };
    if (lab.shutdownPhase() == ShutdownPhase::Done) {
        finished(lab.shutdownReport());
        return ExitPending;
    }
    QObject::connect(&lab, &Lab::shutdownFinished, &lab, finished);
    lab.beginShutdown(2000);
    return ExitPending;
}

} // namespace cli

} // namespace threadlab
