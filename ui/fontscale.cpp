// The app-wide font scale (Ctrl+= / Ctrl+- / Ctrl+0): one factor applied to the application font, persisted.
#include "fontscale.h"

#include <QApplication>
#include <QSettings>
#include <algorithm>
#include <cmath>

namespace threadlab {

namespace {
const QString SettingsKey = u"view/fontScale"_qs;

/// The application font before any scaling, taken once: a second window must not scale an already scaled font.
QFont baseFont()
{
    static const QFont base = [] {
        QFont f = QApplication::font();
        if (f.pointSizeF() <= 0)
            f.setPointSizeF(9.0); // a pixel-sized platform font: scale from a point size instead
        return f;
    }();
    return base;
}
} // namespace

FontScale::FontScale(QObject *parent)
    : QObject(parent)
    , m_base(baseFont())
{
    const double stored = QSettings().value(SettingsKey, 1.0).toDouble();
    m_factor = std::clamp(std::isfinite(stored) ? stored : 1.0, Min, Max);
    if (m_factor != 1.0)
        apply();
}

QFont FontScale::fontAt(double factor) const
{
    QFont f = m_base;
    f.setPointSizeF(m_base.pointSizeF() * factor);
    return f;
}

QString FontScale::percentText() const
{
    return u"%1 %"_qs.arg(std::lround(m_factor * 100));
}

void FontScale::setFactor(double factor)
{
    // Snap near 100 % so repeated steps come back to exactly the base size.
    double f = std::clamp(factor, Min, Max);
    if (std::abs(f - 1.0) < 0.02)
        f = 1.0;
    if (std::abs(f - m_factor) < 1e-6)
        return;
    m_factor = f;
    apply();
    QSettings().setValue(SettingsKey, m_factor);
    emit changed(m_factor);
}

void FontScale::apply()
{
    // Every widget without a font of its own follows the application font (QEvent::FontChange reaches them).
    QApplication::setFont(fontAt(m_factor));
}

} // namespace threadlab
