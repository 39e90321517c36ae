// `threadlab-worker --fork-server`: the resident, single-threaded, pre-loaded host that forks new hosts.
#pragma once

namespace threadlab {

/// Reads start requests from the socket at fd 3 (forkserverwire), one at a time. For each it clones a child
/// with CLONE_PARENT | CLONE_PIDFD: the child is the app's own child from birth (so the app reaps it with
/// waitid(P_PIDFD) and its PR_SET_PDEATHSIG follows the app), and the pidfd, taken at creation, names that very
/// process. The pidfd goes back to the app with the pid; the server keeps nothing. The child leads its own
/// process group, takes the request's stdio fds and environment and runs the normal host main. Never creates a
/// QCoreApplication or a thread. Ends when the app closes the socket (or dies: PR_SET_PDEATHSIG).
class ForkServerLoop
{
public:
    static int run();
};

} // namespace threadlab
