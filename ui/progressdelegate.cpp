// Paints the progress column as a slim bar under the step count.
#include "progressdelegate.h"

#include "workertablemodel.h"

#include <QPainter>

namespace threadlab {

ProgressDelegate::ProgressDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    const QVariant fraction = index.data(WorkerTableModel::ProgressFractionRole);
    if (!fraction.isValid())
        return;
    const double f = std::clamp(fraction.toDouble(), 0.0, 1.0);
    const QRectF track(option.rect.left() + 6, option.rect.bottom() - 4.5, option.rect.width() - 12, 3);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    QColor bg = option.palette.color(QPalette::Mid);
    bg.setAlpha(110);
    painter->setBrush(bg);
    painter->drawRoundedRect(track, 1.5, 1.5);
    painter->setBrush(option.palette.color(QPalette::Highlight));
    painter->drawRoundedRect(QRectF(track.left(), track.top(), track.width() * f, track.height()), 1.5, 1.5);
    painter->restore();
}

} // namespace threadlab
