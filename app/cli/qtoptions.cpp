// Qt's own command-line options (-platform, -style, ...): split from the CLI's and checked before any QApplication.
#include "qtoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QPluginLoader>

namespace threadlab {

namespace {

/// Qt's options that take a value (QGuiApplication, QApplication and the xcb plugin read them from argv).
const QStringList &valueOptions()
{
    static const QStringList names { QStringLiteral("platform"), QStringLiteral("platformpluginpath"),
        QStringLiteral("platformtheme"), QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"),
        QStringLiteral("geometry"), QStringLiteral("qwindowtitle"), QStringLiteral("title"),
        QStringLiteral("qwindowicon"), QStringLiteral("icon"), QStringLiteral("style"), QStringLiteral("stylesheet"),
        QStringLiteral("session"), QStringLiteral("display"), QStringLiteral("name") };
    return names;
}

/// Qt's options without a value.
const QStringList &flagOptions()
{
    static const QStringList names { QStringLiteral("reverse"), QStringLiteral("widgetcount"), QStringLiteral("nograb"),
        QStringLiteral("dograb"), QStringLiteral("sync") };
    return names;
}

/// "-platform" or "--platform" -> "platform"; anything else -> empty.
QString qtOptionName(const QString &arg)
{
    if (!arg.startsWith(u'-') || arg.startsWith(u"---"))
        return {};
    const QString name = arg.mid(arg.startsWith(u"--") ? 2 : 1);
    return valueOptions().contains(name) || flagOptions().contains(name) ? name : QString();
}

bool checkPlatform(const QString &where, const QString &value, QString *error)
{
    const QStringList available = QtOptions::platforms();
    const QString key = value.section(u':', 0, 0); // "offscreen:option=value" passes options to the plugin
    if (available.contains(key, Qt::CaseInsensitive))
        return true;
    *error = QStringLiteral("%1 '%2' is not an available platform (allowed: %3)")
                 .arg(where, value, available.isEmpty() ? QStringLiteral("none found") : available.join(u", "));
    return false;
}

} // namespace

QStringList QtOptions::platforms()
{
    QStringList dirs;
    for (const QString &d : qEnvironmentVariable("QT_QPA_PLATFORM_PLUGIN_PATH").split(u':', Qt::SkipEmptyParts))
        dirs << d;
    for (const QString &d : qEnvironmentVariable("QT_PLUGIN_PATH").split(u':', Qt::SkipEmptyParts))
        dirs << d + QStringLiteral("/platforms");
    dirs << QLibraryInfo::path(QLibraryInfo::PluginsPath) + QStringLiteral("/platforms");
    QStringList keys;
    for (const QString &d : std::as_const(dirs)) {
        const QDir dir(d);
        for (const QString &file : dir.entryList({ QStringLiteral("*.so") }, QDir::Files)) {
            // The keys are in the plugin's metadata; reading it does not load the library.
            const QJsonObject meta
                = QPluginLoader(dir.filePath(file)).metaData().value(QStringLiteral("MetaData")).toObject();
            for (const QJsonValue &k : meta.value(QStringLiteral("Keys")).toArray())
                if (!keys.contains(k.toString(), Qt::CaseInsensitive))
                    keys << k.toString();
        }
    }
    return keys;
}

bool QtOptions::checkPlatformEnvironment(QString *error)
{
    const QString env = qEnvironmentVariable("QT_QPA_PLATFORM");
    if (env.isEmpty())
        return true;
    // Qt tries each of "a;b" in turn; one that loads is enough.
    for (const QString &p : env.split(u';', Qt::SkipEmptyParts)) {
        QString ignored;
        if (checkPlatform(QStringLiteral("QT_QPA_PLATFORM"), p, &ignored))
            return true;
    }
    return checkPlatform(QStringLiteral("QT_QPA_PLATFORM"), env, error);
}

bool QtOptions::split(const QStringList &arguments, const QStringList &styles, QtOptions *out, QString *error)
{
    out->qtArguments.clear();
    out->rest = arguments.mid(0, 1);
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        const QString name = qtOptionName(arg);
        if (name.isEmpty()) {
            out->rest << arg;
            continue;
        }
        out->qtArguments << arg;
        if (flagOptions().contains(name))
            continue;
        if (i + 1 >= arguments.size() || arguments.at(i + 1).isEmpty()) {
            *error = QStringLiteral("Qt option %1 needs a value%2")
                         .arg(arg,
                             name == u"platform"    ? QStringLiteral(" (allowed: %1)").arg(platforms().join(u", "))
                                 : name == u"style" ? QStringLiteral(" (allowed: %1)").arg(styles.join(u", "))
                                                    : QString());
            return false;
        }
        const QString value = arguments.at(++i);
        out->qtArguments << value;
        if (name == u"platform" && !checkPlatform(arg, value, error))
            return false;
        if (name == u"style" && !styles.contains(value, Qt::CaseInsensitive)) {
            *error
                = QStringLiteral("%1 '%2' is not an available style (allowed: %3)").arg(arg, value, styles.join(u", "));
            return false;
        }
        if ((name == u"platformpluginpath" || name == u"stylesheet") && !QFileInfo::exists(value)) {
            *error = QStringLiteral("%1 '%2' does not exist (allowed: an existing %3)")
                         .arg(arg, value, name == u"stylesheet" ? u"file"_qs : u"directory"_qs);
            return false;
        }
    }
    return true;
}

} // namespace threadlab
