// ASan workaround, preloaded only in the asan CI run: sigaltstack() as the plain system call.
//
// GCC 12's libasan checks the 24-byte write of its own sigaltstack() call in __asan_handle_no_return while a
// thread is being unwound by pthread_cancel (the forced unwind of a QThread::terminate()). The frames being
// unwound are still poisoned, so it reports a false "stack-buffer-overflow in __interceptor_sigaltstack" and
// aborts; every test that force-kills a thread would fail. Preloading this definition replaces the checking
// interceptor with the raw call; every other ASan and UBSan check stays on.
#include <csignal>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" int sigaltstack(const stack_t *ss, stack_t *oss)
{
    return int(syscall(SYS_sigaltstack, ss, oss));
}
