// The fork server's wire format: requests and replies as single SEQPACKET messages with SCM_RIGHTS fds.
#include "forkserverwire.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace threadlab::forkserverwire {

namespace {

void put32(std::vector<char> &out, uint32_t v)
{
    const char *p = reinterpret_cast<const char *>(&v);
    out.insert(out.end(), p, p + sizeof v);
}

bool get32(const char *&p, const char *end, uint32_t *v)
{
    if (std::size_t(end - p) < sizeof *v)
        return false;
    std::memcpy(v, p, sizeof *v);
    p += sizeof *v;
    return true;
}

} // namespace

std::vector<char> encode(const Request &r)
{
    std::vector<char> out;
    put32(out, r.spare ? SpareMagic : Magic);
    put32(out, r.id);
    put32(out, uint32_t(r.argv.size()));
    put32(out, uint32_t(r.env.size()));
    for (const auto *list : { &r.argv, &r.env })
        for (const std::string &s : *list) {
            if (out.size() + s.size() + 1 > MaxRequestBytes)
                return {};
            out.insert(out.end(), s.begin(), s.end());
            out.push_back('\0');
        }
    return out;
}

bool decode(const char *data, std::size_t size, Request *out)
{
    const char *p = data;
    const char *end = data + size;
    uint32_t magic = 0, argc = 0, envc = 0;
    if (!get32(p, end, &magic) || (magic != Magic && magic != SpareMagic) || !get32(p, end, &out->id)
        || !get32(p, end, &argc) || !get32(p, end, &envc) || argc + envc > size)
        return false;
    out->spare = magic == SpareMagic;
    if (out->spare ? argc + envc != 0 : argc == 0)
        return false;
    out->argv.clear();
    out->env.clear();
    for (uint32_t i = 0; i < argc + envc; ++i) {
        const void *nul = std::memchr(p, '\0', std::size_t(end - p));
        if (!nul)
            return false;
        (i < argc ? out->argv : out->env).emplace_back(p, static_cast<const char *>(nul));
        p = static_cast<const char *>(nul) + 1;
    }
    return p == end;
}

bool sendMessage(int socket, const void *data, std::size_t size, const int *fds, int fdCount)
{
    iovec iov { const_cast<void *>(data), size };
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * StdioFds)] {};
    if (fdCount > 0) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * std::size_t(fdCount));
        cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * std::size_t(fdCount));
        std::memcpy(CMSG_DATA(c), fds, sizeof(int) * std::size_t(fdCount));
    }
    for (;;) {
        const ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n >= 0 && std::size_t(n) != size)
            errno = EMSGSIZE;
        return n >= 0 && std::size_t(n) == size;
    }
}

long receiveMessage(int socket, void *data, std::size_t capacity, int *fds, int maxFds, int *fdCount)
{
    *fdCount = 0;
    iovec iov { data, capacity };
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)] {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = -1;
    do
        n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    // Every fd that arrived is ours to close: keep at most maxFds, close the rest.
    int kept = 0;
    bool extra = false;
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (kept < maxFds)
                fds[kept++] = fd;
            else {
                ::close(fd);
                extra = true;
            }
        }
    }
    *fdCount = kept;
    if (extra || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        for (int i = 0; i < kept; ++i)
            ::close(fds[i]);
        *fdCount = 0;
        errno = EMSGSIZE;
        return -1;
    }
    return long(n);
}

} // namespace threadlab::forkserverwire
