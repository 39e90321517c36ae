// A layout that puts its items in rows and wraps to a new row when the width runs out (never clips a button).
#include "flowlayout.h"

#include <QWidget>
#include <algorithm>

namespace threadlab {

FlowLayout::FlowLayout(QWidget *parent, int spacing)
    : QLayout(parent)
    , m_spacing(spacing)
{
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    return m_items.takeAt(index);
}

QSize FlowLayout::minimumSize() const
{
    // As narrow as the widest item: everything else wraps.
    QSize size;
    for (const QLayoutItem *item : m_items)
        size = size.expandedTo(item->sizeHint());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    doLayout(rect, false);
}

int FlowLayout::doLayout(const QRect &rect, bool testOnly) const
{
    // First the rows (which items, how high), then the geometry: each item centred in its row's height, so a
    // label sits level with the buttons beside it.
    const QRect area = rect.marginsRemoved(contentsMargins());
    struct Row
    {
        QList<QLayoutItem *> items;
        int height = 0;
    };
    QList<Row> rows(1);
    int x = area.x();
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        if (x > area.x() && x + hint.width() > area.right() + 1) {
            rows.append(Row {});
            x = area.x();
        }
        rows.last().items << item;
        rows.last().height = std::max(rows.last().height, hint.height());
        x += hint.width() + m_spacing;
    }
    int y = area.y();
    for (const Row &row : std::as_const(rows)) {
        if (!testOnly) {
            x = area.x();
            for (QLayoutItem *item : row.items) {
                const QSize hint = item->sizeHint();
                item->setGeometry(QRect(QPoint(x, y + (row.height - hint.height()) / 2),
                    QSize(std::min(hint.width(), area.width()), hint.height())));
                x += hint.width() + m_spacing;
            }
        }
        y += row.height + m_spacing;
    }
    return y - m_spacing - rect.y() + contentsMargins().bottom();
}

} // namespace threadlab
