// The fork server's wire format: one SOCK_SEQPACKET message per request and per reply, fds by SCM_RIGHTS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace threadlab::forkserverwire {

constexpr uint32_t Magic = 0x31534654; ///< "TFS1"
constexpr uint32_t SpareMagic = 0x31505354; ///< "TSP1": a spare request (no argv or environment)
constexpr std::size_t MaxRequestBytes = 64 * 1024; ///< argv + environment; larger is refused before sending
constexpr int StdioFds = 3; ///< a request carries the host's stdin, stdout and stderr ends, in that order
constexpr int SpareFds = 1; ///< a spare request carries the spare's end of its control socket
constexpr int ServerSocketFd = 3; ///< where the server finds its end of the socket pair

/// A start request: id, the host's argv (argv[0] the program) and its whole environment ("K=V"). A spare request
/// (spare, no argv or environment) asks for a host forked ahead that waits on its control socket for the start
/// request of a worker (the same message, sent by the app to the spare directly) and then becomes that host.
struct Request
{
    uint32_t id = 0;
    bool spare = false;
    std::vector<std::string> argv;
    std::vector<std::string> env;
};

/// The answer: the host's pid (with its pidfd as the message's one fd) or an errno.
struct Reply
{
    uint32_t magic = Magic;
    uint32_t id = 0;
    int32_t pid = 0;
    int32_t error = 0;
};

/// The request's bytes; empty if they would exceed MaxRequestBytes.
std::vector<char> encode(const Request &r);
/// Parses a request; false if malformed (wrong magic, counts or missing terminators).
bool decode(const char *data, std::size_t size, Request *out);
/// Sends bytes and fds (may be none) as one message (MSG_NOSIGNAL); false with errno set.
bool sendMessage(int socket, const void *data, std::size_t size, const int *fds, int fdCount);
/// Receives one message of at most capacity bytes and up to maxFds fds (MSG_CMSG_CLOEXEC); returns its size,
/// 0 at the end of the stream, -1 with errno. Extra fds and truncated messages are closed and refused (EMSGSIZE).
long receiveMessage(int socket, void *data, std::size_t capacity, int *fds, int maxFds, int *fdCount);

} // namespace threadlab::forkserverwire
