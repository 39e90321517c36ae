// Asks where and how to save a timing screenshot (window or timeline, 1× or 2×, light or dark, caption).
#include "screenshotdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace threadlab {

ScreenshotDialog::ScreenshotDialog(const ScreenshotOptions &initial, const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_target(new QComboBox(this))
    , m_scale(new QComboBox(this))
    , m_palette(new QComboBox(this))
    , m_width(new QSpinBox(this))
    , m_path(new QLineEdit(path, this))
    , m_caption(new QCheckBox(u"Lesson title and measured headline"_qs, this))
{
    setWindowTitle(u"Save timing screenshot"_qs);
    m_target->addItem(u"Timeline with caption and legend"_qs, int(ScreenshotOptions::Target::Timeline));
    m_target->addItem(u"Whole window"_qs, int(ScreenshotOptions::Target::Window));
    m_target->setCurrentIndex(initial.target == ScreenshotOptions::Target::Timeline ? 0 : 1);
    m_target->setAccessibleName(u"What to capture"_qs);
    m_scale->addItem(u"1× (screen)"_qs, 1.0);
    m_scale->addItem(u"2× (slides, print)"_qs, 2.0);
    m_scale->setCurrentIndex(initial.scale > 1.5 ? 1 : 0);
    m_scale->setAccessibleName(u"Pixel density"_qs);
    m_palette->addItem(u"Light"_qs, false);
    m_palette->addItem(u"Dark"_qs, true);
    m_palette->setCurrentIndex(initial.dark ? 1 : 0);
    m_palette->setAccessibleName(u"Palette"_qs);
    m_width->setRange(600, 4000);
    m_width->setSuffix(u" px"_qs);
    m_width->setValue(initial.size.width() > 0 ? initial.size.width() : 1600);
    m_width->setAccessibleName(u"Timeline width"_qs);
    m_path->setAccessibleName(u"File name"_qs);
    m_path->setToolTip(u"The extension chooses the format: .png or .svg"_qs);
    m_caption->setChecked(initial.caption);
    m_caption->setAccessibleName(u"Caption"_qs);
    auto *browse = new QPushButton(u"Browse…"_qs, this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getSaveFileName(
            this, windowTitle(), m_path->text(), u"PNG images (*.png);;SVG drawings (*.svg)"_qs);
        if (!p.isEmpty())
            m_path->setText(p);
    });
    connect(m_target, &QComboBox::currentIndexChanged, this,
        [this] { m_width->setEnabled(m_target->currentData().toInt() == int(ScreenshotOptions::Target::Timeline)); });
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *form = new QFormLayout;
    // Every label has its buddy, so "&" is a mnemonic and never shows as a literal ampersand.
    const auto row = [this, form](const QString &text, QWidget *buddy, QLayout *field = nullptr) {
        auto *label = new QLabel(text, this);
        label->setBuddy(buddy);
        if (field)
            form->addRow(label, field);
        else
            form->addRow(label, buddy);
    };
    row(u"&Capture:"_qs, m_target);
    row(u"&Width:"_qs, m_width);
    row(u"&Density:"_qs, m_scale);
    row(u"&Palette:"_qs, m_palette);
    row(u"Ca&ption:"_qs, m_caption);
    row(u"&File:"_qs, m_path, pathRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    m_width->setEnabled(initial.target == ScreenshotOptions::Target::Timeline);
}

ScreenshotOptions ScreenshotDialog::options() const
{
    ScreenshotOptions o;
    o.target = ScreenshotOptions::Target(m_target->currentData().toInt());
    o.scale = m_scale->currentData().toDouble();
    o.dark = m_palette->currentData().toBool();
    o.size = QSize(m_width->value(), 0);
    o.caption = m_caption->isChecked();
    return o;
}

QString ScreenshotDialog::path() const
{
    return m_path->text();
}

} // namespace threadlab
