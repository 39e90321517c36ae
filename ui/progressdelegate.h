// Paints the progress column as a slim bar under the step count.
#pragma once

#include <QStyledItemDelegate>

namespace threadlab {

class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ProgressDelegate(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace threadlab
