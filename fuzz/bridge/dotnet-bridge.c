/*
 * libFuzzer driver for a .NET fuzzing harness (fuzz/Mailroom.Fuzz), built with
 *   clang -fsanitize=fuzzer -O2 -o dotnet-bridge dotnet-bridge.c
 *
 * libFuzzer cannot load the .NET runtime, so this small native program is the fuzzer's target: it starts the
 * harness once as a child process and hands it each input. The exchange is the one SharpFuzz's
 * Fuzzer.LibFuzzer.Run expects (SharpFuzz 2.x):
 *   - one System V shared memory segment: a 64 KiB edge-coverage map, then the input bytes;
 *     its id is in the child's environment variable __LIBFUZZER_SHM_ID;
 *   - a control pipe (fd in __LIBFUZZER_CONTROL_PIPE_ID) on which we write each input's length (int32);
 *   - a status pipe (fd in __LIBFUZZER_STATUS_PIPE_ID) on which the child writes an int32: once when it is ready,
 *     then after every input, 0 when the input ran cleanly and non-zero when it threw.
 * The instrumented assemblies (rewritten by the `sharpfuzz` tool) count edges into the coverage map; after each
 * input we copy it into libFuzzer's extra counters, which libFuzzer reads as coverage.
 *
 * A failure becomes a libFuzzer crash (abort), so libFuzzer saves the input as crash-<sha1>:
 *   - the harness reported an exception (it printed it on stderr);
 *   - the .NET process died (a stack overflow or an out-of-memory kill ends it without an exception);
 *   - the .NET process's resident memory passed -rss_limit_mb (libFuzzer's own check sees only this process).
 * Timeouts need nothing here: libFuzzer's -timeout alarm fires in this process while it waits for the status. The
 * child is started with PR_SET_PDEATHSIG, so it dies with us whatever way we end.
 *
 * Flags (libFuzzer ignores flags that start with "--"):
 *   --dotnet=PATH     the harness executable (required)
 *   --target=NAME     passed to the harness as its only argument
 * -rss_limit_mb=N is read from the libFuzzer flags as well (default 2048, as libFuzzer's; 0 turns it off).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum
{
    COVERAGE_MAP_BYTES = 1 << 16, /* SharpFuzz's map size */
    INPUT_CAPACITY = 1 << 20,
};

/* libFuzzer treats every byte of this section as an 8-bit coverage counter (Linux: __start_/__stop_ symbols). */
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t extra_counters[COVERAGE_MAP_BYTES];

static pid_t harness_pid = -1;
static int control_fd = -1;
static int status_fd = -1;
static uint8_t *shared_memory;
static long rss_limit_bytes = 2048L * 1024 * 1024;
static long page_size;

static void fail(const char *what)
{
    fprintf(stderr, "==dotnet-bridge== %s: %s\n", what, strerror(errno));
    exit(1);
}

/* "--name=value" or "-name=value" → value when arg has that name, else NULL. */
static const char *flag_value(const char *arg, const char *name)
{
    size_t length = strlen(name);
    return strncmp(arg, name, length) == 0 && arg[length] == '=' ? arg + length + 1 : NULL;
}

static void stop_harness(void)
{
    if (harness_pid > 0)
    {
        kill(harness_pid, SIGKILL);
        waitpid(harness_pid, NULL, 0);
        harness_pid = -1;
    }
}

/* Reads exactly one int32 from the status pipe; returns 0 on end of file (the child is gone). */
static int read_status(int32_t *status)
{
    size_t done = 0;
    while (done < sizeof *status)
    {
        ssize_t n = read(status_fd, (char *)status + done, sizeof *status - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("reading the harness status");
        if (n == 0)
            return 0;
        done += (size_t)n;
    }
    return 1;
}

static void write_length(int32_t length)
{
    size_t done = 0;
    while (done < sizeof length)
    {
        ssize_t n = write(control_fd, (const char *)&length + done, sizeof length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("writing to the harness");
        done += (size_t)n;
    }
}

/* The child is gone: say how it ended, then crash so that libFuzzer keeps the input. */
static void harness_died(void)
{
    int wait_status = 0;
    if (harness_pid > 0 && waitpid(harness_pid, &wait_status, 0) == harness_pid)
    {
        harness_pid = -1;
        if (WIFSIGNALED(wait_status))
            fprintf(stderr, "==dotnet-bridge== the .NET harness was killed by signal %d while running this input\n",
                    WTERMSIG(wait_status));
        else
            fprintf(stderr, "==dotnet-bridge== the .NET harness exited with code %d while running this input\n",
                    WEXITSTATUS(wait_status));
    }
    else
    {
        fprintf(stderr, "==dotnet-bridge== the .NET harness closed its status pipe while running this input\n");
    }
    abort();
}

static long harness_rss_bytes(void)
{
    char path[64];
    char text[256];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)harness_pid);
    FILE *statm = fopen(path, "r");
    if (!statm)
        return 0;
    long size = 0, resident = 0;
    if (!fgets(text, sizeof text, statm) || sscanf(text, "%ld %ld", &size, &resident) != 2)
        resident = 0;
    fclose(statm);
    return resident * page_size;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dotnet = NULL;
    const char *target = NULL;
    for (int i = 1; i < *argc; i++)
    {
        const char *arg = (*argv)[i];
        const char *value;
        if ((value = flag_value(arg, "--dotnet")))
            dotnet = value;
        else if ((value = flag_value(arg, "--target")))
            target = value;
        else if ((value = flag_value(arg, "-rss_limit_mb")))
            rss_limit_bytes = atol(value) * 1024L * 1024L;
    }
    if (!dotnet || !target)
    {
        fprintf(stderr, "usage: %s --dotnet=HARNESS --target=NAME [libFuzzer flags] [corpus dirs]\n", (*argv)[0]);
        exit(2);
    }
    page_size = sysconf(_SC_PAGESIZE);

    int shm_id = shmget(IPC_PRIVATE, COVERAGE_MAP_BYTES + INPUT_CAPACITY, IPC_CREAT | IPC_EXCL | 0600);
    if (shm_id < 0)
        fail("shmget");
    shared_memory = shmat(shm_id, NULL, 0);
    if (shared_memory == (void *)-1)
        fail("shmat");

    int control[2], status[2];
    if (pipe(control) != 0 || pipe(status) != 0)
        fail("pipe");

    pid_t parent = getpid();
    harness_pid = fork();
    if (harness_pid < 0)
        fail("fork");
    if (harness_pid == 0)
    {
        /* The harness must not outlive the fuzzer (a timeout ends the fuzzer with _Exit, running no handler). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        close(control[1]);
        close(status[0]);
        char number[16];
        snprintf(number, sizeof number, "%d", shm_id);
        setenv("__LIBFUZZER_SHM_ID", number, 1);
        snprintf(number, sizeof number, "%d", control[0]);
        setenv("__LIBFUZZER_CONTROL_PIPE_ID", number, 1);
        snprintf(number, sizeof number, "%d", status[1]);
        setenv("__LIBFUZZER_STATUS_PIPE_ID", number, 1);
        execl(dotnet, dotnet, target, (char *)NULL);
        fprintf(stderr, "==dotnet-bridge== cannot start %s: %s\n", dotnet, strerror(errno));
        _exit(127);
    }

    close(control[0]);
    close(status[1]);
    control_fd = control[1];
    status_fd = status[0];
    atexit(stop_harness);
    signal(SIGPIPE, SIG_IGN);

    int32_t ready;
    if (!read_status(&ready))
        harness_died();
    /* Both sides are attached: the segment goes away with the last detach, however the processes end. */
    shmctl(shm_id, IPC_RMID, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_CAPACITY)
    {
        fprintf(stderr, "==dotnet-bridge== inputs are limited to %d bytes; use -max_len\n", INPUT_CAPACITY);
        exit(2);
    }

    memset(shared_memory, 0, COVERAGE_MAP_BYTES);
    memcpy(shared_memory + COVERAGE_MAP_BYTES, data, size);
    write_length((int32_t)size);

    int32_t status;
    if (!read_status(&status))
        harness_died();
    memcpy(extra_counters, shared_memory, COVERAGE_MAP_BYTES);

    if (status != 0)
    {
        fprintf(stderr, "==dotnet-bridge== the .NET harness reported an exception for this input (above)\n");
        abort();
    }

    if (rss_limit_bytes > 0)
    {
        long rss = harness_rss_bytes();
        if (rss > rss_limit_bytes)
        {
            fprintf(stderr, "==dotnet-bridge== the .NET harness uses %ld MB, over -rss_limit_mb=%ld\n",
                    rss >> 20, rss_limit_bytes >> 20);
            abort();
        }
    }
    return 0;
}
