// The app-wide font scale (Ctrl+= / Ctrl+- / Ctrl+0): one factor applied to the application font, persisted.
#pragma once

#include <QFont>
#include <QObject>

namespace threadlab {

/// Scales every text of the app by setting the application font (widgets, the timeline and the presenter all
/// read it); the factor is kept in QSettings ("view/fontScale") and restored on the next start.
class FontScale : public QObject
{
    Q_OBJECT
public:
    static constexpr double Min = 0.8;
    static constexpr double Max = 3.0;
    static constexpr double Step = 1.15;

    /// Remembers the application font of now as the 100 % font; reads the persisted factor and applies it.
    explicit FontScale(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FontScale)

    double factor() const { return m_factor; }
    /// Clamped to [Min, Max]; applies, persists and emits changed() when it differs.
    void setFactor(double factor);
    void increase() { setFactor(m_factor * Step); }
    void decrease() { setFactor(m_factor / Step); }
    void reset() { setFactor(1.0); }
    /// The font at this factor (the 100 % font's point size times factor).
    QFont fontAt(double factor) const;
    /// "125 %".
    QString percentText() const;

signals:
    void changed(double factor);

private:
    void apply();

    QFont m_base;
    double m_factor = 1.0;
};

} // namespace threadlab
