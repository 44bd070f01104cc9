using System.Runtime.InteropServices;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// glibc gives a thread that finds the heap busy its own malloc arena (up to eight per core) and seldom returns
/// their memory. OpenSSL allocates from whichever thread-pool thread runs a TLS probe, so a long-running agent kept
/// growing arenas of 1-2 MiB each (bench/agents memory). Two are plenty for a prober that mostly waits on the network.
/// </summary>
internal static class NativeHeap
{
    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    public static void LimitArenas()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = SetMallocOption(ArenaMaxOption, 2);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (musl has one heap and no arenas to limit)
        }
    }

    /// <summary>Returns freed pages of every arena to the system; glibc otherwise keeps what is not at a heap's top.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = TrimMalloc(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int TrimMalloc(nuint pad);

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int SetMallocOption(int option, int value);
}
