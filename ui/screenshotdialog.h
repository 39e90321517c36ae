// Asks where and how to save a timing screenshot (window or timeline, 1× or 2×, light or dark, caption).
#pragma once

#include "screenshotoptions.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace threadlab {

class ScreenshotDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ScreenshotDialog(const ScreenshotOptions &initial, const QString &path, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ScreenshotDialog)

    ScreenshotOptions options() const;
    QString path() const;

private:
    QComboBox *m_target;
    QComboBox *m_scale;
    QComboBox *m_palette;
    QSpinBox *m_width;
    QLineEdit *m_path;
    QCheckBox *m_caption;
};

} // namespace threadlab
