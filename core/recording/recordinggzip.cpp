// The gzip layer of recordings (`.threadlab.json.gz`): zlib's deflate and inflate, with the size limits that
// stop a gzip bomb before it fills memory.
#include "recordingio.h"

#include "recordinglimits.h"

#include <algorithm>
#include <zlib.h>

namespace threadlab {

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

bool RecordingIO::isGzip(const QByteArray &data)
{
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f
        && static_cast<unsigned char>(data[1]) == 0x8b;
}

QByteArray RecordingIO::gzipCompress(const QByteArray &data, int level)
{
    z_stream zs {};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(&zs, uLong(data.size()))) + 32);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto written = qsizetype(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return {};
    out.truncate(written);
    return out;
}

std::optional<QByteArray> RecordingIO::gzipDecompress(const QByteArray &data, QString *error)
{
    z_stream zs {};
    // windowBits 15 + 32: accept gzip or zlib headers.
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {
        setError(error, QStringLiteral("cannot initialise zlib"));
        return std::nullopt;
    }
    QByteArray out;
    out.resize(std::max<qsizetype>(data.size() * 4, 4096));
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    int rc = Z_OK;
    const qint64 limit = std::min<qint64>(
        RecordingLimits::MaxDecompressedBytes, qint64(data.size()) * RecordingLimits::MaxRatio + (qint64(1) << 20));
    for (;;) {
        if (qint64(zs.total_out) >= qint64(out.size())) {
            if (out.size() >= limit) {
                inflateEnd(&zs);
                setError(error,
                    QStringLiteral("refused: decompresses to more than %1 MiB (allowed: at most 512 MiB and %2 times "
                                   "the compressed size)")
                        .arg(limit >> 20)
                        .arg(RecordingLimits::MaxRatio));
                return std::nullopt;
            }
            out.resize(std::min<qint64>(qint64(out.size()) * 2, limit));
        }
        zs.next_out = reinterpret_cast<Bytef *>(out.data()) + zs.total_out;
        zs.avail_out = uInt(qint64(out.size()) - qint64(zs.total_out));
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            inflateEnd(&zs);
            setError(error, QStringLiteral("truncated file (the gzip data ends early)"));
            return std::nullopt;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const QString why = zs.msg ? QString::fromUtf8(zs.msg) : QStringLiteral("zlib error %1").arg(rc);
            inflateEnd(&zs);
            setError(error, QStringLiteral("corrupt gzip data (%1)").arg(why));
            return std::nullopt;
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out > 0) {
            inflateEnd(&zs);
            setError(error, QStringLiteral("truncated file (the gzip data ends early)"));
            return std::nullopt;
        }
    }
    out.truncate(qsizetype(zs.total_out));
    inflateEnd(&zs);
    return out;
}

} // namespace threadlab
