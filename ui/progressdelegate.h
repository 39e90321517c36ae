// The worker table's delegates: the progress column as a slim bar under the step count, names elided in the middle.
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

/// Elides its column's text in the middle (names that differ only at their ends stay told apart).
class MiddleElideDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    Q_DISABLE_COPY_MOVE(MiddleElideDelegate)

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

} // namespace threadlab
