// The fork server's loop: request in, a double fork, pid and pidfd out (from the intermediate), nothing kept.
#include "forkserverloop.h"

#include "hostrunner.h"
#include "process/forkserverwire.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace threadlab {

namespace {

namespace wire = forkserverwire;

constexpr char OwnerKey[] = "THREADLAB_OWNER=";
constexpr int ReparentWaitMs = 5000; ///< the intermediate exits right after its reply

/// The owner mark in the server's original environment block (what /proc/<pid>/environ shows of a forked
/// child, which never exec's), and its length; the app pads it ("<app pid>:" and a zero-padded host id).
char *s_ownerSlot = nullptr;
std::size_t s_ownerSlotSize = 0;

/// Writes the request's owner mark over the server's in the original block, zero-padding the host id to the
/// same length, so that the app (ProcessTree) reads this host's own mark in /proc/<pid>/environ.
void markOwner(const wire::Request &request)
{
    if (!s_ownerSlot)
        return;
    for (const std::string &e : request.env) {
        if (e.compare(0, sizeof OwnerKey - 1, OwnerKey) != 0)
            continue;
        const std::string value = e.substr(sizeof OwnerKey - 1);
        const std::size_t colon = value.find(':');
        if (colon == std::string::npos || value.size() > s_ownerSlotSize)
            return;
        const std::string padded
            = value.substr(0, colon + 1) + std::string(s_ownerSlotSize - value.size(), '0') + value.substr(colon + 1);
        std::memcpy(s_ownerSlot, padded.data(), padded.size());
        return;
    }
}

void writeError(const char *text)
{
    [[maybe_unused]] const ssize_t n = ::write(2, text, std::strlen(text));
    [[maybe_unused]] const ssize_t m = ::write(2, "\n", 1);
}

void closeAll(const int *fds, int count)
{
    for (int i = 0; i < count; ++i)
        ::close(fds[i]);
}

/// In the new child: leads its own group and waits until it is the app's child with the death signal armed;
/// _exit(127) if the app died first (or no re-parenting in time).
void becomeAppChild(pid_t appPid)
{
    ::setpgid(0, 0);
    // The death signal follows the parent: arm it only once the intermediate has exited and we are the app's
    // (the subreaper's) child. Its pidfd turns readable after its children were re-parented (exit_notify).
    const pid_t intermediate = ::getppid();
    if (intermediate != appPid) {
        const int fd = int(::syscall(SYS_pidfd_open, intermediate, 0));
        if (fd >= 0) {
            pollfd p { fd, POLLIN, 0 };
            while (::poll(&p, 1, ReparentWaitMs) < 0 && errno == EINTR) { }
            ::close(fd);
        }
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != appPid)
        ::_exit(127);
}

/// Becomes the host the request describes, with its stdio fds (the server's socket already closed); never returns.
[[noreturn]] void runHost(wire::Request &request, const int *fds)
{
    for (int target = 0; target < wire::StdioFds; ++target) {
        if (fds[target] == target)
            continue;
        ::dup2(fds[target], target); // the copy has no FD_CLOEXEC
    }
    for (int i = 0; i < wire::StdioFds; ++i)
        if (fds[i] > 2)
            ::close(fds[i]);
    // SIGTERM and SIGINT blocked from the start: one sent before the host's signalfd exists stays pending and
    // becomes its graceful stop, never the default death (the host main blocks them the same way).
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    markOwner(request);
    ::clearenv();
    for (std::string &e : request.env)
        ::putenv(e.data()); // the strings live until exit (the request is never freed in the child)
    std::vector<char *> argv;
    for (std::string &a : request.argv)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::exit(HostRunner::main(int(request.argv.size()), argv.data()));
}

/// In the new child: becomes the host the request describes; never returns.
[[noreturn]] void becomeHost(wire::Request &request, const int *fds, pid_t appPid)
{
    ::close(wire::ServerSocketFd); // at once: a stopped server's app reads its socket to the end (drainReplies())
    becomeAppChild(appPid);
    runHost(request, fds);
}

/// In the new child: a spare host, past its start-up (own group, the app's child, death signal armed), waits on
/// its control socket for one start request from the app and becomes that host. The app closing the socket (it
/// discards the spare) ends it; so does the app's death (PDEATHSIG). Never returns.
[[noreturn]] void becomeSpare(int control, pid_t appPid, std::vector<char> &buffer)
{
    ::close(wire::ServerSocketFd); // from here on fd 3 may be one the app sends
    becomeAppChild(appPid);
    int fds[wire::StdioFds] = { -1, -1, -1 };
    int fdCount = 0;
    const long n = wire::receiveMessage(control, buffer.data(), buffer.size(), fds, wire::StdioFds, &fdCount);
    if (n <= 0)
        ::_exit(0); // discarded
    ::close(control);
    wire::Request request;
    if (!wire::decode(buffer.data(), std::size_t(n), &request) || request.spare || fdCount != wire::StdioFds) {
        writeError("threadlab-worker: the spare host got a malformed start request");
        ::_exit(127);
    }
    runHost(request, fds);
}

void reply(uint32_t id, pid_t pid, int error, int pidfd)
{
    const wire::Reply r { wire::Magic, id, int32_t(pid), int32_t(error) };
    wire::sendMessage(wire::ServerSocketFd, &r, sizeof r, pidfd >= 0 ? &pidfd : nullptr, pidfd >= 0 ? 1 : 0);
}

} // namespace

int ForkServerLoop::run()
{
    const pid_t appPid = ::getppid();
    // Before any setenv: getenv points into the original block.
    s_ownerSlot = std::getenv("THREADLAB_OWNER");
    s_ownerSlotSize = s_ownerSlot ? std::strlen(s_ownerSlot) : 0;
    std::vector<char> buffer(wire::MaxRequestBytes);
    for (;;) {
        int fds[wire::StdioFds] = { -1, -1, -1 };
        int fdCount = 0;
        const long n
            = wire::receiveMessage(wire::ServerSocketFd, buffer.data(), buffer.size(), fds, wire::StdioFds, &fdCount);
        if (n == 0)
            return 0; // the app closed its end: it is done with us
        if (n < 0) {
            if (errno == EMSGSIZE) {
                reply(0, 0, EMSGSIZE, -1);
                continue;
            }
            return 1;
        }
        wire::Request request;
        const bool decoded = wire::decode(buffer.data(), std::size_t(n), &request);
        if (!decoded || fdCount != (request.spare ? wire::SpareFds : wire::StdioFds)) {
            closeAll(fds, fdCount);
            reply(request.id, 0, EINVAL, -1);
            continue;
        }
        // Double fork with glibc's fork() (so the child's thread id, robust list and locks are glibc's own): the
        // intermediate forks the host, takes a pidfd of it while it is its unreaped child (provably that
        // process), sends it to the app and exits, so the host is re-parented to the app (a subreaper).
        const pid_t intermediate = ::fork();
        if (intermediate == 0) {
            const pid_t host = ::fork();
            if (host == 0 && request.spare)
                becomeSpare(fds[0], appPid, buffer);
            if (host == 0)
                becomeHost(request, fds, appPid);
            const int forkError = host < 0 ? errno : 0;
            // The child leads its own group (becomeAppChild()), and so does the parent here, before the reply: the
            // app never sees the host in the server's group, whichever of the two runs first.
            if (host > 0)
                ::setpgid(host, host);
            const int pidfd = host > 0 ? int(::syscall(SYS_pidfd_open, host, 0)) : -1;
            const int error = host < 0 ? forkError : pidfd < 0 ? errno : 0;
            if (host > 0 && pidfd < 0)
                ::kill(host, SIGKILL); // our unreaped child, and not to be left without a pidfd
            reply(request.id, error == 0 ? host : 0, error, pidfd);
            ::_exit(0);
        }
        const int error = intermediate < 0 ? errno : 0;
        closeAll(fds, fdCount);
        if (intermediate < 0) {
            reply(request.id, 0, error, -1);
            continue;
        }
        while (::waitpid(intermediate, nullptr, 0) < 0 && errno == EINTR) { }
    }
}

} // namespace threadlab
